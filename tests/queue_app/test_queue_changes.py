"""The practices' change marks that let the queue poll answer without reading the queue."""

from datetime import UTC, datetime, timedelta

import pytest

from queue_app import changes
from queue_app.events import record_item_event, record_item_events
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 4, 15, 0, 10, tzinfo=UTC)


def marker(*practices) -> str:
    return changes.queue_marker(practice_ids=[p.pk for p in practices])


def test_an_event_renews_its_practices_mark_when_it_commits(
    practice_a, practice_b, item, django_capture_on_commit_callbacks
):
    before_a, before_b = marker(practice_a), marker(practice_b)
    with django_capture_on_commit_callbacks(execute=True):
        record_item_event(item=item, kind="flagged", now=NOW, service="deadline-watch")
        assert marker(practice_a) == before_a  # not before the commit
    assert marker(practice_a) != before_a
    assert marker(practice_b) == before_b


def test_an_event_named_by_item_id_finds_its_practice(
    practice_a, item, django_capture_on_commit_callbacks
):
    before = marker(practice_a)
    with django_capture_on_commit_callbacks(execute=True):
        record_item_event(item=item.pk, kind="flagged", now=NOW, service="deadline-watch")
    assert marker(practice_a) != before


def test_events_on_many_items_renew_every_practice_they_touch(
    practice_a, practice_b, item, django_capture_on_commit_callbacks
):
    other = factories.make_item(practice_b, patient=factories.make_patient(practice_b))
    before = marker(practice_a), marker(practice_b), marker(practice_a, practice_b)
    with django_capture_on_commit_callbacks(execute=True):
        record_item_events(
            item_ids=[item.pk, other.pk], kind="overdue_flagged", now=NOW, service="deadline-watch"
        )
    after = marker(practice_a), marker(practice_b), marker(practice_a, practice_b)
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_a_lost_mark_means_a_redraw_not_silence(practice_a, item):
    changes.renew_marks([practice_a.pk])
    before = marker(practice_a)
    changes.cache.delete(changes._key(practice_a.pk))
    assert marker(practice_a) != before


def banner(user, *, work=(), handle=(), now=NOW) -> str:
    return changes.banner_marker(
        user_id=user.pk,
        work_ids=[p.pk for p in work],
        handle_ids=[p.pk for p in handle],
        now=now,
    )


def test_a_persons_mark_renews_their_banner_alone_when_it_commits(
    assistant, assistant_2, practice_a, django_capture_on_commit_callbacks
):
    before = banner(assistant, work=[practice_a]), banner(assistant_2, work=[practice_a])
    assert before[0] != before[1]  # a banner is one person's
    with django_capture_on_commit_callbacks(execute=True):
        changes.person_changed(assistant.pk)
        assert banner(assistant, work=[practice_a]) == before[0]  # not before the commit
    assert banner(assistant, work=[practice_a]) != before[0]
    assert banner(assistant_2, work=[practice_a]) == before[1]


def test_the_banner_marker_turns_with_its_practices_roles_and_minute(
    assistant, practice_a, practice_b
):
    before = banner(assistant, work=[practice_a])
    assert banner(assistant, handle=[practice_a]) != before
    assert banner(assistant, work=[practice_a], handle=[practice_b]) != before
    assert banner(assistant, work=[practice_a], now=NOW + timedelta(seconds=45)) == before
    assert banner(assistant, work=[practice_a], now=NOW + timedelta(seconds=50)) != before
    changes.renew_marks([practice_b.pk])
    assert banner(assistant, work=[practice_a]) == before
    changes.renew_marks([practice_a.pk])
    assert banner(assistant, work=[practice_a]) != before
