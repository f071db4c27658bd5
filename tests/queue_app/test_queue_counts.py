"""Each quick filter above the queue says how many items it holds, counted in one query over
the practices the user works only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queue_app import selectors
from queue_app.models import WorkItem
from tests import factories
from tests.queue_app.queue_helpers import NOW, open_item, owned_item

pytestmark = pytest.mark.django_db
URL = reverse("queue:queue")


def a_mixed_queue(practice, patient, assistant, assistant_2, now):
    """2 overdue (1 of them mine), 1 sent back (mine), 1 waiting (mine), 1 someone else's,
    1 unassigned on time, 1 resolved."""
    late = {"received_at": now - timedelta(hours=3), "due_at": now - timedelta(hours=1)}
    recent = {"received_at": now - timedelta(minutes=30)}
    open_item(practice, patient, **late)
    owned_item(practice, patient, assistant, **late)
    owned_item(practice, patient, assistant, sent_back_at=now - timedelta(minutes=5), **recent)
    open_item(practice, patient, owner=assistant, status="waiting", **late)
    owned_item(
        practice, patient, assistant_2, first_response_at=now - timedelta(minutes=1), **recent
    )
    open_item(practice, patient, **recent)
    open_item(practice, patient, status="resolved", resolved_at=now, **recent)


def test_it_counts_each_quick_filter_in_one_query(
    practice_a, patient, assistant, assistant_2, django_assert_num_queries
):
    a_mixed_queue(practice_a, patient, assistant, assistant_2, NOW)

    with django_assert_num_queries(1):
        counts = selectors.queue_counts(
            user=assistant, filters=selectors.QueueFilters(), now=NOW, practices=[practice_a]
        )

    assert counts == {
        "all": 6,
        "overdue": 2,
        "sent_back": 1,
        "unassigned": 2,
        "mine": 3,
        "waiting": 1,
    }


def test_the_other_filters_narrow_the_counts(practice_a, patient, assistant, assistant_2):
    a_mixed_queue(practice_a, patient, assistant, assistant_2, NOW)
    filters = selectors.QueueFilters(scope="mine", show="overdue")

    counts = selectors.queue_counts(user=assistant, filters=filters, now=NOW)

    # The quick filter chosen does not narrow its own neighbours' counts; "Whose" does.
    assert counts["all"] == 3 and counts["overdue"] == 1 and counts["unassigned"] == 0


def test_items_of_practices_the_user_does_not_work_are_not_counted(
    practice_a, practice_b, patient, assistant, outsider
):
    open_item(practice_b, factories.make_patient(practice_b), due_at=NOW - timedelta(minutes=1))
    open_item(
        practice_a, patient, received_at=NOW - timedelta(hours=1), due_at=NOW - timedelta(minutes=1)
    )

    mine = selectors.queue_counts(user=assistant, filters=selectors.QueueFilters(), now=NOW)
    theirs = selectors.queue_counts(user=outsider, filters=selectors.QueueFilters(), now=NOW)

    assert (mine["all"], mine["overdue"]) == (1, 1)
    assert (theirs["all"], theirs["overdue"]) == (1, 1)


def test_the_page_shows_the_counts_and_a_quick_filter_narrows_the_list(
    client, practice_a, patient, assistant, assistant_2
):
    now = timezone.now()
    a_mixed_queue(practice_a, patient, assistant, assistant_2, now)
    client.force_login(assistant)

    body = client.get(URL + "?block=").content.decode()
    assert 'Overdue <span class="count">(2)</span>' in body
    assert 'Sent back <span class="count">(1)</span>' in body
    assert 'Waiting on patient <span class="count">(1)</span>' in body
    assert 'All open <span class="count">(6)</span>' in body
    assert body.count("data-queue-row") == 6

    response = client.get(URL + "?block=&show=overdue", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.count("data-queue-row") == 2
    assert "2 open items" in body
    assert 'aria-current="true">Overdue' in body
    # The quick filter rides along when a select of the filter form changes.
    assert '<input type="hidden" name="show" value="overdue" form="queue-filters">' in body
    # The 15-second poll brings the counts with the rows.
    assert 'hx-select-oob="#quick-filters,#queue-count"' in body


def test_an_unknown_quick_filter_shows_everything(client, assistant, practice_a, patient):
    open_item(practice_a, patient, received_at=timezone.now() - timedelta(minutes=5))
    client.force_login(assistant)
    response = client.get(URL + "?block=&show=nonsense")
    assert response.status_code == 200
    assert response.content.decode().count("data-queue-row") == 1


def test_a_poll_refreshes_counts_without_a_query_per_row(
    client, assistant, practice_a, patient, django_assert_num_queries
):
    for _ in range(12):
        open_item(practice_a, patient, status=WorkItem.Status.NEW)
    client.force_login(assistant)
    client.get(URL + "?block=")
    poll = {"HX-Request": "true", "X-Background-Poll": "1"}
    # The queue page's poll (test_queue_page): the counts replace the paginator's count.
    with django_assert_num_queries(8):
        body = client.get(URL + "?block=", headers=poll).content.decode()
    assert 'All open <span class="count">(12)</span>' in body
