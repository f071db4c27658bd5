"""The composer in the item panel: pick a response, or write one, and send it once."""

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from escalation import services as escalation_services
from notes.models import Draft
from queue_app.models import AuditEvent, ItemEvent, Message
from queue_app.services import composing
from templates_lib.models import ChannelRule
from tests import factories
from tests.jobs import queued_tasks
from tests.queue_app.queue_helpers import no_quiet_hours, verified

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(name, item):
    return reverse(f"queue:item-{name}", args=[item.code])


def ready(practice, patient, assistant, key="reschedule"):
    item = verified(
        factories.make_item(practice, patient=patient, owner=assistant, status="assigned", key=key)
    )
    no_quiet_hours(item)
    return item


def offered(item):
    return composing.composer_options(item=item, now=timezone.now(), sent=[])


def outbound(item):
    return Message.objects.filter(item=item, direction="out")


def free(text, channel="sms"):
    return {"choice": "free", "channel": channel, "text": text, "token": str(uuid4())}


@pytest.fixture
def booked(patient):
    return factories.make_appointment(patient, starts_at=timezone.now() + timedelta(days=2))


def test_each_approved_response_of_the_moment_is_offered_and_sends_its_own_text(
    client, assistant, practice_a, patient, booked, django_capture_on_commit_callbacks
):
    item = ready(practice_a, patient, assistant, key="appointment_time_question")
    # Four texts in a row would otherwise hit the channel rule that asks for a live call.
    ChannelRule.objects.filter(moment=item.moment).update(live_call_after_attempts=5)
    options = offered(item)
    labels = [option.label for option in options]
    assert labels == [
        "First response · SMS",
        "First response · Portal",
        "Confirmation request · SMS",
        "Appointment reminder · SMS",
    ]
    client.force_login(assistant)
    for option in options:
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(
                url("send", item), {"choice": option.key, "token": str(uuid4())}, headers=HTMX
            )
        body = response.content.decode()
        assert "Message queued for sending." in body, re.findall(r"compose-error.*?</p>", body)
        message = outbound(item).latest("created")
        assert message.body == option.body and message.template == option.template
        assert message.channel == option.channel and message.status == "queued"
        assert message.purpose == "" and message.sent_by == assistant
        # delivery queued after the commit, through messaging
        assert len(queued_tasks(callbacks)) == 1
    assert outbound(item).count() == len(options)
    assert ItemEvent.objects.filter(item=item, kind="response_queued").count() == len(options)
    assert AuditEvent.objects.filter(action="item_send", actor=assistant).count() == len(options)


def test_the_first_response_on_the_patients_channel_is_preselected(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant, key="appointment_request")
    sms = next(o for o in offered(item) if o.channel == "sms")
    client.force_login(assistant)
    body = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert f'value="{sms.key}" checked' in body
    assert escape(sms.body) in body  # previewed with the patient's values
    assert patient.first_name in sms.body and "{" not in sms.body


