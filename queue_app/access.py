"""Who may do what in which practice: the one place that answers it.

Roles are object permissions on the practice (django-guardian). Global (model-level)
permissions are never accepted, and superuser status does not widen a practice's scope:
a person sees only the practices they were granted.
"""

from dataclasses import dataclass, field
from uuid import UUID

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from escalation.models import Alert, Escalation
from messaging.models import Attachment
from notes.models import QAReview
from queue_app.models import (
    BreakGlassGrant,
    Patient,
    Practice,
    Role,
    WorkItem,
)

WORK = "work_queue"
ESCALATIONS = "handle_escalations"
MANAGE = "manage_practice"
PLAYBOOK = "edit_playbook"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ASSISTANT: (WORK,),
    Role.CLINICAL: (ESCALATIONS,),
    Role.MANAGER: (WORK, MANAGE, ESCALATIONS),
    Role.ADMIN: (PLAYBOOK, MANAGE),
}


def grant_role(*, user: "User", practice: Practice, role: str) -> None:
    """Give a person a role in one practice (idempotent)."""
    for codename in ROLE_PERMISSIONS[role]:
        assign_perm(f"queue_app.{codename}", user, practice)


def revoke_role(*, user: "User", practice: Practice, role: str) -> None:
    for codename in ROLE_PERMISSIONS[role]:
        remove_perm(f"queue_app.{codename}", user, practice)


def practices_for(user: "User | AnonymousUser", permission: str) -> QuerySet[Practice]:
    """The practices where the user holds this permission by an explicit grant."""
    if not user.is_authenticated or not user.is_active:
        return Practice.objects.none()
    return get_objects_for_user(
        user,
        f"queue_app.{permission}",
        klass=Practice,
        with_superuser=False,
        accept_global_perms=False,
    )


def user_can(user: "User | AnonymousUser", practice: Practice, permission: str) -> bool:
    """May this user do `permission` in this practice?"""
    return practices_for(user, permission).filter(pk=practice.pk).exists()


ROLE_CODENAMES = frozenset((WORK, ESCALATIONS, MANAGE, PLAYBOOK))


def visible_practices(user: "User | AnonymousUser") -> QuerySet[Practice]:
    """Practices where the user holds any role."""
    if not user.is_authenticated or not user.is_active:
        return Practice.objects.none()
    codenames = [f"queue_app.{p}" for p in sorted(ROLE_CODENAMES)]
    return get_objects_for_user(
        user,
        codenames,
        klass=Practice,
        any_perm=True,
        with_superuser=False,
        accept_global_perms=False,
    )


def get_practice_for_user(user: "User", slug: str, permission: str) -> Practice:
    """A practice the user may act in; an outsider gets 404, a member without the role 403."""
    # The grants in one query (`roles_for`, as get_item_for_user): guardian's query builder,
    # run twice here, was 12 ms of every scorecard, playbook and campaign page.
    roles = roles_for(user)
    practice_id = next(
        (
            pk
            for pk, (_, held_slug) in roles.names.items()
            if held_slug == slug and roles.by_practice[pk] & ROLE_CODENAMES
        ),
        None,
    )
    if practice_id is None:
        raise Http404
    if not roles.can(practice_id, permission):
        raise PermissionDenied
    return Practice.objects.get(pk=practice_id)


# What an open panel's polls need of the item to answer "nothing new" (the conversation's
# marker, the heartbeat, the page's one poll): compiling the whole item with its four related
# rows cost 3.6 ms of CPU, these four fields by the ORM 1 ms, in plain SQL 0.2 ms, and the
# polls come every 10 s from every open panel.
POLL_FIELDS = ("id", "code", "practice_id", "status")
POLL_ITEM_SQL = """
    SELECT id, code, practice_id, status FROM queue_app_workitem
     WHERE code = %s AND practice_id IN ({practices})
"""


