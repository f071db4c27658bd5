"""Hand-built worlds for the scorecard, with times on the practice's wall clock."""

from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from escalation.models import Escalation
from escalation.services import route_for
from notes.models import Note, QAReview
from queue_app.access import grant_role
from queue_app.models import (
    Appointment,
    CallAttempt,
    CommunicationMoment,
    Message,
    Practice,
    Promise,
    Role,
    StaffProfile,
    WorkItem,
)
from templates_lib.models import ResponseTemplate
from tests import factories
from tests.factories import verified_login

NY = ZoneInfo("America/New_York")
WEEK = date(2026, 11, 9)  # Monday of 2026-W46, EST (UTC-5) all week
_keys = count(1)


def local(day: date, hhmm: str, tz: ZoneInfo = NY) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def day(offset: int, base: date = WEEK) -> date:
    return base + timedelta(days=offset)


def item(practice: Practice, patient, key: str, received: datetime, **fields) -> WorkItem:
    fields.setdefault("language", patient.preferred_language if patient else "en")
    status = fields.get("status", WorkItem.Status.NEW)
    if status in (WorkItem.Status.ASSIGNED, WorkItem.Status.WAITING):
        fields.setdefault("owner", fields.pop("owner_user"))
    fields.pop("owner_user", None)
    return factories.make_item(practice, patient=patient, key=key, received_at=received, **fields)


def template(practice: Practice, key: str, language: str, channel: str = "sms"):
    approved = ResponseTemplate.objects.filter(
        practice=practice, moment__key=key, language=language, status="approved"
    ).order_by("purpose", "pk")
    return approved.filter(channel=channel, purpose="first_response").first() or approved.first()


def send(work_item: WorkItem, at: datetime, *, tmpl=None, automatic=False, status="delivered"):
    return Message.objects.create(
        practice=work_item.practice,
        item=work_item,
        patient=work_item.patient,
        direction="out",
        channel="sms",
        body="(test) response",
        language=work_item.language,
        template=tmpl,
        is_automatic=automatic,
        status=status,
        idempotency_key=f"test-{next(_keys)}",
        created=at,
    )


def call(work_item: WorkItem, at: datetime, outcome: str = "reached", number: int = 1):
    return CallAttempt.objects.create(
        item=work_item, number=number, attempted_at=at, outcome=outcome
    )


def escalate(work_item: WorkItem, at: datetime, route: str, *, detected_by="assistant", **fields):
    return Escalation.objects.create(
        practice=work_item.practice,
        item=work_item,
        route=route_for(practice=work_item.practice, kind=route),
        reason="test",
        detected_by=detected_by,
        created=at,
        ack_due_at=at + timedelta(hours=1),
        **fields,
    )


def review(work_item: WorkItem, week: date, assistant, **fields) -> QAReview:
    fields = {"created": local(week, "09:00")} | fields
    return factories.make_review(work_item, assistant, week, **fields)


def note(work_item: WorkItem, at: datetime, author, **fields) -> Note:
    return Note.objects.create(
        practice=work_item.practice,
        item=work_item,
        author=author,
        label=Note.Label.VAGUE if fields.get("override_reason") else Note.Label.ACTIONABLE,
        free_text="Handled",
        created=at,
        **fields,
    )


def promise(work_item: WorkItem, due: datetime, *, kept=None, broken=None, kind="follow_up"):
    return Promise.objects.create(
        item=work_item,
        kind=kind,
        due_at=due,
        made_at=due - timedelta(days=1),
        kept_at=kept,
        kept_by_action="response_queued" if kept else "",
        broken_at=broken,
    )


def appointment(patient, starts: datetime, *, created: datetime | None = None, **fields):
    appt = factories.make_appointment(patient, starts_at=starts, **fields)
    if created is not None:
        Appointment.objects.filter(pk=appt.pk).update(created=created)
    return appt


def set_targets(practice: Practice, minutes: int = 60) -> None:
    CommunicationMoment.objects.filter(practice=practice).update(first_response_minutes=minutes)