def test_the_holding_script_is_offered_first_after_escalating_and_can_be_sent(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    escalation = escalation_services.escalate_item(
        item=item,
        route_kind="clinical",
        reason="asks whether to keep taking a medicine",
        now=timezone.now(),
        actor=assistant,
    )
    script = escalation.route.script(item.language)
    client.force_login(assistant)
    body = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert 'value="script:sms" checked' in body
    response = client.post(
        url("send", item), {"choice": "script:sms", "token": str(uuid4())}, headers=HTMX
    )
    assert "Message queued for sending." in response.content.decode()
    message = outbound(item).get()
    assert message.body == script and message.template is None
    assert message.purpose == "holding_script"


def test_free_text_is_sent_as_written_and_marked_for_qa(client, assistant, practice_a, patient):
    item = ready(practice_a, patient, assistant)
    text = "Hi, we moved your visit to Tuesday at 10 AM. Call us if that time does not work."
    client.force_login(assistant)
    response = client.post(url("send", item), free(text), headers=HTMX)
    assert "Message queued for sending." in response.content.decode()
    message = outbound(item).get()
    assert message.body == text and message.purpose == Message.FREE_TEXT
    assert message.template is None and message.channel == "sms"
    event = ItemEvent.objects.get(item=item, kind="response_queued")
    assert event.after["purpose"] == "free_text"
    item.refresh_from_db()
    # Not an approved template, so not the scorecard's first meaningful response.
    assert item.first_response_at is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hi, you should stop taking the new pills until the doctor calls.", "clinical advice"),
        ("Hi, the form is at https://forms.example.com/intake please fill it in.", "No links"),
        ("Hi, please fill in the form at bit.ly/3xYz today.", "link shorteners"),
        ("Hi, reply CANCEL if you no longer want the visit.", "carrier opt-out word"),
    ],
)
def test_free_text_the_lint_refuses_is_not_sent_and_the_text_is_kept(
    client, assistant, practice_a, patient, text, reason
):
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant)
    response = client.post(url("send", item), free(text), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    # Only the composer is swapped, so focus and the rest of the panel stay put.
    assert response.headers["HX-Retarget"] == "#composer"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "<html" not in body
    assert "Your message was not sent" in body
    assert reason in body
    assert f">{text}</textarea>" in body.replace("&#x27;", "'")
    assert 'value="free" checked' in body
    assert not outbound(item).exists()


def test_the_live_check_shows_the_problem_as_the_assistant_types(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant)
    text = "Your lab results came back fine."
    response = client.post(url("compose-check", item), {"text": text, "channel": "sms"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Not allowed:" in body and "does not belong in an SMS" in body
    assert "1 SMS segment (GSM-7)" in body
    # The portal is a secure channel: the same words only break the clinical-advice rule.
    portal = client.post(url("compose-check", item), {"text": text, "channel": "portal"})
    assert "does not belong in an SMS" not in portal.content.decode()
    fine = client.post(
        url("compose-check", item), {"text": "We are checking now.", "channel": "sms"}
    )
    assert "Nothing in it breaks the playbook" in fine.content.decode()
    assert not outbound(item).exists()


def test_a_value_not_on_file_is_asked_for_and_used_for_that_message_only(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant, key="cancel")  # no appointment on file
    option = next(o for o in offered(item) if o.channel == "sms")
    assert option.missing == ["appointment_date"]
    client.force_login(assistant)
    panel = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert "[an appointment date]" in panel and "Used for this message only" in panel
    assert f'name="value:{option.key}:0"' in panel and 'type="date"' in panel
    # Still the routine choice: the blank is asked for, not a reason to write it all by hand.
    assert f'value="{option.key}" checked' in panel

    form = {"choice": option.key, "token": str(uuid4()), f"value:{option.key}:0": "next tues"}
    refused = client.post(url("send", item), form, headers=HTMX).content.decode()
    assert "Not a date or time this understands" in refused
    assert 'value="next tues"' in refused  # what was typed is kept
    assert not outbound(item).exists()

    form[f"value:{option.key}:0"] = "2026-03-09"
    response = client.post(url("send", item), form, headers=HTMX)
    assert "Message queued for sending." in response.content.decode()
    message = outbound(item).get()
    assert "Mon, Mar 9" in message.body and "[" not in message.body
    assert message.template == option.template
    event = ItemEvent.objects.get(item=item, kind="response_queued")
    assert event.after["typed"] == ["appointment_date"]
    assert not patient.appointments.exists()  # nothing was saved to the record


def test_a_double_post_of_one_compose_sends_one_message(client, assistant, practice_a, patient):
    item = ready(practice_a, patient, assistant)
    form = free("Hi, we are checking the schedule and will text you by 3 PM.")
    client.force_login(assistant)
    first = client.post(url("send", item), form, headers=HTMX)
    second = client.post(url("send", item), form, headers=HTMX)
    assert "Message queued for sending." in first.content.decode()
    assert "Already sent." in second.content.decode()
    assert outbound(item).count() == 1
    assert (
        Message.objects.filter(idempotency_key__endswith=form["token"].replace("-", "")).count()
        == 1
    )


def test_the_send_button_is_disabled_while_the_request_is_in_flight(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant)
    body = client.get(reverse("queue:item", args=[item.code])).content.decode()
    composer = body[body.index('id="composer"') :]
    assert 'hx-disabled-elt="find button[type=submit]"' in composer
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', composer)
    assert token is not None  # one compose token per rendered composer


def test_another_practices_assistant_gets_404(client, outsider, practice_a, patient, assistant):
    item = ready(practice_a, patient, assistant)
    client.force_login(outsider)
    assert client.post(url("send", item), free("Hello there."), headers=HTMX).status_code == 404
    check = client.post(url("compose-check", item), {"text": "Hello", "channel": "sms"})
    assert check.status_code == 404
    assert not outbound(item).exists()


def test_a_read_only_member_gets_403(client, clinical, practice_a, patient, assistant):
    item = ready(practice_a, patient, assistant)
    client.force_login(clinical)
    assert client.post(url("send", item), free("Hello there."), headers=HTMX).status_code == 403
    assert not outbound(item).exists()


def test_a_colleague_who_does_not_own_the_item_is_refused(
    client, assistant, assistant_2, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant_2)
    response = client.post(url("send", item), free("Hello there, checking in."), headers=HTMX)
    assert "assistant-a has this item" in response.content.decode()
    assert not outbound(item).exists()


def test_without_javascript_a_refusal_is_the_whole_page_with_the_text_kept(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant)
    text = "Hi, your insurance will cover the visit."
    response = client.post(url("send", item), free(text))
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "promises coverage" in body and f">{text}</textarea>" in body
    assert not outbound(item).exists()


def test_typed_dates_and_times_are_read_in_the_practices_time_zone():
    tz = "America/New_York"
    assert composing.clean_value("appointment_date", "2026-03-09", tz_name=tz, language="en") == (
        "Mon, Mar 9"
    )
    assert composing.clean_value("appointment_date", "03/09/2026", tz_name=tz, language="es") == (
        "lun 9 mar"
    )
    assert composing.clean_value("appointment_time", "14:30", tz_name=tz, language="en") == (
        "2:30 PM"
    )
    assert composing.clean_value("appointment_time", "9:05 am", tz_name=tz, language="es") == (
        "9:05 a. m."
    )
    for name, raw in [
        ("appointment_date", "2026-02-30"),
        ("appointment_time", "25:00"),
        ("telehealth_link", "http://visit.example.com/j/1"),
        ("provider_name", ""),
    ]:
        with pytest.raises(ValueError):
            composing.clean_value(name, raw, tz_name=tz, language="en")


def test_free_text_obeys_the_channel_rules_like_any_send(client, assistant, practice_a, patient):
    patient.opted_out_at = timezone.now() - timedelta(days=1)
    patient.save(update_fields=["opted_out_at"])
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant)
    response = client.post(url("send", item), free("Hi, we are checking and will call."))
    assert "opted out" in response.content.decode()
    assert not outbound(item).exists()
    portal = client.post(url("send", item), free("Hi, we are checking and will call.", "portal"))
    assert "Message queued for sending." in portal.content.decode() or portal.status_code == 302
    assert outbound(item).get().channel == "portal"


def test_a_typed_value_that_breaks_the_sms_rules_is_refused(client, assistant, practice_a, patient):
    item = ready(practice_a, patient, assistant, key="form_reminder")  # nothing marked needed
    option = next(o for o in offered(item) if o.channel == "sms")
    assert option.missing == ["missing_items"]
    client.force_login(assistant)
    form = {
        "choice": option.key,
        "token": str(uuid4()),
        f"value:{option.key}:0": "the metformin refill form",
    }
    body = client.post(url("send", item), form, headers=HTMX).content.decode()
    assert "breaks the playbook" in body and "does not belong in an SMS" in body
    assert 'value="the metformin refill form"' in body
    assert not outbound(item).exists()


def test_after_an_escalation_beside_it_the_composer_offers_the_script_and_keeps_the_draft(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    first = offered(item)[0]
    client.force_login(assistant)
    escalated = client.post(
        reverse("escalation:item-escalate", args=[item.code]),
        {"route_kind": "billing", "reason": "asks about a bill"},
        headers=HTMX,
    )
    # The widget tells the page; the composer listens for this event.
    assert "escalation-changed" in escalated.headers["HX-Trigger"]
    # What the composer posts when the escalation widget says the item changed.
    drawn = {
        "choice": first.key,
        "default": first.key,
        "text": "Half-written",
        "token": str(uuid4()),
    }
    response = client.post(url("composer", item), drawn, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'value="script:sms" checked' in body  # the old default gave way to the script
    assert ">Half-written</textarea>" in body and f'value="{drawn["token"]}"' in body
    assert AuditEvent.objects.filter(action="item_composer", actor=assistant).exists()
    # A choice the assistant made themselves stays.
    chosen = {**drawn, "choice": "free"}
    assert 'value="free" checked' in client.post(url("composer", item), chosen).content.decode()
    assert not outbound(item).exists()


def test_the_composer_of_a_resolved_item_goes(client, assistant, practice_a, patient, outsider):
    item = ready(practice_a, patient, assistant)
    client.force_login(outsider)
    assert client.post(url("composer", item), {}).status_code == 404
    item.status, item.resolved_at = "resolved", timezone.now()
    item.save(update_fields=["status", "resolved_at"])
    client.force_login(assistant)
    response = client.post(url("composer", item), {}, headers=HTMX)
    assert response.status_code == 200 and response.content == b""


REPLY = "Hi, we can see you Tuesday at 10 AM instead; does that time work for you?"


def test_a_reply_being_written_is_kept_on_the_server_and_comes_back_in_the_composer(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    client.force_login(assistant)
    client.post(url("compose-check", item), free(REPLY), headers=HTMX)

    assert Draft.objects.get(user=assistant, item=item, field="text").text == REPLY
    html = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert f">{escape(REPLY)}</textarea>" in html
    assert re.search(r'value="free"[^>]*checked', html)

    client.post(url("send", item), free(REPLY), headers=HTMX)
    assert outbound(item).get().body == REPLY
    assert not Draft.objects.filter(field="text").exists()


def test_a_reply_sent_after_the_session_ended_comes_back_after_signing_in_again(
    client, assistant, practice_a, patient
):
    item = ready(practice_a, patient, assistant)
    client.post("/login/", {"username": assistant.username, "password": factories.PASSWORD})
    Session.objects.all().delete()

    response = client.post(url("send", item), free(REPLY), headers=HTMX)

    assert response.status_code == 401 and not outbound(item).exists()
    token = response.content.decode().split('name="resume" value="')[1].split('"')[0]
    client.post(
        reverse("sign-in-again"),
        {"username": assistant.username, "password": factories.PASSWORD, "resume": token},
        headers=HTMX,
    )
    html = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert f">{escape(REPLY)}</textarea>" in html
