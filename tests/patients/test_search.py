from datetime import date, timedelta

import pytest
from django.urls import reverse

from queue_app.models import AuditEvent, WorkItem
from queue_app.patient_search import lookup_patients, search_patients
from queue_app.search_terms import reference
from tests import factories
from tests.queue_app.queue_helpers import NOW, open_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def gomez(practice_a):
    return factories.make_patient(
        practice_a,
        first_name="Rosa",
        last_name="Gómez",
        date_of_birth=date(1961, 3, 14),
        phone="+15551234567",
        external_id="MRN-88123",
    )


@pytest.fixture
def namesakes(practice_a, practice_b):
    """Another Gómez with another birthday, and a Gómez with the same birthday elsewhere."""
    return [
        factories.make_patient(practice_a, last_name="Gomez", date_of_birth=date(1970, 1, 2)),
        factories.make_patient(
            practice_b,
            first_name="Rosa",
            last_name="Gómez",
            date_of_birth=date(1961, 3, 14),
            phone="+15551234567",
            external_id="MRN-88123",
        ),
    ]


def found(user, query) -> list:
    return list(search_patients(user, query))


def test_gomez_finds_gomez_with_its_accent(assistant, gomez, namesakes):
    assert set(found(assistant, "gomez")) == {namesakes[0], gomez}
    assert set(found(assistant, "GÓMEZ")) == {namesakes[0], gomez}
    assert set(found(assistant, "gom")) == {namesakes[0], gomez}


def test_name_and_date_of_birth_combine(assistant, gomez, namesakes):
    assert found(assistant, "GOMEZ 3/14/1961") == [gomez]
    assert found(assistant, "rosa gomez 1961-03-14") == [gomez]
    assert found(assistant, "March 14 1961 gomez") == [gomez]
    assert found(assistant, "14/03/1961") == [gomez]
    assert found(assistant, "gomez 3/15/1961") == []


def test_an_ambiguous_date_is_searched_both_ways(assistant, practice_a):
    april = factories.make_patient(practice_a, last_name="Abril", date_of_birth=date(1961, 4, 3))
    march = factories.make_patient(practice_a, last_name="Marzo", date_of_birth=date(1961, 3, 4))
    assert set(found(assistant, "03/04/1961")) == {april, march}


def test_phone_in_any_format(assistant, gomez, namesakes):
    for typed in ("(555) 123-4567", "+15551234567", "555.123.4567", "1 555 123 4567"):
        assert found(assistant, typed) == [gomez], typed


def test_mrn_as_typed_or_in_lower_case(assistant, gomez):
    assert found(assistant, "MRN-88123") == [gomez]
    assert found(assistant, "mrn-88123") == [gomez]
    assert found(assistant, "MRN-8812") == []


def test_an_item_reference_finds_its_patient_resolved_or_not(assistant, practice_a, gomez):
    done = open_item(
        practice_a,
        gomez,
        status=WorkItem.Status.RESOLVED,
        resolved_at=NOW,
        received_at=NOW - timedelta(days=90),
    )
    assert found(assistant, reference(done.code)) == [gomez]
    assert found(assistant, str(done.code)) == [gomez]


def test_never_another_practices_patient(outsider, gomez):
    assert found(outsider, "gomez") == []
    assert found(outsider, "(555) 123-4567") != [gomez]


def test_nothing_searchable_finds_nobody(assistant, gomez):
    assert found(assistant, "g") == []
    assert found(assistant, "   ") == []


def test_the_queue_filter_reads_the_same_terms(client, assistant, practice_a, gomez, namesakes):
    resolved = open_item(
        practice_a, gomez, status=WorkItem.Status.RESOLVED, resolved_at=NOW, key="cancel"
    )
    other = open_item(practice_a, namesakes[0])
    client.force_login(assistant)
    body = client.get(reverse("queue:queue"), {"q": "gomez 3/14/1961", "block": ""}).content
    assert str(resolved.code).encode() in body
    assert str(other.code).encode() not in body


