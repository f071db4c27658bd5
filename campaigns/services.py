"""Writing, approving and starting a campaign: every change audited, four eyes on wording.

Whoever last wrote a campaign's wording, audience or schedule cannot approve it, and any edit
after approval sends it back to draft (a recurring campaign stops repeating until the new
version is approved and started). Sending starts once, by a conditional update on the
campaign's status, whoever clicks and however often; a worker does the sending
(campaigns.sending). A recurring campaign's occurrences are started by a periodic job, each
once (`start_due_occurrences`).
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from campaigns import recurrence
from campaigns.models import Campaign
from queue_app.jobs import enqueue
from queue_app.models import AuditEvent, Practice
from templates_lib.lint import lint_template
from templates_lib.rendering import find_placeholders

SEND_CAMPAIGN = "campaigns.tasks.send_campaign_task"
FIELDS = (
    "name",
    "moment",
    "audience",
    "appointment_date",
    "provider_name",
    "recall_months",
    "mrns",
    "body_en",
    "body_es",
    "repeat",
    "days_ahead",
    "first_send_on",
    "send_time",
)
# What an occurrence copies from its recurring campaign: the approved wording and group.
COPIED = ("name", "moment_id", "audience", "provider_name", "recall_months", "mrns")
# An occurrence found due later than this (the job or its workers were down) is skipped: the
# next one comes in its turn, rather than a message long after its time.
CATCH_UP = timedelta(hours=12)
# Only a campaign to an appointment day knows the appointment.
APPOINTMENT_PLACEHOLDERS = {"appointment_date", "appointment_time", "provider_name", "location"}
# What a campaign body may name: the patient, the practice and (for a day) the appointment.
ALLOWED_PLACEHOLDERS = {"first_name", "practice_name", "practice_phone"} | APPOINTMENT_PLACEHOLDERS


class CampaignError(Exception):
    """A change the campaign's state or its checks refuse; `errors` by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_campaign(fields: dict[str, Any]) -> dict[str, str]:
    """What stops these values from being saved, by field (the wording through the lint)."""
    errors: dict[str, str] = {}
    if not (fields.get("body_en", "").strip() or fields.get("body_es", "").strip()):
        errors["body_en"] = "Write the message in at least one language."
    for language in ("en", "es"):
        body = fields.get(f"body_{language}", "").strip()
        if not body:
            continue
        issues = [
            issue.message
            for issue in lint_template(body, language=language, channel="sms", purpose="campaign")
            if issue.severity == "error"
        ]
        names = {name for _, name in find_placeholders(body)}
        if names - ALLOWED_PLACEHOLDERS:
            issues.append(
                "A campaign can't fill "
                + ", ".join(sorted("{" + n + "}" for n in names - ALLOWED_PLACEHOLDERS))
            )
        elif names & APPOINTMENT_PLACEHOLDERS and fields.get("audience") != "appointment_day":
            issues.append("Appointment details need an appointment-day audience")
        if issues:
            errors[f"body_{language}"] = ". ".join(issues) + "."
    recurring = fields.get("repeat", "once") != "once"
    if fields.get("audience") == "appointment_day":
        if recurring and fields.get("days_ahead") is None:
            errors["days_ahead"] = "Say how many days after each send the appointments are."
        elif not recurring and not fields.get("appointment_date"):
            errors["appointment_date"] = "Pick the day of the appointments."
    if recurring and not (fields.get("first_send_on") and fields.get("send_time")):
        errors["first_send_on"] = "Pick the day of the first send and the time of each."
    if fields.get("audience") == "overdue_recall" and not (fields.get("recall_months") or 0) >= 1:
        errors["recall_months"] = "Say how many months since the last visit make a patient overdue."
    if fields.get("audience") == "mrn_list" and not fields.get("mrns"):
        errors["mrns"] = "Upload a list with at least one MRN of this practice."
    return errors


@transaction.atomic
def create_campaign(
    *, practice: Practice, fields: dict[str, Any], actor: User, now: datetime
) -> Campaign:
    """A new draft campaign, its wording linted; the writer is its author."""
    errors = check_campaign(fields)
    if errors:
        raise CampaignError(errors)
    values = {name: fields[name] for name in FIELDS if name in fields}
    campaign = Campaign.objects.create(
        practice=practice, author=actor, created=now, updated=now, **values
    )
    _audit(campaign, actor, "campaign.create", f"version 1, {campaign.audience}", now)
    return campaign


@transaction.atomic
def update_campaign(
    *, campaign: Campaign, fields: dict[str, Any], actor: User, now: datetime
) -> Campaign:
    """Save an edit: back to draft, awaiting a second person's approval again."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.is_editable:
        raise CampaignError({"status": "A campaign that is sending or sent can't be changed."})
    # A partial edit is checked as the whole campaign it makes.
    errors = check_campaign({name: getattr(locked, name) for name in FIELDS} | fields)
    if errors:
        raise CampaignError(errors)
    changed = [name for name in FIELDS if name in fields and getattr(locked, name) != fields[name]]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, fields[name])
    was = locked.status
    locked.status, locked.approved_by, locked.approved_at = Campaign.Status.DRAFT, None, None
    locked.author, locked.version, locked.updated = actor, locked.version + 1, now
    locked.save()
    withdrawn = {
        Campaign.Status.APPROVED: "; approval withdrawn",
        Campaign.Status.REPEATING: "; approval withdrawn, repeating stopped",
        Campaign.Status.PAUSED: "; approval withdrawn, repeating stopped",
    }
    detail = f"version {locked.version}: {', '.join(changed)}" + withdrawn.get(was, "")
    _audit(locked, actor, "campaign.edit", detail, now)
    return locked


@transaction.atomic
def approve_campaign(*, campaign: Campaign, version: int, actor: User, now: datetime) -> None:
    """Approve the version the approver read; never the author's own, never a later one."""
    if campaign.author_id == actor.pk:
        raise CampaignError({"approval": "Someone other than its writer must approve it."})
    changed = (
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT, version=version)
        .exclude(author=actor)
        .update(status=Campaign.Status.APPROVED, approved_by=actor, approved_at=now, updated=now)
    )
    if not changed:
        raise CampaignError(
            {"approval": "It changed or was approved meanwhile: read it again before approving."}
        )
    _audit(campaign, actor, "campaign.approve", f"version {version}", now)


