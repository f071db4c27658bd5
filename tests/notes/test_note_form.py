"""The note form: prefill, languages, the live HTMX check partial."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notes.forms import NoteForm, ReviewForm
from queue_app.models import AuditEvent, CallAttempt, WorkItem

HTMX = {"HTTP_HX_REQUEST": "true"}


def check_url(item) -> str:
    return reverse("notes:item-notes-check", args=[item.code])


def test_the_live_check_lists_the_missing_elements_with_hints(client, item, assistant):
    client.force_login(assistant)

    response = client.post(check_url(item), {"free_text": "LVM", "language": "en"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="note-check-{item.code}"' in html
    assert 'data-verdict="vague"' in html
    assert "Still vague" in html
    assert "Promised follow-up" in html and "Add what happens next and when" in html


def test_the_live_check_marks_an_actionable_note(client, item, assistant):
    client.force_login(assistant)
    good = {
        "request": "Patient asked to move the 3/6 visit",
        "verified_details": "Name and DOB verified",
        "action_taken": "Moved to 3/13 at 2:10 PM; confirmation text sent",
        "promised_follow_up": "Reminder goes out 3/12; item closed",
        "escalation_status": "No clinical questions",
        "language": "en",
    }

    response = client.post(check_url(item), good, **HTMX)

    assert response.status_code == 200
    assert b'data-verdict="actionable"' in response.content
    assert "✓".encode() in response.content


def test_the_live_check_answers_in_spanish_for_a_spanish_note(client, item, assistant):
    client.force_login(assistant)

    response = client.post(check_url(item), {"free_text": "pt aware", "language": "es"}, **HTMX)

    html = response.content.decode()
    assert "Todavía es vaga" in html
    assert "Estado de escalamiento" in html and "Diga si surgió algo clínico" in html


def test_the_live_check_waits_for_words_before_judging(client, item, assistant):
    client.force_login(assistant)

    response = client.post(check_url(item), {"language": "en"}, **HTMX)

    assert response.status_code == 200
    assert b"checked as you type" in response.content


def test_the_live_check_is_post_only_and_needs_the_write_role(client, item, clinical, outsider):
    client.force_login(clinical)
    assert client.get(check_url(item)).status_code == 405
    assert client.post(check_url(item), {"free_text": "LVM"}).status_code == 403
    client.force_login(outsider)
    assert client.post(check_url(item), {"free_text": "LVM"}).status_code == 404


def test_the_live_check_writes_no_rows(client, item, assistant):
    client.force_login(assistant)

    client.post(check_url(item), {"free_text": "LVM"}, **HTMX)

    assert not item.notes.exists()
    assert not AuditEvent.objects.filter(route="notes:item-notes-check").exists()


def test_the_form_is_prefilled_from_the_call_just_logged(client, item, assistant):
    CallAttempt.objects.create(
        item=item,
        number=1,
        attempted_at=timezone.now() - timedelta(minutes=2),
        outcome=CallAttempt.Outcome.NO_ANSWER,
        by=assistant,
    )
    client.force_login(assistant)

    response = client.get(reverse("notes:item-notes", args=[item.code]), **HTMX)

    html = response.content.decode()
    assert "no answer, no voicemail left" in html
    assert 'hx-trigger="keyup changed delay:500ms, change"' in html
    assert reverse("notes:item-notes-check", args=[item.code]) in html


def test_the_language_choice_offers_the_patients_language_first(practice_a, patient, assistant):
    from notes.views import _languages
    from tests import factories

    item = factories.make_item(practice_a, patient=patient, language="es")

    choices = _languages(WorkItem.objects.select_related("practice").get(pk=item.pk))

    assert [code for code, _ in choices] == ["es", "en"]
    assert "patient" in choices[0][1]


def test_a_follow_up_time_needs_the_promise_it_belongs_to():
    form = NoteForm({"language": "en", "follow_up_at": "2026-03-12T09:00"})

    assert not form.is_valid()
    assert "promised_follow_up" in form.errors


def test_the_review_form_needs_every_check_and_a_comment_when_something_failed():
    answers = {name: "yes" for name, _ in ReviewForm().fields.items() if name != "comment"}
    answers["missed_escalation"] = "no"
    assert ReviewForm(answers).is_valid()

    failed = {**answers, "next_step_clear": "no"}
    form = ReviewForm(failed)
    assert not form.is_valid()
    assert "comment" in form.errors

    incomplete = dict(answers)
    incomplete.pop("outcome_present")
    assert "outcome_present" in ReviewForm(incomplete).errors
