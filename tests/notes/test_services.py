"""notes.services: append-only notes, corrections, the verdict that gates resolving, prefill."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import ProtectedError

from escalation.services import escalate_item
from notes import services
from notes.models import Note
from queue_app.models import CallAttempt, ItemEvent, Message, WorkItem
from templates_lib.models import ResponseTemplate
from tests.queue_app.queue_helpers import GOOD_NOTE, NOW


def test_record_note_appends_a_row_with_its_verdict_and_an_item_event(item, assistant):
    note = services.record_note(item=item, author=assistant, fields=GOOD_NOTE, now=NOW)

    note.refresh_from_db()
    assert note.label == Note.Label.ACTIONABLE
    assert note.missing == []
    assert note.practice == item.practice
    event = ItemEvent.objects.get(item=item, kind="note_added")
    assert event.actor == assistant
    assert event.after == {"note": str(note.code), "label": "actionable"}


def test_a_vague_note_is_recorded_as_vague_with_what_it_misses(item, assistant):
    note = services.record_note(
        item=item, author=assistant, fields={"free_text": "Handled"}, now=NOW
    )

    assert note.label == Note.Label.VAGUE
    assert "escalation_status" in note.missing


def test_record_actionable_note_refuses_a_vague_note_and_saves_nothing(item, assistant):
    for text in ("Handled", "LVM", "pt aware"):
        with pytest.raises(services.NoteRefused) as refused:
            services.record_actionable_note(
                item=item, author=assistant, fields={"free_text": text}, now=NOW
            )
        assert refused.value.verdict.label == "vague"
        assert refused.value.verdict.hints
    assert not Note.objects.filter(item=item).exists()
    assert not ItemEvent.objects.filter(item=item, kind="note_added").exists()


def test_the_refusal_hints_come_in_the_notes_language(item, assistant):
    with pytest.raises(services.NoteRefused) as refused:
        services.record_actionable_note(
            item=item, author=assistant, fields={"free_text": "LVM"}, now=NOW, language="es"
        )
    assert "Indique" in refused.value.verdict.hints["request"]


def test_a_correction_is_a_new_note_pointing_to_the_original_which_stays_as_written(
    item, assistant
):
    original = services.record_note(item=item, author=assistant, fields=GOOD_NOTE, now=NOW)
    fixed = dict(GOOD_NOTE, action_taken="Moved to 3/13 at 2:30 PM; confirmation text sent")

    correction = services.record_actionable_note(
        item=item, author=assistant, fields=fixed, now=NOW + timedelta(minutes=5), corrects=original
    )

    original.refresh_from_db()
    assert original.action_taken == GOOD_NOTE["action_taken"]
    assert correction.corrects == original
    assert list(original.corrections.all()) == [correction]
    assert item.notes.count() == 2
    event = ItemEvent.objects.get(item=item, kind="note_corrected")
    assert event.after["corrects"] == str(original.code)


def test_a_correction_must_point_to_a_note_of_the_same_item(practice_a, patient, item, assistant):
    other = WorkItem.objects.create(
        practice=practice_a,
        patient=patient,
        moment=item.moment,
        channel="sms",
        received_at=NOW,
        due_at=NOW + timedelta(hours=1),
    )
    original = services.record_note(item=other, author=assistant, fields=GOOD_NOTE, now=NOW)

    with pytest.raises(ValueError):
        services.record_note(
            item=item, author=assistant, fields=GOOD_NOTE, now=NOW, corrects=original
        )


def test_a_note_cannot_be_deleted_while_it_is_corrected(item, assistant):
    original = services.record_note(item=item, author=assistant, fields=GOOD_NOTE, now=NOW)
    services.record_note(
        item=item,
        author=assistant,
        fields=GOOD_NOTE,
        now=NOW + timedelta(minutes=1),
        corrects=original,
    )

    with pytest.raises(ProtectedError):
        original.delete()


def test_latest_note_verdict_reads_the_newest_note(item, assistant):
    assert services.latest_note_verdict(item) is None

    services.record_note(item=item, author=assistant, fields=GOOD_NOTE, now=NOW)
    assert services.latest_note_verdict(item).label == "actionable"

    services.record_note(
        item=item, author=assistant, fields={"free_text": "pt aware"}, now=NOW + timedelta(1)
    )
    verdict = services.latest_note_verdict(item)
    assert verdict.label == "vague"
    assert "action_taken" in verdict.missing


def test_prefill_turns_the_call_the_send_and_the_identity_check_into_note_fields(item, assistant):
    WorkItem.objects.filter(pk=item.pk).update(
        identity_verified_at=NOW - timedelta(minutes=10),
        verified_fields=["full_name", "date_of_birth"],
    )
    item.refresh_from_db()
    CallAttempt.objects.create(
        item=item,
        number=1,
        attempted_at=datetime(2026, 3, 4, 15, 42, tzinfo=UTC),
        outcome=CallAttempt.Outcome.VOICEMAIL,
        next_attempt_at=datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
        by=assistant,
    )
    template = ResponseTemplate.objects.filter(
        moment=item.moment, language="en", channel="sms", status="approved"
    ).first()
    Message.objects.create(
        practice=item.practice,
        item=item,
        patient=item.patient,
        direction="out",
        channel="sms",
        body="Hello",
        template=template,
        sent_by=assistant,
        status=Message.Status.SENT,
        idempotency_key="prefill-test",
        created=datetime(2026, 3, 4, 15, 40, tzinfo=UTC),
    )

    fields = services.prefill_fields(item=item, language="en", now=NOW)

    assert fields["contact_attempt"] == "Called at 10:42 AM, no answer, voicemail left"
    assert fields["promised_follow_up"] == "Next attempt on 3/5 at 10:00 AM"
    assert fields["action_taken"] == "Sent approved Reschedule response by SMS at 10:40 AM"
    assert fields["verified_details"] == "Full name and DOB verified"
    assert "escalation_status" not in fields  # the assistant must state it
    assert fields["request"] == f"Patient wrote: “{item.patient_words}”"


def test_prefill_in_spanish_and_with_an_open_escalation(item, assistant):
    escalate_item(
        item=item,
        route_kind="clinical",
        reason="Medication question",
        now=datetime(2026, 3, 4, 14, 15, tzinfo=UTC),
        actor=assistant,
    )

    fields = services.prefill_fields(item=item, language="es", now=NOW)

    assert fields["escalation_status"] == "Se pasó a enfermería (equipo clínico) a las 9:15 a. m."
    verdict = services.check_fields(item=item, fields=fields, language="es", now=NOW)
    assert "escalation_status" not in verdict.missing


def test_prefilled_fields_plus_the_assistants_words_make_an_actionable_note(item, assistant):
    WorkItem.objects.filter(pk=item.pk).update(
        identity_verified_at=NOW, verified_fields=["full_name", "date_of_birth"]
    )
    item.refresh_from_db()
    fields = services.prefill_fields(item=item, language="en", now=NOW)
    fields |= {
        "request": "Patient asked to move the Thursday visit",
        "action_taken": "Moved to 3/13 at 2:10 PM",
        "promised_follow_up": "Reminder goes out 3/12; item closed",
        "escalation_status": "No clinical questions raised",
    }

    assert (
        services.check_fields(item=item, fields=fields, language="en", now=NOW).label
        == "actionable"
    )
