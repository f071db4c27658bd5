"""Campaigns built the way a manager builds them: through the services, approved by another."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign
from queue_app.clock import zone
from queue_app.models import Consent, Patient, Practice
from tests import factories

BODY_EN = (
    "Hi {first_name}, {practice_name} now offers flu shots at your visit on "
    "{appointment_date}. Questions? Call {practice_phone}."
)
BODY_ES = (
    "Hola {first_name}, {practice_name} ya ofrece vacunas contra la gripe en su cita del "
    "{appointment_date}. ¿Preguntas? Llame al {practice_phone}."
)
LIST_BODY = "Hi {first_name}, {practice_name} has new evening hours. Call {practice_phone}."


def visit_day(practice: Practice, days: int = 3) -> date:
    return (timezone.now().astimezone(zone(practice.timezone)) + timedelta(days=days)).date()


def book(patient: Patient, day: date, *, hour: int = 10, **overrides):
    starts = datetime.combine(day, time(hour), tzinfo=zone(patient.practice.timezone))
    return factories.make_appointment(patient, starts_at=starts, **overrides)


def day_campaign(practice: Practice, author, day: date, **fields) -> Campaign:
    values = {
        "name": "Flu shots",
        "moment": practice.moments.get(key="appointment_time_question"),
        "audience": Campaign.Audience.APPOINTMENT_DAY,
        "appointment_date": day,
        "provider_name": "",
        "mrns": [],
        "body_en": BODY_EN,
        "body_es": BODY_ES,
    }
    values.update(fields)
    return services.create_campaign(
        practice=practice, fields=values, actor=author, now=timezone.now()
    )


def approve(campaign: Campaign, approver) -> Campaign:
    services.approve_campaign(
        campaign=campaign, version=campaign.version, actor=approver, now=timezone.now()
    )
    campaign.refresh_from_db()
    return campaign


def withdraw_consent(patient: Patient) -> None:
    Consent.objects.create(
        patient=patient, channel="sms", granted=False, source="asked at the desk",
        recorded_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
