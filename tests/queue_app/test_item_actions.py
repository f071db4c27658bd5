from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from notes.models import Draft, Note
from queue_app.models import AuditEvent, CallAttempt, ItemEvent, Message, WorkItem
from templates_lib.services import approved_template
from tests import factories
from tests.factories import verified_login
from tests.jobs import queued_tasks
from tests.queue_app.queue_helpers import GOOD_NOTE, good_note, no_quiet_hours, verified

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(name, item):
    return reverse(f"queue:item-{name}", args=[item.code])


def first_sms(item) -> dict:
    """The composer's form for the moment's approved first response by SMS."""
    template = approved_template(moment=item.moment, language=item.language, channel="sms")
    return {"choice": f"template:{template.code}", "token": str(uuid4())}


@pytest.fixture
def mine(practice_a, patient, assistant):
    factories.make_appointment(patient, starts_at=timezone.now() + timedelta(days=2))
    return factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")


def test_claim_takes_the_item_and_answers_with_the_panel(client, assistant, item):
    client.force_login(assistant)
    response = client.post(url("claim", item), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response.headers["HX-Trigger"] == '{"queue-changed": {}}'
    item.refresh_from_db()
    assert item.owner == assistant and item.status == "assigned"
    assert ItemEvent.objects.filter(item=item, kind="claimed", actor=assistant).exists()
    assert AuditEvent.objects.filter(action="item_claim", actor=assistant).exists()


def test_claim_without_htmx_redirects_to_the_item(client, assistant, item):
    client.force_login(assistant)
    response = client.post(url("claim", item))
    assert response.status_code == 302
    assert response.url == reverse("queue:item", args=[item.code])


def test_the_claim_loser_is_told_who_has_it(client, assistant, assistant_2, item):
    WorkItem.objects.filter(pk=item.pk).update(owner=assistant_2, status="assigned")
    client.force_login(assistant)
    response = client.post(url("claim", item), headers=HTMX)
    assert response.status_code == 200
    assert "assistant-a2 already has this item" in response.content.decode()
    item.refresh_from_db()
    assert item.owner == assistant_2


@pytest.mark.parametrize(
    "name", ["claim", "release", "verify", "send", "call", "needed", "follow-up", "resolve"]
)
def test_get_on_a_mutation_is_405(client, assistant, item, name):
    client.force_login(assistant)
    assert client.get(url(name, item)).status_code == 405


@pytest.mark.parametrize("name", ["claim", "verify", "resolve"])
def test_an_outsider_gets_404_on_writes(client, outsider, item, name):
    client.force_login(outsider)
    assert client.post(url(name, item)).status_code == 404


@pytest.mark.parametrize("name", ["claim", "verify", "resolve"])
def test_a_clinical_member_gets_403_on_writes(client, clinical, item, name):
    client.force_login(clinical)
    assert client.post(url(name, item)).status_code == 403
    item.refresh_from_db()
    assert item.owner is None


def test_release(client, assistant, mine):
    client.force_login(assistant)
    assert client.post(url("release", mine), headers=HTMX).status_code == 200
    mine.refresh_from_db()
    assert mine.owner is None and mine.status == "new"
    assert ItemEvent.objects.filter(item=mine, kind="released").exists()


def test_only_managers_reassign(client, assistant, assistant_2, manager, mine):
    client.force_login(assistant)
    assert client.post(url("reassign", mine), {"to": assistant_2.pk}).status_code == 403
    verified_login(client, manager)
    response = client.post(url("reassign", mine), {"to": assistant_2.pk}, headers=HTMX)
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.owner == assistant_2
    assert ItemEvent.objects.get(item=mine, kind="reassigned").actor == manager


def test_verify_records_fields(client, assistant, mine):
    client.force_login(assistant)
    fields = list(mine.moment.verification_fields)
    response = client.post(url("verify", mine), {"verified": fields}, headers=HTMX)
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.identity_verified_at is not None
    assert ItemEvent.objects.filter(item=mine, kind="identity_field_verified").count() == len(
        fields
    )


def test_all_confirmed_records_every_check_this_patient_can_pass_in_one_step(
    client, assistant, mine, practice_a
):
    client.force_login(assistant)
    response = client.post(url("verify", mine), {"all": "1"}, headers=HTMX)
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.identity_verified_at is not None
    assert sorted(mine.verified_fields) == sorted(mine.moment.verification_fields)
    # With no appointment on file, "all" is the checks that exist: never the appointment.
    other = factories.make_item(
        practice_a, patient=factories.make_patient(practice_a), owner=assistant, status="assigned"
    )
    client.post(url("verify", other), {"all": "1"}, headers=HTMX)
    other.refresh_from_db()
    assert other.identity_verified_at is not None
    assert "appointment_on_file" not in other.verified_fields


def test_an_empty_verification_rerenders_with_an_error(client, assistant, mine):
    client.force_login(assistant)
    response = client.post(url("verify", mine), {}, headers=HTMX)
    assert response.status_code == 200
    assert "Tick what the patient confirmed" in response.content.decode()
    assert not ItemEvent.objects.filter(item=mine).exists()


def test_send_queues_the_message_once(client, assistant, mine, django_capture_on_commit_callbacks):
    verified(mine)
    no_quiet_hours(mine)
    client.force_login(assistant)
    form = first_sms(mine)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url("send", mine), form, headers=HTMX)
    assert response.status_code == 200
    client.post(url("send", mine), form, headers=HTMX)
    message = Message.objects.get(item=mine, direction="out")
    assert message.status == "queued"
    assert len(queued_tasks(callbacks)) == 1  # delivery is queued after commit
    assert ItemEvent.objects.filter(item=mine, kind="response_queued").count() == 1