@transaction.atomic
def start_sending(*, campaign: Campaign, actor: User, now: datetime) -> None:
    """Approved → sending, once: a second click or a second admin finds nothing to start.
    A recurring campaign starts repeating instead; its occurrences are sent as they fall due."""
    recurring = campaign.is_recurring
    # `repeat` in the condition too: the page's button said "send" or "start repeating".
    changed = Campaign.objects.filter(
        pk=campaign.pk, status=Campaign.Status.APPROVED, repeat=campaign.repeat
    ).update(
        status=Campaign.Status.REPEATING if recurring else Campaign.Status.SENDING,
        sent_by=actor,
        send_started_at=now,
        updated=now,
    )
    if not changed:
        raise CampaignError({"send": "It is not approved, or its sending has already started."})
    action = "campaign.start_repeating" if recurring else "campaign.send"
    _audit(campaign, actor, action, f"version {campaign.version}", now)
    if not recurring:
        enqueue(SEND_CAMPAIGN, campaign.pk)


@transaction.atomic
def pause_campaign(*, campaign: Campaign, actor: User, now: datetime) -> None:
    """Repeating → paused: no occurrence starts until it is resumed (one already sending
    goes on)."""
    _switch(campaign, actor, now, Campaign.Status.REPEATING, Campaign.Status.PAUSED, "pause")


@transaction.atomic
def resume_campaign(*, campaign: Campaign, actor: User, now: datetime) -> None:
    """Paused → repeating, from now: an occurrence that fell due while paused is not sent."""
    _switch(campaign, actor, now, Campaign.Status.PAUSED, Campaign.Status.REPEATING, "resume")


def _switch(
    campaign: Campaign, actor: User, now: datetime, was: str, becomes: str, verb: str
) -> None:
    values = {"status": becomes, "updated": now}
    if becomes == Campaign.Status.REPEATING:
        values["send_started_at"] = now
    if not Campaign.objects.filter(pk=campaign.pk, status=was).update(**values):
        raise CampaignError({"status": f"It is not {Campaign.Status(was).label.lower()}."})
    _audit(campaign, actor, f"campaign.{verb}", f"version {campaign.version}", now)


def start_due_occurrences(*, now: datetime) -> list[int]:
    """Start each repeating campaign's occurrence that is due, once: its row is unique per
    (campaign, day), and the campaign is locked while it is made, so a second run of the job,
    beside or after this one, finds it there. Returns the ids of the sends started."""
    started = []
    for campaign_id in Campaign.objects.filter(status=Campaign.Status.REPEATING).values_list(
        "pk", flat=True
    ):
        occurrence = _start_occurrence(campaign_id, now)
        if occurrence is not None:
            started.append(occurrence.pk)
    return started


@transaction.atomic
def _start_occurrence(campaign_id: int, now: datetime) -> Campaign | None:
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("practice")
        .filter(pk=campaign_id, status=Campaign.Status.REPEATING)
        .first()
    )
    day = recurrence.latest_due(campaign, now) if campaign else None
    if day is None or campaign.occurrences.filter(occurs_on=day).exists():
        return None
    due = recurrence.due_at(campaign, day)
    if due < campaign.send_started_at or now - due > CATCH_UP:
        return None  # due before it started or resumed, or too long ago
    values = {name: getattr(campaign, name) for name in COPIED}
    if campaign.audience == Campaign.Audience.APPOINTMENT_DAY:
        values["appointment_date"] = day + timedelta(days=campaign.days_ahead)
    try:
        with transaction.atomic():
            occurrence = Campaign.objects.create(
                **values,
                practice=campaign.practice,
                body_en=campaign.body_en,
                body_es=campaign.body_es,
                status=Campaign.Status.SENDING,
                version=campaign.version,
                author_id=campaign.author_id,
                approved_by_id=campaign.approved_by_id,
                approved_at=campaign.approved_at,
                sent_by_id=campaign.sent_by_id,
                send_started_at=now,
                parent=campaign,
                occurs_on=day,
                created=now,
                updated=now,
            )
    except IntegrityError:
        return None  # made meanwhile by another run (the unique key)
    _audit(
        occurrence,
        None,
        "campaign.occurrence",
        f"{day.isoformat()}, version {campaign.version}",
        now,
    )
    enqueue(SEND_CAMPAIGN, occurrence.pk)
    return occurrence


def _audit(campaign: Campaign, actor: User | None, action: str, detail: str, now: datetime) -> None:
    AuditEvent.objects.create(
        actor=actor,
        service="" if actor else "campaigns",
        practice_id=campaign.practice_id,
        action=action,
        object_type="Campaign",
        object_code=str(campaign.code),
        detail=detail[:500],
        created=now,
    )
