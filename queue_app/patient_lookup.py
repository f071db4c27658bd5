"""The new-item form's patient lookup: a small, deliberate stand-in for full patient search.

One function, `lookup_patients`, so that it can be replaced by the search built for the
patient page without touching the form or its views.
"""

from datetime import date, datetime

import phonenumbers
from django.db.models import Q

from queue_app.models import Patient, Practice
from queue_app.search import fold, folded

# Dates of birth the way staff type them.
DOB_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%m-%d-%Y", "%d.%m.%Y")
LIMIT = 8


def parse_dob(text: str) -> date | None:
    for fmt in DOB_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed if parsed.year >= 1900 else None
    return None


def practice_region(practice: Practice) -> str:
    """The region a number typed without its country code belongs to: the practice's own."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(practice.phone)) or "US"
    except phonenumbers.NumberParseException:
        return "US"


def parse_phone(text: str, region: str) -> str | None:
    """A valid phone number in any format, as E.164; None for anything else."""
    if sum(c.isdigit() for c in text) < 7:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def lookup_patients(*, practices: list[Practice], query: str) -> list[Patient]:
    """Patients of these practices matching what staff typed: a phone number in any format,
    or words that are each part of the name (accent- and case-insensitive) or a date of birth
    ("gomez 3/14/1961"). At most LIMIT, by name."""
    query = query.strip()[:80]
    if not query or not practices:
        return []
    patients = Patient.objects.filter(practice__in=practices).select_related("practice")
    phones = {parse_phone(query, practice_region(p)) for p in practices} - {None}
    if phones:
        condition = Q(phone__in=phones)
    else:
        patients = patients.annotate(first=folded("first_name"), last=folded("last_name"))
        condition = Q()
        for term in query.replace(",", " ").split():
            born = parse_dob(term)
            if born is not None:
                condition &= Q(date_of_birth=born)
            else:
                word = fold(term)
                condition &= Q(first__contains=word) | Q(last__contains=word)
    return list(patients.filter(condition).order_by("last_name", "first_name", "id")[:LIMIT])