def get_item_for_user(
    user: "User",
    code: UUID,
    *,
    write: bool = False,
    poll: bool = False,
    roles: "Roles | None" = None,
) -> WorkItem:
    """A work item of a practice the user works; outsiders get 404, read-only members 403.

    An outsider holding a live break-glass grant for this very item may read it, never change
    it (`item.break_glass` is then the grant). With `poll`, the same check loads only
    POLL_FIELDS of the item (any other field costs a query of its own). `roles` are this
    user's, when the request has read them already.
    """
    # The grants in one query (`roles_for`, the same ones `practices_for` reads): every poll
    # of an open item comes through here, and guardian's query builder cost 5 ms of CPU.
    roles = roles if roles is not None else roles_for(user)
    readable = [
        practice_id
        for practice_id, codes in roles.by_practice.items()
        if WORK in codes or ESCALATIONS in codes
    ]
    if not readable:
        item = None
    elif poll:
        item = _poll_item(code, readable)
    else:
        items = WorkItem.objects.filter(code=code, practice_id__in=readable)
        item = items.select_related("practice", "patient", "moment", "owner").first()
    if item is None:
        return _break_glass_item(user, code, write=write)
    if write and not roles.can(item.practice_id, WORK):
        raise PermissionDenied
    item.break_glass = None
    return item


def _poll_item(code: UUID, practice_ids: list[int]) -> WorkItem | None:
    """The item's POLL_FIELDS if it belongs to one of these practices; any other field is
    loaded on first use, as the ORM's only() would."""
    sql = POLL_ITEM_SQL.format(practices=", ".join(["%s"] * len(practice_ids)))
    value = WorkItem._meta.get_field("code").get_db_prep_value(code, connection)
    return next(iter(WorkItem.objects.raw(sql, [value, *practice_ids])), None)


