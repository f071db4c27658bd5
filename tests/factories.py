"""Plain functions that build rows for tests, with sensible defaults and explicit overrides."""

from datetime import date, datetime, timedelta
from itertools import count

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from notes.models import QAReview
from queue_app.access import grant_role
from queue_app.models import (
    Appointment,
    CommunicationMoment,
    Consent,
    Message,
    Patient,
    Practice,
    PracticeNumber,
    StaffProfile,
    WorkItem,
)
from templates_lib.services import install_default_playbook

_serial = count(1)
PASSWORD = "correct-horse-battery"  # noqa: S105

BUSINESS_HOURS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def make_practice(slug: str | None = None, **overrides) -> Practice:
    n = next(_serial)
    fields = {
        "slug": slug or f"practice-{n}",
        "name": f"{(slug or 'Practice').title()} Clinic",
        "timezone": "America/New_York",
        "languages": ["en"],
        "phone": f"+1305555{n:04d}",
        "business_hours": BUSINESS_HOURS,
        "emergency_script": "If this is an emergency, call 911.",
    }
    fields.update(overrides)
    practice = Practice.objects.create(**fields)
    PracticeNumber.objects.create(practice=practice, number=practice.phone)
    install_default_playbook(practice=practice, now=timezone.now() - timedelta(days=30))
    return practice


def make_user(
    username: str,
    practice: Practice | None = None,
    role: str | None = None,
    languages: list[str] | None = None,
    email: str = "",
) -> User:
    user = User.objects.create_user(
        username=username, email=email, password=PASSWORD, first_name=username
    )
    StaffProfile.objects.create(user=user, languages=languages or ["en"])
    if practice is not None and role is not None:
        grant_role(user=user, practice=practice, role=role)
    return user


def make_patient(practice: Practice, **overrides) -> Patient:
    n = next(_serial)
    fields = {
        "practice": practice,
        "first_name": "Avery",
        "last_name": f"Tester{n}",
        "phone": f"+1202555{n % 10000:04d}",
        "preferred_language": "en",
        "external_id": f"MRN-{n}",
    }
    fields.update(overrides)
    patient = Patient.objects.create(**fields)
    Consent.objects.create(
        patient=patient,
        channel="sms",
        granted=True,
        source="intake form",
        recorded_at=timezone.now() - timedelta(days=100),
    )
    return patient


def moment(practice: Practice, key: str = "reschedule") -> CommunicationMoment:
    return practice.moments.get(key=key)


def make_item(
    practice: Practice,
    *,
    patient: Patient | None = None,
    key: str = "reschedule",
    received_at: datetime | None = None,
    **overrides,
) -> WorkItem:
    received = received_at or timezone.now() - timedelta(minutes=30)
    fields = {
        "practice": practice,
        "patient": patient,
        "moment": moment(practice, key),
        "channel": WorkItem.Channel.SMS,
        "patient_words": "I need to move my appointment on Thursday.",
        "language": patient.preferred_language if patient else "en",
        "received_at": received,
        "due_at": received + timedelta(hours=2),
    }
    fields.update(overrides)
    return WorkItem.objects.create(**fields)


def make_message(item: WorkItem, **overrides) -> Message:
    """A message about `item`: outbound SMS, queued, unless the overrides say otherwise."""
    fields = {
        "practice": item.practice,
        "item": item,
        "patient": item.patient,
        "direction": Message.Direction.OUTBOUND,
        "channel": Message.Channel.SMS,
        "body": "Hi Avery, we got your request.",
        "status": Message.Status.QUEUED,
        "idempotency_key": f"test-message-{next(_serial)}",
        "created": timezone.now(),
    }
    fields.update(overrides)
    return Message.objects.create(**fields)


def make_review(item: WorkItem, assistant: User, week: date, **overrides) -> QAReview:
    """A routine QA review of the assistant's work on `item`, sampled in `week`."""
    fields = {
        "practice": item.practice,
        "item": item,
        "assistant": assistant,
        "week": week,
        "stratum": QAReview.Stratum.ROUTINE,
        "created": timezone.now(),
    }
    return QAReview.objects.create(**fields | overrides)


def make_appointment(
    patient: Patient, *, starts_at: datetime | None = None, **overrides
) -> Appointment:
    start = starts_at or timezone.now() + timedelta(days=3)
    fields = {
        "practice": patient.practice,
        "patient": patient,
        "provider_name": "Dr. Huang",
        "starts_at": start,
        "ends_at": start + timedelta(minutes=30),
        "location": "Suite 200",
    }
    fields.update(overrides)
    return Appointment.objects.create(**fields)


def verified_login(client: Client, user: User) -> None:
    """Sign `client` in as `user`, past the second factor (managers and admins must have one)."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
