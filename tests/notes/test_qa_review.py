"""The managers' QA review queue, scoring a review, and the assistant's own reviews."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from notes import services
from notes.models import QAReview, QASettings
from queue_app.models import AuditEvent, Role, WorkItem
from tests import factories
from tests.factories import verified_login

WEEK = date(2026, 3, 2)
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
ALL_YES = {name: "yes" for name, _ in QAReview.CHECKS} | {"missed_escalation": "no"}


def sampled_review(practice, owner, **overrides) -> QAReview:
    at = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    item = factories.make_item(
        practice,
        received_at=at - timedelta(hours=1),
        status=WorkItem.Status.RESOLVED,
        owner=owner,
        resolved_at=at,
    )
    return factories.make_review(item, owner, WEEK, **{"created": NOW} | overrides)


@pytest.fixture
def review(practice_a, assistant):
    return sampled_review(practice_a, assistant)


def review_url(review) -> str:
    return reverse("notes:qa-review", args=[review.code])


def test_the_manager_sees_pending_reviews_of_their_practices(
    client, manager, review, practice_b, outsider
):
    other = sampled_review(practice_b, outsider)
    verified_login(client, manager)

    response = client.get(reverse("notes:qa-queue"))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(review.code) in html
    assert str(other.code) not in html
    audit = AuditEvent.objects.get(action="view_qa_queue")
    assert audit.patient_ids == ([review.item.patient_id] if review.item.patient_id else [])


def test_the_queue_shows_an_empty_state(client, manager):
    verified_login(client, manager)

    response = client.get(reverse("notes:qa-queue"))

    assert response.status_code == 200
    assert b"Nothing waiting for review" in response.content


def test_an_assistant_cannot_open_the_review_queue(client, assistant, review):
    client.force_login(assistant)

    assert client.get(reverse("notes:qa-queue")).status_code == 403
    assert client.get(review_url(review)).status_code == 403


def test_an_outsider_gets_404_on_a_review(client, outsider, review):
    client.force_login(outsider)

    assert client.get(review_url(review)).status_code == 404
    assert client.post(review_url(review), ALL_YES).status_code == 404


def test_the_review_page_shows_the_items_notes_messages_and_the_checklist(
    client, manager, review, assistant
):
    services.record_note(
        item=review.item, author=assistant, fields={"free_text": "Handled"}, now=NOW
    )
    verified_login(client, manager)

    response = client.get(review_url(review))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Handled" in html
    assert "No messages on this item" in html
    for _, label in QAReview.CHECKS:
        assert label in html
    assert AuditEvent.objects.filter(action="view_qa_review", object_code=str(review.code))


def test_all_checks_yes_passes(client, manager, review):
    verified_login(client, manager)

    response = client.post(review_url(review), {**ALL_YES, "comment": "Clear and complete."})

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == QAReview.Status.DONE
    assert review.passed is True
    assert review.reviewer == manager
    assert review.checks == {name: True for name, _ in QAReview.CHECKS}
    assert review.missed_escalation is False
    assert review.reviewed_at is not None
    assert AuditEvent.objects.filter(action="score_qa_review", object_code=str(review.code))


def test_one_failed_check_fails_and_a_missed_escalation_is_recorded(client, manager, review):
    verified_login(client, manager)
    answers = {**ALL_YES, "escalation_clear": "no", "missed_escalation": "yes"}

    client.post(review_url(review), {**answers, "comment": "Chest pain not routed."})

    review.refresh_from_db()
    assert review.passed is False
    assert review.checks["escalation_clear"] is False
    assert review.missed_escalation is True
    assert review.comment == "Chest pain not routed."


def test_an_incomplete_checklist_re_renders_with_errors(client, manager, review):
    verified_login(client, manager)
    answers = {**ALL_YES, "identity_before_disclosure": "no"}  # no comment

    response = client.post(review_url(review), answers)

    assert response.status_code == 200
    assert b"Say what was missing" in response.content
    review.refresh_from_db()
    assert review.status == QAReview.Status.PENDING


def test_a_review_is_scored_once(manager, review, practice_a):
    other_manager = factories.make_user("manager-a2", practice_a, Role.MANAGER)
    checks = {name: True for name, _ in QAReview.CHECKS}
    services.submit_review(
        review=review, reviewer=manager, checks=checks, missed_escalation=False, comment="", now=NOW
    )

    with pytest.raises(services.ReviewRefused):
        services.submit_review(
            review=review,
            reviewer=other_manager,
            checks={name: False for name in checks},
            missed_escalation=True,
            comment="",
            now=NOW,
        )
    review.refresh_from_db()
    assert review.passed is True and review.reviewer == manager


def test_nobody_reviews_their_own_work(practice_a, manager):
    own = sampled_review(practice_a, manager)

    with pytest.raises(services.ReviewRefused):
        services.submit_review(
            review=own,
            reviewer=manager,
            checks={name: True for name, _ in QAReview.CHECKS},
            missed_escalation=False,
            comment="",
            now=NOW,
        )


def test_the_qa_review_post_and_get_only(client, manager, review):
    verified_login(client, manager)

    assert client.put(review_url(review)).status_code == 405
    assert client.get(reverse("notes:qa-settings", args=["alpha"])).status_code == 405


def test_a_manager_sets_the_practices_sample_size(client, manager, practice_a, assistant):
    verified_login(client, manager)

    response = client.post(reverse("notes:qa-settings", args=["alpha"]), {"sample_size": "7"})

    assert response.status_code == 302
    assert QASettings.objects.get(practice=practice_a).sample_size == 7
    client.force_login(assistant)
    assert (
        client.post(reverse("notes:qa-settings", args=["alpha"]), {"sample_size": "2"}).status_code
        == 403
    )


def test_an_assistant_sees_only_their_own_done_reviews(
    client, assistant, assistant_2, manager, practice_a
):
    checks = {name: True for name, _ in QAReview.CHECKS}
    mine = sampled_review(practice_a, assistant)
    services.submit_review(
        review=mine,
        reviewer=manager,
        checks={**checks, "next_step_clear": False},
        missed_escalation=False,
        comment="Say when the next attempt is.",
        now=NOW,
    )
    sampled_review(practice_a, assistant)  # still pending
    theirs = sampled_review(practice_a, assistant_2)
    services.submit_review(
        review=theirs,
        reviewer=manager,
        checks=checks,
        missed_escalation=False,
        comment="Colleague comment",
        now=NOW,
    )
    client.force_login(assistant)

    response = client.get(reverse("notes:my-reviews"))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(mine.code) in html
    assert "Say when the next attempt is." in html
    assert "✗ Next step clear" in html
    assert "1 more of your items is waiting for review" in html
    assert str(theirs.code) not in html
    assert "Colleague comment" not in html
    assert AuditEvent.objects.filter(action="view_my_reviews", actor=assistant).exists()


def test_my_reviews_shows_an_empty_state(client, assistant):
    client.force_login(assistant)

    response = client.get(reverse("notes:my-reviews"))

    assert response.status_code == 200
    assert b"No reviews of your work yet" in response.content