def _break_glass_item(user: "User", code: UUID, *, write: bool) -> WorkItem:
    grant = (
        BreakGlassGrant.objects.select_related(
            "item__practice", "item__patient", "item__moment", "item__owner"
        )
        .filter(user=user, item__code=code, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
        if user.is_authenticated and user.is_active
        else None
    )
    if grant is None:
        raise Http404
    if write:
        raise PermissionDenied
    grant.item.break_glass = grant
    return grant.item


def get_attachment_for_user(user: "User", code: UUID) -> Attachment:
    """A stored attachment of a message in a practice whose items the user may read; anything
    else (another practice's, refused, still downloading) is a 404."""
    attachment = (
        Attachment.objects.select_related("message", "practice")
        .filter(code=code, status=Attachment.Status.STORED)
        .filter(practice__in=visible_practices(user))
        .first()
    )
    if attachment is None:
        raise Http404
    readable = user_can(user, attachment.practice, WORK) or user_can(
        user, attachment.practice, ESCALATIONS
    )
    if not readable:
        raise Http404
    return attachment


def get_patient_for_user(user: "User", code: UUID) -> Patient:
    """A patient of a practice whose items the user may read (the rule of get_item_for_user);
    anyone else gets 404, so a patient's existence is not disclosed."""
    # The grants in one query, as get_item_for_user (guardian's query builder, up to three
    # times here, was most of the check's time).
    roles = roles_for(user)
    readable = roles.practice_ids(WORK) + roles.practice_ids(ESCALATIONS)
    patient = (
        Patient.objects.select_related("practice")
        .filter(code=code, practice_id__in=readable)
        .first()
        if readable
        else None
    )
    if patient is None:
        raise Http404
    return patient


def get_escalation_for_user(user: "User", code: UUID) -> Escalation:
    """An escalation of a practice where the user handles escalations; outsiders get 404."""
    escalation = (
        Escalation.objects.select_related(
            "practice", "route", "item__patient", "item__moment", "item__owner", "item__practice"
        )
        .filter(code=code, practice__in=visible_practices(user))
        .first()
    )
    if escalation is None:
        raise Http404
    if not user_can(user, escalation.practice, ESCALATIONS):
        raise PermissionDenied
    return escalation


def get_alert_for_user(user: "User", code: UUID) -> Alert:
    """An alert addressed to this user; anyone else's is a 404."""
    alert = Alert.objects.filter(code=code, recipient=user).first()
    if alert is None:
        raise Http404
    return alert


def get_review_for_user(user: "User", code: UUID) -> QAReview:
    """A QA review of a practice the user manages; outsiders get 404, other members 403."""
    review = (
        QAReview.objects.select_related("practice", "assistant", "item__moment", "item__patient")
        .filter(code=code, practice__in=visible_practices(user))
        .first()
    )
    if review is None:
        raise Http404
    if not user_can(user, review.practice, MANAGE):
        raise PermissionDenied
    return review


# ------------------------------------------------------------------------ roles, for display
@dataclass(frozen=True)
class Roles:
    """The person's roles, practice by practice, granted the way `practices_for` reads them
    (explicit object permissions of the user or of their groups; no global permissions, no
    superuser widening). For the navigation and the panels' buttons; data access still goes
    through the getters above (`get_item_for_user` reads its grants from here too)."""

    by_practice: dict[int, frozenset[str]] = field(default_factory=dict)
    # (name, slug) of each practice, for links that need no further query.
    names: dict[int, tuple[str, str]] = field(default_factory=dict)

    def holds(self, permission: str) -> bool:
        return any(permission in codes for codes in self.by_practice.values())

    def can(self, practice_id: int, permission: str) -> bool:
        return permission in self.by_practice.get(practice_id, frozenset())

    def practice_ids(self, permission: str) -> list[int]:
        return [pk for pk, codes in self.by_practice.items() if permission in codes]


# Plain SQL, for the reason ROLES_SQL below is: every open item's heartbeat asks it, and the
# ORM spent 2.1 ms of CPU compiling the two grant subqueries, against 0.3 ms for this.
PEOPLE_SQL = """
    SELECT id, username, first_name, last_name FROM auth_user
     WHERE is_active AND id IN (
        SELECT grant_.user_id FROM queue_app_practiceuserobjectpermission grant_
          JOIN auth_permission permission ON permission.id = grant_.permission_id
         WHERE grant_.content_object_id = %(practice)s AND permission.content_type_id = %(kind)s
           AND permission.codename IN ({codenames})
        UNION
        SELECT member.user_id FROM queue_app_practicegroupobjectpermission grant_
          JOIN auth_user_groups member ON member.group_id = grant_.group_id
          JOIN auth_permission permission ON permission.id = grant_.permission_id
         WHERE grant_.content_object_id = %(practice)s AND permission.content_type_id = %(kind)s
           AND permission.codename IN ({codenames}))
"""


def people_holding(practice_id: int, permissions: list[str]) -> list[User]:
    """The active people granted any of these permissions in this practice, by the grants
    `roles_for` reads (theirs or their groups'; no superuser widening), as one query. Only
    their names are loaded."""
    kind = ContentType.objects.get_for_model(Practice)
    codenames = {f"codename_{n}": codename for n, codename in enumerate(permissions)}
    sql = PEOPLE_SQL.format(codenames=", ".join(f"%({name})s" for name in codenames))
    return list(User.objects.raw(sql, {"practice": practice_id, "kind": kind.pk, **codenames}))


# Plain SQL: every poll of every open screen reads the roles, and the ORM took more CPU to
# compile the union of these two joins than PostgreSQL took to run it. The grants are those
# practices_for reads: the user's own and their groups', on the practice, of its permissions.
ROLES_SQL = """
    SELECT grant_.content_object_id, permission.codename, practice.name, practice.slug
      FROM queue_app_practiceuserobjectpermission grant_
      JOIN auth_permission permission ON permission.id = grant_.permission_id
      JOIN queue_app_practice practice ON practice.id = grant_.content_object_id
     WHERE grant_.user_id = %(user)s AND permission.content_type_id = %(kind)s
    UNION
    SELECT grant_.content_object_id, permission.codename, practice.name, practice.slug
      FROM queue_app_practicegroupobjectpermission grant_
      JOIN auth_user_groups member ON member.group_id = grant_.group_id
      JOIN auth_permission permission ON permission.id = grant_.permission_id
      JOIN queue_app_practice practice ON practice.id = grant_.content_object_id
     WHERE member.user_id = %(user)s AND permission.content_type_id = %(kind)s
"""


def roles_for(user: "User | AnonymousUser") -> Roles:
    """Every role the user holds, read in one query (guardian's direct-FK tables)."""
    roles = Roles()
    if not user.is_authenticated or not user.is_active:
        return roles
    kind = ContentType.objects.get_for_model(Practice)  # cached by Django after once
    with connection.cursor() as cursor:
        cursor.execute(ROLES_SQL, {"user": user.pk, "kind": kind.pk})
        rows = cursor.fetchall()
    held: dict[int, set[str]] = {}
    for practice_id, codename, name, slug in rows:
        held.setdefault(practice_id, set()).add(codename)
        roles.names[practice_id] = (name, slug)
    roles.by_practice.update({pk: frozenset(codes) for pk, codes in held.items()})
    return roles
