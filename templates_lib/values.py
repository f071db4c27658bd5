"""The values that fill a template's placeholders for one work item, in the patient's language."""

from datetime import datetime, timedelta

import phonenumbers

from queue_app.clock import BusinessHours, add_business_minutes, zone
from queue_app.models import Appointment, Patient, Practice, WorkItem

MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
}
WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "es": ["lun", "mar", "mie", "jue", "vie", "sab", "dom"],
}
DEFAULT_WINDOW = {"en": "during office hours", "es": "en horario de oficina"}
# When nobody promised a follow-up time, the next update is due within this much business time.
DEFAULT_UPDATE_MINUTES = 120


def format_date(moment: datetime, tz_name: str, language: str) -> str:
    local = moment.astimezone(zone(tz_name))
    lang = language if language in MONTHS else "en"
    weekday, month = WEEKDAYS[lang][local.weekday()], MONTHS[lang][local.month - 1]
    if lang == "es":
        return f"{weekday} {local.day} {month}"
    return f"{weekday}, {month} {local.day}"


def format_time(moment: datetime, tz_name: str, language: str) -> str:
    local = moment.astimezone(zone(tz_name))
    hour = local.hour % 12 or 12
    suffix = (
        ("AM" if local.hour < 12 else "PM")
        if language != "es"
        else ("a. m." if local.hour < 12 else "p. m.")
    )
    return f"{hour}:{local.minute:02d} {suffix}"


def format_phone(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def next_update_phrase(moment: datetime, now: datetime, tz_name: str, language: str) -> str:
    local, today = moment.astimezone(zone(tz_name)), now.astimezone(zone(tz_name)).date()
    time_text = format_time(moment, tz_name, language)
    if local.date() == today:
        return f"hoy antes de las {time_text}" if language == "es" else f"by {time_text} today"
    if local.date() == today + timedelta(days=1):
        return (
            f"mañana antes de las {time_text}" if language == "es" else (f"by {time_text} tomorrow")
        )
    day = format_date(moment, tz_name, language)
    return f"el {day} antes de las {time_text}" if language == "es" else f"by {time_text} {day}"


def upcoming_appointment(patient: Patient | None, now: datetime) -> Appointment | None:
    if patient is None:
        return None
    return (
        patient.appointments.filter(status=Appointment.Status.BOOKED, starts_at__gte=now)
        .order_by("starts_at")
        .first()
    )


def practice_values(practice: Practice) -> dict[str, str]:
    return {"practice_name": practice.name, "practice_phone": format_phone(practice.phone)}


def appointment_values(appointment: Appointment | None, language: str) -> dict[str, str]:
    if appointment is None:
        return {}
    tz_name = appointment.practice.timezone
    return {
        "appointment_date": format_date(appointment.starts_at, tz_name, language),
        "appointment_time": format_time(appointment.starts_at, tz_name, language),
        "provider_name": appointment.provider_name,
        "telehealth_link": appointment.telehealth_link,
        "location": appointment.location,
        "missing_items": appointment.missing_forms,
    }


def item_values(item: WorkItem, now: datetime) -> dict[str, str]:
    """Every placeholder value known for this item; a missing one is simply absent."""
    practice, patient, language = item.practice, item.patient, item.language
    values = practice_values(practice)
    values.update(appointment_values(upcoming_appointment(patient, now), language))
    if patient is not None:
        values["first_name"] = patient.first_name
        values["callback_window"] = patient.contact_window or DEFAULT_WINDOW[language]
    if item.needed_from_patient:
        values["missing_items"] = item.needed_from_patient
    hours = BusinessHours.from_json(practice.timezone, practice.business_hours)
    update_at = item.follow_up_at or add_business_minutes(now, DEFAULT_UPDATE_MINUTES, hours)
    values["next_update"] = next_update_phrase(update_at, now, practice.timezone, language)
    return {name: value for name, value in values.items() if value}


# What a placeholder is called when a person is told its value is missing.
VALUE_NAMES = {
    "first_name": "the patient's first name",
    "practice_name": "the practice's name",
    "practice_phone": "the practice's phone number",
    "appointment_date": "an appointment date",
    "appointment_time": "an appointment time",
    "provider_name": "the provider's name",
    "telehealth_link": "a video visit link",
    "missing_items": "what is still needed from the patient",
    "next_update": "when the next update comes",
    "callback_window": "a callback window",
    "location": "the visit's location",
}


def value_names(names: list[str]) -> str:
    """'an appointment date and an appointment time': missing values in words, not keys."""
    words = [VALUE_NAMES.get(name, name.replace("_", " ")) for name in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
