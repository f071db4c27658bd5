"""Security alerting: a spike of refused webhooks or refused requests tells the admins.

One forged webhook or one 404 means little; twenty in ten minutes means someone is forging
texts to a practice's number or a member's account is probing for other practices' records.
Each refusal is counted in the shared cache per practice and per fixed window
(SECURITY_ALERT_WINDOW_MINUTES); the refusal that reaches the kind's threshold raises the
alert, once per window: an audit row (the durable record, on the audit log), an email to the
practice's admins (ids and counts only) and a banner on their pages for BANNER_HOURS.
Refusals that name no practice (a forged webhook to an unknown number, a person of no
practice) alert the site's ADMINS by email.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, mail_admins
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from queue_app.audit import record_service_action
from queue_app.break_glass import admins_of
from queue_app.models import AuditEvent, Practice

logger = logging.getLogger(__name__)
SERVICE = "alerting"
BANNER_HOURS = 24
WEBHOOK_REJECTED = "webhook_rejected"
ACCESS_DENIED = "access_denied"


@dataclass(frozen=True)
class Kind:
    threshold_setting: str
    action: str  # the audit row's action
    title: str
    what: str  # plain words: "<count> <what> within <minutes> minutes"
    advice: str


KINDS = {
    WEBHOOK_REJECTED: Kind(
        "WEBHOOK_REJECTION_ALERT_THRESHOLD",
        "alert_webhook_rejections",
        "forged Twilio requests refused",
        "texts or calls claiming to come from Twilio were refused for a bad signature",
        "Someone may be forging messages to your number, or the Twilio auth token was "
        "changed without updating the queue. Check the Twilio console.",
    ),
    ACCESS_DENIED: Kind(
        "DENIAL_ALERT_THRESHOLD",
        "alert_access_denials",
        "many refused requests",
        "requests by people of your practice were refused (no permission or not found)",
        "Someone may be trying other practices' records with a member's account. Check the "
        "audit log and ask the people concerned.",
    ),
}
ALERT_ACTIONS = [kind.action for kind in KINDS.values()]


def _window(now: datetime) -> int:
    return int(now.timestamp()) // (settings.SECURITY_ALERT_WINDOW_MINUTES * 60)


def counter_key(*, kind: str, practice_id: int | None, now: datetime) -> str:
    """The cache key counting `kind` refusals of a practice in the window holding `now`."""
    return f"alerting:{kind}:{practice_id or 0}:{_window(now)}"


def refusal_count(*, kind: str, practice_id: int | None, now: datetime) -> int:
    """How many refusals of `kind` the practice has had in the current window (the metric)."""
    return cache.get(counter_key(kind=kind, practice_id=practice_id, now=now)) or 0


def record_refusal(*, kind: str, practice_ids: Iterable[int | None], now: datetime) -> int:
    """Count one refusal against each practice; raise an alert where it reaches the
    threshold. Returns how many alerts were raised."""
    ttl = settings.SECURITY_ALERT_WINDOW_MINUTES * 60 * 2
    threshold = getattr(settings, KINDS[kind].threshold_setting)
    raised = 0
    for practice_id in set(practice_ids):
        key = counter_key(kind=kind, practice_id=practice_id, now=now)
        cache.add(key, 0, timeout=ttl)
        try:
            count = cache.incr(key)  # atomic in Redis: exactly one refusal sees the threshold
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=ttl)
            count = 1
        # "once per window" also holds when the counter was lost and counted up again.
        if count == threshold and cache.add(f"{key}:raised", 1, timeout=ttl):
            raise_alert(kind=kind, practice_id=practice_id, count=count)
            raised += 1
    return raised


def raise_alert(*, kind: str, practice_id: int | None, count: int) -> AuditEvent:
    """Record the spike on the audit log and email the admins once it is committed."""
    practice = Practice.objects.filter(pk=practice_id).first() if practice_id else None
    minutes = settings.SECURITY_ALERT_WINDOW_MINUTES
    text = f"{count} {KINDS[kind].what} within {minutes} minutes."
    logger.warning("security alert %s: practice %s, %s within %s min", kind, practice_id,
                   count, minutes)  # fmt: skip
    event = record_service_action(
        service=SERVICE, action=KINDS[kind].action, practice=practice, detail=text
    )
    transaction.on_commit(lambda: email_alert(kind=kind, practice=practice, text=text))
    return event


def email_alert(*, kind: str, practice: Practice | None, text: str) -> int:
    """Email the practice's admins (the site's ADMINS when no practice is named); counts
    and a link only. A failing mail server is logged: the refused request stays refused."""
    advice = KINDS[kind].advice
    try:
        if practice is None:
            mail_admins(f"Security alert: {KINDS[kind].title}", f"{text}\n\n{advice}\n")
            return len(settings.ADMINS)
        recipients = [user.email for user in admins_of(practice)]
        if not recipients:
            return 0
        link = settings.BASE_URL + reverse("queue:audit-log")
        body = f"{practice.name}: {text}\n\n{advice}\n\nThe audit log: {link}\n"
        subject = f"[Security alert] {practice.name}: {KINDS[kind].title}"
        EmailMessage(subject=subject, body=body, to=recipients).send()
    except OSError:
        logger.exception("security alert %s: the email could not be sent", kind)
        return 0
    return len(recipients)


def recent_alerts(*, practice_ids: Iterable[int], now: datetime | None = None) -> list[AuditEvent]:
    """The alerts of these practices raised in the last BANNER_HOURS, newest first."""
    now = now or timezone.now()
    return list(
        AuditEvent.objects.filter(
            service=SERVICE,
            action__in=ALERT_ACTIONS,
            practice__in=list(practice_ids),
            created__gte=now - timedelta(hours=BANNER_HOURS),
        )
        .select_related("practice")
        .order_by("-created", "-id")[:5]
    )
