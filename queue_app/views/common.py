"""What every queue view shares: the request type and the links to other apps' widgets."""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, reverse
from django_htmx.middleware import HtmxDetails

from queue_app.models import (
    Practice,
    PracticeGroupObjectPermission,
    PracticeUserObjectPermission,
)

PAGE_SIZE = 50
COUNT_CAP = 1000


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def optional_url(name: str, *args: object) -> str | None:
    """The URL of another app's screen, or None while that screen is not built yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def query_without(query: QueryDict, *names: str) -> str:
    """A query string minus some keys, for pagination links that keep the filters."""
    params = query.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: an exact count of a long filtered queue would read
    every open item, where the page itself reads only 50 in index order."""

    @cached_property
    def count(self) -> int:
        # The list's own order is kept: on the queue it is the partial index's order, so the
        # count walks that index and stops after COUNT_CAP + 1 rows. Without the order the
        # planner built a bitmap of every open item first (10 ms at 40,000 open items).
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


@dataclass(frozen=True)
class Roles:
    """The signed-in person's roles, practice by practice, as `access.practices_for` grants
    them (explicit object permissions of the user or of their groups; no global permissions,
    no superuser widening). Read once per request for the navigation and the panels' buttons;
    every data access still goes through `queue_app.access`."""

    by_practice: dict[int, frozenset[str]] = field(default_factory=dict)
    # (name, slug) of each practice, for links that need no further query.
    names: dict[int, tuple[str, str]] = field(default_factory=dict)

    def holds(self, permission: str) -> bool:
        return any(permission in codes for codes in self.by_practice.values())

    def can(self, practice_id: int, permission: str) -> bool:
        return permission in self.by_practice.get(practice_id, frozenset())

    def practice_ids(self, permission: str) -> list[int]:
        return [pk for pk, codes in self.by_practice.items() if permission in codes]


def request_roles(request: HttpRequest) -> Roles:
    """The user's roles, read in one query and kept on the request (the navigation and the
    view both need them; a role granted mid-request shows from the next request on)."""
    user = request.user
    cached = getattr(request, "_queue_roles", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    roles = Roles()
    if user.is_authenticated and user.is_active:
        kind = ContentType.objects.get_for_model(Practice)  # cached by Django after once
        fields = ("content_object_id", "permission__codename", "content_object__name")
        mine = PracticeUserObjectPermission.objects.filter(
            user=user, permission__content_type=kind
        ).values_list(*fields, "content_object__slug")
        groups = PracticeGroupObjectPermission.objects.filter(
            group__user=user, permission__content_type=kind
        ).values_list(*fields, "content_object__slug")
        held: dict[int, set[str]] = {}
        for practice_id, codename, name, slug in mine.union(groups):
            held.setdefault(practice_id, set()).add(codename)
            roles.names[practice_id] = (name, slug)
        roles.by_practice.update({pk: frozenset(codes) for pk, codes in held.items()})
    request._queue_roles = (user.pk, roles)
    return roles
