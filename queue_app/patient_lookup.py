"""How the new-item form reads a new patient's date of birth and phone as staff type them.

Finding an existing patient is the patient search's (`queue_app.patient_search.lookup_patients`).
"""

import phonenumbers

from queue_app.models import Practice

# Dates of birth the way staff type them.
DOB_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%m-%d-%Y", "%d.%m.%Y")


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