def fast_user(username: str, practice: Practice | None = None, role: str | None = None) -> User:
    """A person without a password: hashing one costs most of a test's time."""
    user = User.objects.create(username=username, first_name=username, email=f"{username}@x.test")
    StaffProfile.objects.create(user=user, languages=["en", "es"])
    if practice is not None and role is not None:
        grant_role(user=user, practice=practice, role=role)
    return user


@pytest.fixture
def boss(practice_a):
    """practice_a's manager, signed in with a second factor."""
    return fast_user("boss-a", practice_a, Role.MANAGER)


@pytest.fixture
def manager_client(client, boss):
    verified_login(client, boss)
    return client


@pytest.fixture
def world(practice_a):
    """The week 2026-W46 of practice_a, every metric's right answer worked out by hand.

    Targets are 60 business minutes everywhere; business hours Mon–Fri 08:00–17:00.
    """
    set_targets(practice_a)
    assistant = fast_user("worker-a", practice_a, Role.ASSISTANT)
    p1 = factories.make_patient(practice_a, preferred_language="en")
    p2 = factories.make_patient(practice_a, preferred_language="es")
    p3 = factories.make_patient(practice_a, preferred_language="es")
    owned = {"owner_user": assistant}
    w = {}
    # Before the week: still open at its end, and the earlier item i1 repeats.
    w["i0"] = item(
        practice_a, p1, "reschedule", local(date(2026, 11, 5), "10:00"), status="escalated"
    )
    w["i10"] = item(
        practice_a,
        p3,
        "cancel",
        local(date(2026, 11, 4), "10:00"),
        status="resolved",
        resolved_at=local(day(1), "11:00"),
    )
    w["i11"] = item(
        practice_a,
        p3,
        "cancel",
        local(date(2026, 10, 1), "10:00"),
        status="resolved",
        resolved_at=local(date(2026, 10, 2), "10:00"),
    )
    # The week's items.
    w["i1"] = item(
        practice_a,
        p1,
        "reschedule",
        local(day(0), "09:00"),
        status="resolved",
        resolved_at=local(day(0), "10:00"),
    )
    w["i2"] = item(practice_a, p2, "reschedule", local(day(0), "16:30"), status="assigned", **owned)
    w["i3"] = item(
        practice_a,
        p2,
        "reschedule",
        local(day(2), "10:00"),
        channel="portal",
        status="waiting",
        **owned,
    )
    w["i7"] = item(
        practice_a,
        p3,
        "records_request",
        local(day(3), "09:00"),
        channel="schedule",
        status="resolved",
        resolved_at=local(day(3), "09:30"),
    )
    w["i4"] = item(
        practice_a,
        p3,
        "appointment_request",
        local(day(4), "16:00"),
        channel="voicemail",
        repeat_of=w["i7"],
    )
    w["i5"] = item(
        practice_a,
        p1,
        "billing_question",
        local(day(5), "11:00"),
        status="resolved",
        resolved_at=local(day(7), "09:00"),
    )
    w["i6"] = item(
        practice_a,
        p1,
        "service_recovery",
        local(day(1), "12:00"),
        boundary="complaint",
        status="resolved",
        resolved_at=local(day(3), "12:00"),
        triage_reasons=['complaint: "nobody called back" (repeated-failure frustration, R12)'],
    )
    w["i9"] = item(
        practice_a,
        p1,
        "other_admin",
        local(day(3), "14:00"),
        channel="portal",
        boundary="complaint",
        status="resolved",
        resolved_at=local(day(3), "15:00"),
        triage_reasons=['complaint: "refund" (disputes a charge, R12)'],
    )
    # First meaningful responses (and what must not count).
    send(w["i1"], local(day(0), "09:30"), tmpl=template(practice_a, "reschedule", "en"))
    send(
        w["i2"],
        local(day(0), "16:31"),
        tmpl=template(practice_a, "reschedule", "es"),
        automatic=True,
    )
    send(w["i2"], local(day(1), "08:45"), tmpl=template(practice_a, "reschedule", "es"))
    call(w["i3"], local(day(2), "10:05"), outcome="no_answer", number=1)
    call(w["i3"], local(day(2), "10:20"), outcome="reached", number=2)
    send(w["i3"], local(day(2), "11:00"), tmpl=template(practice_a, "reschedule", "es"))
    send(
        w["i4"],
        local(day(4), "16:10"),
        tmpl=template(practice_a, "appointment_request", "es"),
        status="failed",
    )
    send(w["i4"], local(day(4), "16:20"))  # a note-like message without a template
    send(w["i5"], local(day(7), "08:30"), tmpl=template(practice_a, "billing_question", "en"))
    send(w["i6"], local(day(1), "12:10"), tmpl=template(practice_a, "service_recovery", "en"))
    send(w["i9"], local(day(3), "14:30"), tmpl=template(practice_a, "other_admin", "en"))
    # Escalations: two by people (one judged appropriate, one not), one found by QA.
    escalate(w["i6"], local(day(1), "12:05"), "complaints", judged_appropriate=True)
    escalate(
        w["i0"], local(day(2), "09:00"), "clinical", detected_by="triage", judged_appropriate=False
    )
    escalate(w["i2"], local(day(3), "09:00"), "clinical", detected_by="qa")
    # QA: two finished reviews this week (one passed), one pending, one of last week.
    review(
        w["i1"],
        WEEK,
        assistant,
        status="done",
        passed=False,
        missed_escalation=True,
        reviewed_at=local(day(8), "10:00"),
        checks={"outcome_present": False, "next_step_clear": False},
    )
    review(
        w["i5"],
        WEEK,
        assistant,
        status="done",
        passed=True,
        reviewed_at=local(day(8), "10:00"),
        checks={"outcome_present": True},
    )
    review(w["i3"], WEEK, assistant)
    review(
        w["i0"],
        WEEK - timedelta(weeks=1),
        assistant,
        status="done",
        passed=True,
        reviewed_at=local(day(1), "10:00"),
    )
    # Appointments starting in the week.
    appointment(
        p1, local(day(1), "10:00"), confirmation="confirmed", confirmed_at=local(day(0), "12:00")
    )
    appointment(
        p2, local(day(2), "10:00"), confirmation="confirmed", confirmed_at=local(day(2), "10:30")
    )
    appointment(p2, local(day(3), "09:00"), status="no_show", created=local(day(-30), "09:00"))
    appointment(p2, local(day(11), "09:00"), created=local(day(3), "15:00"))  # rebooked
    appointment(
        p3,
        local(day(4), "11:00"),
        status="cancelled",
        confirmation="confirmed",
        confirmed_at=local(day(0), "09:00"),
    )
    appointment(p3, local(day(0), "08:00"), status="no_show", created=local(day(-30), "09:00"))
    appointment(p3, local(day(20), "08:00"), created=local(day(8), "08:30"))  # too late
    # Notes saved over the checker: two in the week (one of them twice on the same item), one
    # the week before; an ordinary note does not count.
    note(w["i1"], local(day(0), "10:00"), assistant, override_reason="Patient hung up")
    note(w["i1"], local(day(0), "10:05"), assistant, override_reason="Corrected the time")
    note(w["i3"], local(day(2), "11:00"), assistant, override_reason="Only wanted the address")
    note(w["i10"], local(date(2026, 11, 4), "11:00"), assistant, override_reason="Before")
    note(w["i2"], local(day(0), "17:00"), assistant)
    # Promises due in the week: two kept before their time, two broken (one of them a
    # callback on an item that also kept one); one due the week before, one the week after.
    promise(w["i1"], local(day(1), "10:00"), kept=local(day(1), "09:00"))
    promise(w["i1"], local(day(2), "15:00"), broken=local(day(2), "15:01"), kind="callback")
    promise(w["i2"], local(day(3), "10:00"), kept=local(day(3), "09:30"))
    promise(w["i4"], local(day(4), "17:00"), broken=local(day(4), "17:01"))
    promise(w["i3"], local(day(-1), "10:00"), broken=local(day(-1), "10:01"))
    promise(w["i5"], local(day(8), "10:00"))
    w["patients"] = (p1, p2, p3)
    w["now"] = local(day(11), "12:00")
    return w