def test_send_before_verification_is_refused(client, assistant, mine):
    client.force_login(assistant)
    response = client.post(url("send", mine), first_sms(mine), headers=HTMX)
    assert "Verify the patient" in response.content.decode()
    assert not Message.objects.filter(item=mine).exists()


def test_log_call_schedules_the_next_attempt(client, assistant, mine):
    client.force_login(assistant)
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(timezone.get_fixed_timezone(-300))
    response = client.post(
        url("call", mine),
        {"outcome": "voicemail", "next_attempt_at": tomorrow.strftime("%Y-%m-%dT%H:%M")},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert list(CallAttempt.objects.filter(item=mine).values_list("number", "outcome")) == [
        (1, "voicemail"),
        (2, "scheduled"),
    ]
    assert ItemEvent.objects.filter(item=mine, kind="call_logged").exists()


def test_mark_needed_and_follow_up(client, assistant, mine):
    client.force_login(assistant)
    client.post(url("needed", mine), {"needed": "insurance card photo"}, headers=HTMX)
    later = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url("follow-up", mine), {"follow_up_at": later}, headers=HTMX)
    mine.refresh_from_db()
    assert mine.status == "waiting" and mine.needed_from_patient == "insurance card photo"
    assert mine.follow_up_at is not None


def test_resolve_is_refused_without_a_good_note_then_allowed(client, assistant, mine):
    client.force_login(assistant)
    response = client.post(url("resolve", mine), headers=HTMX)
    assert "Write a note" in response.content.decode()
    good_note(mine, assistant, now=timezone.now())
    response = client.post(url("resolve", mine), headers=HTMX)
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.status == "resolved"
    assert ItemEvent.objects.filter(item=mine, kind="resolved").exists()
    # Straight on to the next item, with the button focused.
    assert reverse("queue:take-next") in response.content.decode()
    assert "autofocus>Take next</button>" in response.content.decode()


def test_after_a_send_the_panel_shows_it_sent_and_offers_no_second_send(client, assistant, mine):
    verified(mine)
    no_quiet_hours(mine)
    client.force_login(assistant)
    form = first_sms(mine)
    response = client.post(url("send", mine), form, headers=HTMX)
    body = response.content.decode()
    assert "Message queued for sending." in body
    # The response just sent is marked sent and can't be picked again.
    sent_choice = f'value="{form["choice"]}" disabled'
    assert sent_choice in body and "· sent " in body
    # The first response went: the portal copy of it is no default, the assistant's own words are.
    assert 'value="free" checked' in body
    again = client.post(url("send", mine), {**form, "token": str(uuid4())}, headers=HTMX)
    assert "not sent again" in again.content.decode()
    assert Message.objects.filter(item=mine, direction="out", channel="sms").count() == 1


def test_save_note_and_resolve_saves_the_typed_note_and_resolves_in_one_step(
    client, assistant, mine
):
    client.force_login(assistant)
    response = client.post(url("resolve", mine), {**GOOD_NOTE, "language": "en"}, headers=HTMX)
    assert response.status_code == 200
    assert "Resolved." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "resolved"
    assert Note.objects.get(item=mine).request == GOOD_NOTE["request"]
    assert ItemEvent.objects.filter(item=mine, kind="note_added").exists()
    assert not Draft.objects.exists()


def test_a_vague_note_is_neither_saved_nor_resolved_and_its_text_is_kept(client, assistant, mine):
    client.force_login(assistant)
    typed = {"request": "pt called", "language": "en"}
    response = client.post(url("resolve", mine), typed, headers=HTMX)
    assert "Not resolved: the note is missing" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "assigned"
    assert not Note.objects.exists()
    assert Draft.objects.get(item=mine, field="request").text == "pt called"
    notes = client.get(reverse("notes:item-notes", args=[mine.code]), headers=HTMX)
    assert "pt called" in notes.content.decode()
    assert "Close with this note" in notes.content.decode()
