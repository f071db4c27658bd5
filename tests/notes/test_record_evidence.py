"""notes.services.judge: what the item's own record shows counts for its element."""

from datetime import UTC, datetime, timedelta

from escalation.services import escalate_item
from notes import services
from queue_app.models import CallAttempt, WorkItem

# Wednesday 4 March 2026, 10:00 in New York.
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)

TEXT_ONLY = {
    "request": "Patient asked to move the Thursday visit",
    "action_taken": "Moved to 3/13 at 2:10 PM",
    "escalation_status": "No clinical questions",
}


def _verify_identity(item: WorkItem) -> None:
    WorkItem.objects.filter(pk=item.pk).update(
        identity_verified_at=NOW - timedelta(minutes=5), verified_fields=["date_of_birth"]
    )
    item.refresh_from_db()


def test_identity_check_and_follow_up_on_the_item_complete_the_note(item):
    _verify_identity(item)
    WorkItem.objects.filter(pk=item.pk).update(follow_up_at=NOW + timedelta(days=1))
    item.refresh_from_db()

    verdict = services.check_fields(item=item, fields=TEXT_ONLY, language="en", now=NOW)

    assert verdict.label == "actionable"
    assert verdict.from_record == ("verified_details", "promised_follow_up")
    assert verdict.found["verified_details"] == "DOB verified"
    assert verdict.found["promised_follow_up"] == "Follow-up on 3/5 at 10:00 AM"


def test_without_the_record_the_same_text_is_vague(item):
    verdict = services.check_fields(item=item, fields=TEXT_ONLY, language="en", now=NOW)

    assert verdict.label == "vague"
    assert "promised_follow_up" in verdict.missing
    assert verdict.from_record == ()


def test_a_logged_voicemail_counts_as_the_contact_attempt(item, assistant):
    CallAttempt.objects.create(
        item=item,
        number=1,
        attempted_at=NOW - timedelta(minutes=20),
        outcome=CallAttempt.Outcome.VOICEMAIL,
        by=assistant,
    )

    known = services.record_facts(item=item, language="en", now=NOW, evidence=True)

    assert known["contact_attempt"] == "Called at 9:40 AM, no answer, voicemail left"


def test_a_call_with_nothing_left_is_a_draft_not_evidence(item, assistant):
    CallAttempt.objects.create(
        item=item,
        number=1,
        attempted_at=NOW - timedelta(minutes=20),
        outcome=CallAttempt.Outcome.NO_ANSWER,
        by=assistant,
    )

    assert "contact_attempt" in services.prefill_fields(item=item, language="en", now=NOW)
    known = services.record_facts(item=item, language="en", now=NOW, evidence=True)
    assert "contact_attempt" not in known


def test_an_open_escalation_covers_a_symptom_in_the_text(item, assistant):
    escalate_item(
        item=item,
        route_kind="clinical",
        reason="Rash",
        now=NOW - timedelta(hours=1),
        actor=assistant,
    )
    fields = TEXT_ONLY | {"escalation_status": "Pt mentioned a new rash"}

    verdict = services.check_fields(item=item, fields=fields, language="en", now=NOW)

    assert "escalation_status" not in verdict.missing
    assert "escalation_status" in verdict.from_record
