"""Finding a patient or an item: by name, date of birth, phone, MRN or item reference, across
the practices the user may read, open and resolved items alike.

`search_patients(user, query)` is the one entry point for any screen that needs to find a
patient (the search page, the staff-entry form); the queue's own filter box reads its text
through `item_condition`. Terms are read by `queue_app.search_terms.parse_query`.
"""

from collections.abc import Iterable

import phonenumbers
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from queue_app import access
from queue_app.models import Patient, Practice, WorkItem
from queue_app.search_terms import SearchTerms, Word, parse_query


def readable_practices(user: User) -> QuerySet[Practice]:
    """Practices whose patients the user may look up: those whose items they may read
    (the same rule as access.get_item_for_user and access.get_patient_for_user)."""
    worked = access.practices_for(user, access.WORK).values("pk")
    handled = access.practices_for(user, access.ESCALATIONS).values("pk")
    return Practice.objects.filter(Q(pk__in=worked) | Q(pk__in=handled))


def phone_region(practices: Iterable[Practice]) -> str:
    """Where a phone typed without a country code is read: the practice's own country."""
    for practice in practices:
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(practice.phone))
        except phonenumbers.NumberParseException:
            continue
        if region and region != "ZZ":
            return region
    return "US"


def _word_condition(word: Word) -> Q:
    # A name contains the word wherever it is; an MRN matches whole, as typed or upper-cased
    # (the (practice, external_id) index answers both).
    condition = Q(search_name__contains=word.folded) | Q(
        external_id__in=sorted({word.typed, word.typed.upper()})
    )
    if word.code is not None:
        condition |= Q(pk__in=_patients_of_items(word.code))
    return condition


def _patients_of_items(code_range: tuple) -> list[int]:
    """The patients of the items whose code is in the range, read first: a plain list keeps
    the OR with the name and MRN arms indexable, where a subquery made PostgreSQL scan every
    patient (1.2 s at 100,000)."""
    items = WorkItem.objects.filter(code__range=code_range, patient__isnull=False)
    return list(items.values_list("patient_id", flat=True)[:100])


def patient_condition(terms: SearchTerms) -> Q:
    """Every term must match (read against Patient rows)."""
    condition = Q()
    for word in terms.words:
        condition &= _word_condition(word)
    for readings in terms.dates:
        condition &= Q(date_of_birth__in=readings)
    for phone in terms.phones:
        condition &= Q(phone=phone)
    for code in terms.codes:
        condition &= Q(pk__in=_patients_of_items(code))
    return condition


def patients_matching(terms: SearchTerms, practice_ids: Iterable[int]) -> QuerySet[Patient]:
    """Patients of these practices that match every term, by name then id."""
    if terms.empty:
        return Patient.objects.none()
    return (
        Patient.objects.filter(practice_id__in=list(practice_ids))
        .filter(patient_condition(terms))
        .select_related("practice")
        .order_by("last_name", "first_name", "id")
    )


def item_condition(terms: SearchTerms) -> Q:
    """Items whose patient matches the terms, or, for a full item code, that item itself."""
    if terms.empty:
        return Q()
    patient_terms = SearchTerms(words=terms.words, dates=terms.dates, phones=terms.phones)
    condition = Q()
    if not patient_terms.empty:
        patients = Patient.objects.filter(patient_condition(patient_terms))
        condition &= Q(patient__in=patients.values("pk"))
    for low, high in terms.codes:
        condition &= Q(code__range=(low, high))
    return condition


def search_patients(user: User, query: str) -> QuerySet[Patient]:
    """The patients this user may see that match what they typed ("gomez 3/14/1961")."""
    practices = list(readable_practices(user))
    terms = parse_query(query, region=phone_region(practices))
    return patients_matching(terms, [p.pk for p in practices])


def lookup_patients(*, practices: list[Practice], query: str, limit: int = 8) -> list[Patient]:
    """For a form that picks one patient among practices already checked (the staff-entry
    form): the first matches, by name. Same signature as queue_app.patient_lookup's."""
    terms = parse_query(query, region=phone_region(practices))
    return list(patients_matching(terms, [p.pk for p in practices])[:limit])