# ------------------------------------------------------------------ the search page


def post(client, q, **extra):
    return client.post(reverse("patients:search"), {"q": q, **extra})


def test_the_page_lists_the_patient_with_open_and_resolved_items(
    client, assistant, practice_a, gomez, namesakes
):
    still_open = open_item(practice_a, gomez, key="referral_status")
    done = open_item(
        practice_a, gomez, status=WorkItem.Status.RESOLVED, resolved_at=NOW, key="cancel"
    )
    client.force_login(assistant)
    response = post(client, "GOMEZ 3/14/1961")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 patient matches" in body
    assert reverse("patients:patient", args=[gomez.code]) in body
    assert reference(still_open.code) in body and reference(done.code) in body
    assert "Resolved" in body
    assert reverse("patients:patient", args=[namesakes[1].code]) not in body


def test_the_search_is_audited_with_the_patients_shown_never_the_words(client, assistant, gomez):
    client.force_login(assistant)
    post(client, "gomez")
    event = AuditEvent.objects.get(action="patient_search")
    assert event.patient_ids == [gomez.pk]
    assert "gomez" not in str(event.__dict__).lower().replace(event.route, "")


def test_an_ambiguous_date_says_how_it_was_read(client, assistant, gomez):
    client.force_login(assistant)
    body = post(client, "03/04/1961").content.decode()
    assert "03/04/1961 can be 4 March 1961 or 3 April 1961: both are searched." in body


def test_an_empty_search_says_what_to_type(client, assistant):
    client.force_login(assistant)
    response = post(client, "")
    assert response.status_code == 200
    assert "Type a name, a date of birth" in response.content.decode()
    assert not AuditEvent.objects.filter(action="patient_search").exists()


def test_many_matches_are_paged_by_post(client, assistant, practice_a):
    for n in range(25):
        factories.make_patient(practice_a, first_name="Ana", last_name=f"Núñez{n:02d}")
    client.force_login(assistant)
    first = post(client, "nunez").content.decode()
    assert "25 patients match" in first
    assert first.count("data-result") == 20
    second = post(client, "nunez", page=2).content.decode()
    assert second.count("data-result") == 5


def test_the_get_shows_an_empty_form(client, assistant):
    client.force_login(assistant)
    response = client.get(reverse("patients:search"))
    assert response.status_code == 200
    assert "data-result" not in response.content.decode()


def test_search_queries_stay_bounded(client, assistant, practice_a, django_assert_max_num_queries):
    for n in range(20):
        patient = factories.make_patient(practice_a, first_name="Luz", last_name=f"Peña{n}")
        for _ in range(3):
            open_item(practice_a, patient)
    client.force_login(assistant)
    post(client, "pena")
    with django_assert_max_num_queries(14):
        assert post(client, "pena").content.decode().count("data-result") == 20


def test_an_overlong_search_is_refused_beside_the_box_and_kept(client, assistant):
    client.force_login(assistant)
    typed = "gomez " * 50
    response = post(client, typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "shorten it" in body
    assert "gomez gomez gomez" in body  # what was typed is still in the box
    assert not AuditEvent.objects.filter(action="patient_search").exists()


def test_the_reference_shown_on_the_item_panel_finds_its_patient(
    client, assistant, practice_a, gomez
):
    item = open_item(practice_a, gomez)
    client.force_login(assistant)
    panel = client.get(reverse("queue:item", args=[item.code])).content.decode()
    shown = panel.split('ref. <span class="ref">')[1].split("<")[0]
    assert shown == item.code.hex[:8].upper()
    body = post(client, shown).content.decode()
    assert "1 patient matches" in body
    assert reverse("patients:patient", args=[gomez.code]) in body


def test_a_form_can_look_up_within_practices_it_already_checked(practice_a, gomez, namesakes):
    from_a = lookup_patients(practices=[practice_a], query="gomez 3/14/1961")
    assert from_a == [gomez]
    assert len(lookup_patients(practices=[practice_a], query="gomez", limit=1)) == 1
