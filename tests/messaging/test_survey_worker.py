"""The follow-up question through a real Celery worker and the fake Twilio, then its answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import inbound, survey
from messaging.models import Survey
from queue_app.models import Message, WebhookEvent, WorkItem
from tests import factories
from tests.messaging.conftest import awake_quiet_hours
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_question_goes_once_through_the_worker_and_a_no_opens_an_item(worker, fake_twilio):
    now = timezone.now()
    practice = factories.make_practice(languages=["en", "es"])
    awake_quiet_hours(practice, now)
    patient = factories.make_patient(practice, preferred_language="es")
    resolved_at = now - survey.ASK_DELAY - timedelta(minutes=1)
    item = factories.make_item(
        practice, patient=patient, received_at=resolved_at - timedelta(hours=1),
        status="resolved", resolved_at=resolved_at,
    )  # fmt: skip
    factories.make_message(item, status="delivered", created=resolved_at - timedelta(minutes=5))

    assert survey.ask_due_surveys(now=now) == 1
    assert survey.ask_due_surveys(now=now) == 0  # a second beat asks nothing more
    question = Survey.objects.get(item=item).question
    assert wait_for(lambda: Message.objects.get(pk=question.pk).status == "sent", timeout=60)

    sent = fake_twilio.accepted[str(question.code)]
    assert len(sent) == 1 and fake_twilio.total_posts() == 1
    assert sent[0]["to"] == patient.phone
    assert sent[0]["body"].startswith(f"{practice.name}: ¿Supo qué hacer después?")

    reply_sid = "SM" + "f" * 32  # not one of the fake's SIDs, which the helper's could repeat
    event = WebhookEvent.objects.create(
        kind="sms", sid=reply_sid, path="/twilio/sms/", received_at=timezone.now(),
        payload={"MessageSid": reply_sid, "From": patient.phone, "To": practice.phone,
                 "Body": "No"},
    )  # fmt: skip
    assert inbound.process_webhook_event(event_id=event.pk, now=timezone.now()) == "processed"
    answered = Survey.objects.get(item=item)
    assert answered.answer == "no"
    opened = WorkItem.objects.get(pk=answered.follow_up_id)
    assert opened.moment == item.moment and opened.language == "es"
    assert opened.status in ("new", "assigned")
