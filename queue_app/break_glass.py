"""Break-glass: a manager opens another practice's item in an emergency, and everyone knows.

Nobody sees a practice they were not granted, except here: a person who manages a practice
may read one item of another practice for BREAK_GLASS_MINUTES after stating why. The grant is
for that item only and read-only (`access.get_item_for_user`); opening it writes an audit row
with the reason, and the practice's admins are emailed and see it on their break-glass page.
"""

import logging
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from guardian.shortcuts import get_users_with_perms

from queue_app import access
from queue_app.models import BreakGlassGrant, Practice, WorkItem

logger = logging.getLogger(__name__)
BREAK_GLASS_MINUTES = 30
MIN_REASON = 30


class BreakGlassRefused(Exception):
    """The request cannot open anything; the message says why in plain words."""


def may_break_glass(user: User) -> bool:
    """Only people who manage some practice may ask."""
    return access.practices_for(user, access.MANAGE).exists()


@transaction.atomic
def open_break_glass(*, user: User, code: UUID, reason: str, now: datetime) -> BreakGlassGrant:
    """Grant `user` read access to the item `code` for BREAK_GLASS_MINUTES, for `reason`.

    The practice's admins are emailed once the grant is committed. The caller audits it.
    """
    if not may_break_glass(user):
        raise BreakGlassRefused("Only managers may use emergency access.")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise BreakGlassRefused(
            f"Say why in at least {MIN_REASON} characters: the practice's admins will read it."
        )
    item = WorkItem.objects.select_related("practice").filter(code=code).first()
    if item is None:
        raise BreakGlassRefused("No item has this reference. Check it with the other practice.")
    grant = BreakGlassGrant.objects.create(
        user=user,
        practice=item.practice,
        item=item,
        reason=reason[:500],
        created=now,
        expires_at=now + timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    logger.warning("break-glass %s: user %s opened item %s", grant.code, user.pk, item.pk)
    transaction.on_commit(lambda: notify_admins(grant=grant))
    return grant


def admins_of(practice: Practice) -> list[User]:
    """The practice's active admins (those who hold the playbook permission)."""
    users = get_users_with_perms(
        practice, only_with_perms_in=[access.PLAYBOOK], with_superusers=False,
        with_group_users=True,
    )  # fmt: skip
    return list(users.filter(is_active=True).exclude(email="").order_by("username"))


def notify_admins(*, grant: BreakGlassGrant) -> int:
    """Email each admin of the grant's practice: who, until when, and where to read why."""
    recipients = [user.email for user in admins_of(grant.practice)]
    if not recipients:
        return 0
    link = settings.BASE_URL + reverse("queue:break-glass-log", args=[grant.practice.slug])
    who = grant.user.get_full_name() or grant.user.username
    body = (
        f"{who} used emergency (break-glass) access to an item of {grant.practice.name}.\n"
        f"Item: {grant.item.code}\n"
        f"From {grant.created:%Y-%m-%d %H:%M} to {grant.expires_at:%H:%M} UTC, read-only.\n"
        f"Their stated reason and every such access: {link}\n\n"
        "Patient details are never sent by email: sign in to see them.\n"
    )
    subject = f"[Emergency access] {grant.practice.name}: an item was opened by {who}"
    EmailMessage(subject=subject, body=body, to=recipients).send()
    return len(recipients)


def grants_for(*, practice: Practice, limit: int = 200) -> list[BreakGlassGrant]:
    """The practice's break-glass grants, newest first, for its admins' page."""
    return list(
        BreakGlassGrant.objects.filter(practice=practice)
        .select_related("user", "item")
        .order_by("-created", "-id")[:limit]
    )
