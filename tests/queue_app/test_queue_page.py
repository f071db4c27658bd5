from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from queue_app.models import AuditEvent, Practice, WorkItem
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("queue:queue")


def add_items(practice, count, **overrides):
    patients = [factories.make_patient(practice) for _ in range(3)]
    received = timezone.now() - timedelta(minutes=30)
    WorkItem.objects.bulk_create(
        WorkItem(
            practice=practice,
            patient=patients[n % 3],
            moment=factories.moment(practice),
            channel="sms",
            patient_words="Move my appointment please",
            language=patients[n % 3].preferred_language,
            received_at=received,
            due_at=received + timedelta(minutes=n),
            **overrides,
        )
        for n in range(count)
    )


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_it_lists_open_items_without_dob_or_full_phone(client, assistant, item, patient):
    patient.date_of_birth = "1980-05-17"
    patient.save()
    client.force_login(assistant)
    response = client.get(URL + "?block=")
    body = response.content.decode()
    assert response.status_code == 200
    assert patient.full_name in body
    assert patient.phone not in body and patient.phone[-7:] not in body
    assert "1980" not in body and "May 17" not in body
    assert 'hx-headers=\'{"X-Background-Poll": "1"}\'' in body
    assert 'hx-trigger="queue-stale from:body' in body  # told by the page's one poll


def test_the_name_policy_shortens_names(client, assistant, practice_a, item, patient):
    Practice.objects.filter(pk=practice_a.pk).update(name_policy="first_initial")
    client.force_login(assistant)
    body = client.get(URL + "?block=").content.decode()
    assert f"{patient.first_name} {patient.last_name[0]}." in body
    assert patient.last_name not in body


def test_it_records_the_patients_shown(client, assistant, item):
    client.force_login(assistant)
    client.get(URL + "?block=")
    event = AuditEvent.objects.get(action="queue_view")
    assert event.actor == assistant
    assert event.patient_ids == [item.patient_id]


def test_an_item_taken_by_someone_else_shows_as_taken(client, assistant, assistant_2, item):
    WorkItem.objects.filter(pk=item.pk).update(owner=assistant_2, status="assigned")
    client.force_login(assistant)
    body = client.get(URL + "?block=").content.decode()
    assert "Taken by assistant-a2" in body
    assert reverse("queue:item-claim", args=[item.code]) not in body


def test_htmx_gets_the_results_fragment(client, assistant, item):
    client.force_login(assistant)
    response = client.get(URL + "?block=&language=en", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="queue-rows"' in body


def test_the_rhythm_block_is_preselected_and_kept_in_links(client, assistant, item):
    client.force_login(assistant)
    body = client.get(URL).content.decode()
    assert "block=morning" in body or "block=midday" in body or "block=afternoon" in body


def test_a_clinical_member_has_no_queue(client, clinical, item):
    client.force_login(clinical)
    response = client.get(URL)
    assert response.status_code == 200
    assert "not been granted" in response.content.decode()


def test_an_outsider_does_not_see_other_practices_items(client, outsider, item, patient):
    client.force_login(outsider)
    body = client.get(URL + "?block=").content.decode()
    assert patient.last_name not in body


def test_overdue_items_are_highlighted(client, assistant, practice_a, patient):
    received = timezone.now() - timedelta(hours=5)
    factories.make_item(
        practice_a, patient=patient, received_at=received, due_at=received + timedelta(hours=1)
    )
    client.force_login(assistant)
    assert 'class="overdue"' in client.get(URL + "?block=").content.decode()


def row_of(body: str, item) -> str:
    start = body.index(f'data-code="{item.code}"')
    return body[start : body.index("</tr>", start)]


def test_rows_give_the_browser_the_times_their_age_and_deadline_count_from(
    client, assistant, practice_a, patient
):
    # The browser prints ages and turns a passing deadline into "Overdue" from these
    # (static/js/ages.js, tests/browser/test_live_screen.py): the rows are not redrawn for it.
    now = timezone.now()
    due_soon = factories.make_item(
        practice_a, patient=patient, received_at=now - timedelta(minutes=5),
        due_at=now + timedelta(minutes=30),
    )  # fmt: skip
    late = factories.make_item(
        practice_a, patient=patient, received_at=now - timedelta(hours=3),
        due_at=now - timedelta(hours=1),
    )  # fmt: skip
    answered = factories.make_item(practice_a, patient=patient, first_response_at=now)
    client.force_login(assistant)
    body = client.get(URL + "?block=").content.decode()

    soon_row = row_of(body, due_soon)
    assert f'<time datetime="{due_soon.received_at.isoformat()}" data-age' in soon_row
    assert ">5m</time>" in soon_row
    assert f'data-overdue-from="{due_soon.due_at.isoformat()}"' in soon_row
    assert "Overdue" in row_of(body, late) and "data-overdue-from" not in row_of(body, late)
    assert "data-overdue-from" not in row_of(body, answered)
    assert 'data-now="' in body  # the server's clock, against a browser's that is off


def test_a_repeat_contact_says_so(client, assistant, practice_a, patient):
    first = factories.make_item(practice_a, patient=patient)
    factories.make_item(practice_a, patient=patient, repeat_of=first)
    client.force_login(assistant)
    assert "Repeat contact" in client.get(URL + "?block=").content.decode()


def test_pages_hold_fifty_rows_and_keep_filters(client, assistant, practice_a):
    add_items(practice_a, 60)
    client.force_login(assistant)
    body = client.get(URL + "?block=&language=en").content.decode()
    assert body.count("data-queue-row") == 50
    assert "page=2" in body and "language=en" in body
    second = client.get(URL + "?block=&language=en&page=2").content.decode()
    assert second.count("data-queue-row") == 10


@pytest.mark.parametrize("scope", ["", "mine"])
def test_the_query_count_is_the_same_for_10_and_100_rows(
    client, assistant, practice_a, django_assert_num_queries, scope
):
    client.force_login(assistant)
    url = URL + f"?block=&scope={scope}"
    overrides = {"owner": assistant, "status": "assigned"} if scope else {}
    add_items(practice_a, 10, **overrides)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_items(practice_a, 90, **overrides)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("data-queue-row") == 50


def test_the_queue_page_costs_nine_queries(
    client, assistant, practice_a, django_assert_num_queries
):
    # session, user, OTP device, roles (one query for the navigation and the view), the
    # worked practices, the moments of the filter, the quick filters' counts (which are the
    # list's count too), the rows, the audit row.
    # The idle stamp is written at most once a minute, so a warm session adds no write.
    add_items(practice_a, 60)
    client.force_login(assistant)
    client.get(URL + "?block=")  # the first request stamps the session
    with django_assert_num_queries(9):
        assert client.get(URL + "?block=").status_code == 200


def test_an_htmx_refresh_keeps_the_moment_filter(client, assistant, practice_a, patient):
    factories.make_item(practice_a, patient=patient, key="reschedule")
    other = factories.make_item(practice_a, patient=patient, key="cancel")
    client.force_login(assistant)
    response = client.get(URL + "?block=&moment=cancel", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("data-queue-row") == 1
    assert str(other.code) in body


def test_the_poll_skips_the_filter_bar_query(
    client, assistant, practice_a, django_assert_num_queries
):
    add_items(practice_a, 5)
    client.force_login(assistant)
    client.get(URL + "?block=")
    poll = {"HX-Request": "true", "X-Background-Poll": "1"}
    with django_assert_num_queries(8):  # the page's nine less the moments of the filter bar
        assert client.get(URL + "?block=", headers=poll).status_code == 200
