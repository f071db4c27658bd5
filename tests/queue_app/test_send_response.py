from datetime import timedelta
from uuid import uuid4

import pytest

from queue_app.models import ItemEvent, Message, Patient
from queue_app.services import shared, working
from templates_lib.services import approved_template
from tests import factories
from tests.jobs import queued_tasks
from tests.queue_app.queue_helpers import NOW, owned_item, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(practice_a, patient, assistant):
    factories.make_appointment(patient, starts_at=NOW + timedelta(days=2))
    return verified(owned_item(practice_a, patient, assistant))


def template_for(item, channel="sms"):
    return approved_template(moment=item.moment, language=item.language, channel=channel)


def send(item, actor, now=NOW, **kw):
    return working.send_response(
        item=item,
        actor=actor,
        template=kw.pop("template", template_for(item)),
        channel=kw.pop("channel", "sms"),
        now=now,
        **kw,
    )


def test_it_queues_the_rendered_response(ready, assistant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        result = send(ready, assistant)
    message = result.message
    assert message.status == Message.Status.QUEUED
    assert message.direction == "out" and message.sent_by == assistant
    assert message.template == template_for(ready)
    assert ready.patient.first_name in message.body and "{" not in message.body
    assert message.to_number == ready.patient.phone
    assert message.idempotency_key.startswith(f"item-{ready.code}-send-")
    assert ready.first_response_at == NOW
    assert ItemEvent.objects.filter(item=ready, kind="response_queued").exists()
    assert len(queued_tasks(callbacks)) == 1  # delivery is queued after commit


def test_a_double_submit_sends_once(ready, assistant):
    token = uuid4()
    first = send(ready, assistant, token=token)
    second = send(ready, assistant, token=token)
    assert second.duplicate and second.message == first.message
    assert Message.objects.filter(item=ready, direction="out").count() == 1


def test_it_refuses_before_identity_is_verified(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="Verify the patient's identity"):
        send(item, assistant)
    assert not Message.objects.filter(item=item).exists()


def test_channel_rules_refusal_is_shown_as_is(ready, assistant):
    Patient.objects.filter(pk=ready.patient_id).update(opted_out_at=NOW - timedelta(days=1))
    ready.refresh_from_db()
    with pytest.raises(shared.ActionRefused, match="opted out"):
        send(ready, assistant)


def test_quiet_hours_schedule_the_message_for_the_morning(ready, assistant):
    night = NOW.replace(hour=3)  # 22:00 in New York, the evening before
    result = send(ready, assistant, now=night)
    assert result.scheduled
    assert result.message.status == Message.Status.SCHEDULED
    assert result.message.send_after == NOW.replace(hour=13)  # 08:00 New York
    assert ready.first_response_at is None
    assert ItemEvent.objects.filter(item=ready, kind="response_scheduled").exists()


def test_a_missing_value_is_refused_by_name_never_sent_with_a_hole(practice_a, patient, assistant):
    item = verified(owned_item(practice_a, patient, assistant))  # no appointment on file
    with pytest.raises(shared.ActionRefused, match="the provider's name"):
        send(item, assistant)
    assert not Message.objects.filter(item=item).exists()


def test_only_an_approved_template_of_the_moment_goes(ready, assistant, practice_a):
    other = approved_template(
        moment=factories.moment(practice_a, "cancel"), language="en", channel="sms"
    )
    with pytest.raises(shared.ActionRefused, match="approved response"):
        send(ready, assistant, template=other)


def test_a_second_send_of_the_same_text_with_a_fresh_token_is_refused(ready, assistant):
    # The panel re-renders with a new token after a send; a second click must not resend.
    send(ready, assistant, token=uuid4())
    with pytest.raises(shared.ActionRefused, match="already went to the patient"):
        send(ready, assistant, token=uuid4(), now=NOW + timedelta(seconds=3))
    assert Message.objects.filter(item=ready, direction="out").count() == 1
