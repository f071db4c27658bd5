"""What every queue view shares: the request type and the links to other apps' widgets."""

from functools import cached_property

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django_htmx.middleware import HtmxDetails

from queue_app import access

PAGE_SIZE = 50
COUNT_CAP = 1000


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def query_without(query: QueryDict, *names: str) -> str:
    """A query string minus some keys, for pagination links that keep the filters."""
    params = query.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: an exact count of a long filtered queue would read
    every open item, where the page itself reads only 50 in index order. A caller that has
    counted the rows already passes `count`, and no count query runs."""

    def __init__(self, *args, count: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = min(count, COUNT_CAP + 1)  # what the cached property holds

    @cached_property
    def count(self) -> int:
        # The list's own order is kept: on the queue it is the partial index's order, so the
        # count walks that index and stops after COUNT_CAP + 1 rows. Without the order the
        # planner built a bitmap of every open item first (10 ms at 40,000 open items).
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


class SearchPaginator(CappedPaginator):
    """Counts matches without their order: a common surname matches thousands of patients
    (or a patient's year of items), and an ordered count sorted them all before stopping at
    COUNT_CAP + 1."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()


def practice_home(
    request: "AuthedRequest", *, permission: str, practice_url: str, template: str
) -> HttpResponse:
    """An app's home: the practices where the user holds `permission`, each linking to
    `practice_url`; a user of one practice goes straight to it. `template` extends
    practice_home.html."""
    practices = access.practices_for(request.user, permission).order_by("name")
    if len(practices) == 1:
        return redirect(practice_url, slug=practices[0].slug)
    return render(request, template, {"practices": practices, "practice_url": practice_url})


def request_roles(request: HttpRequest) -> access.Roles:
    """The user's roles, read once and kept on the request (the navigation and the view both
    need them; a role granted mid-request shows from the next request on)."""
    user = request.user
    cached = getattr(request, "_queue_roles", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    roles = access.roles_for(user)
    request._queue_roles = (user.pk, roles)
    return roles
