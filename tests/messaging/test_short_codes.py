"""A practice's number may be a US short code: stored as its digits, found by inbound texts
(Twilio posts a short code's `To` as the digits), answered from it, shown with its rate."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from messaging import delivery, inbound
from queue_app.models import Message, PracticeNumber, WebhookEvent, WorkItem
from tests import factories
from tests.factories import verified_login as login
from tests.messaging.conftest import BASE_URL
from tests.messaging.helpers import NOON
from tests.messaging.test_webhooks import payload, post, sign

SHORT_CODE = "52712"


class NumberForm(forms.ModelForm):
    """Any form that adds a number gets the model field's validation."""

    class Meta:
        model = PracticeNumber
        fields = ["practice", "number"]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["52712", "527120", "+13055550123", "+18005550142"])
def test_a_short_code_or_an_e164_number_is_accepted(practice_a, number):
    form = NumberForm({"practice": practice_a.pk, "number": number})
    assert form.is_valid(), form.errors
    form.save()
    assert practice_a.numbers.filter(number=number).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number,said",
    [
        ("+52712", "A short code is written without the “+”: enter 52712."),
        ("5271", "or a US short code of 5 or 6 digits, like 52712"),
        ("5271201", "or a US short code of 5 or 6 digits, like 52712"),
        ("(305) 555-0123", "Enter a phone number in E.164, like +13055550123"),
    ],
)
def test_a_number_that_is_neither_is_refused_with_what_to_enter(practice_a, number, said):
    form = NumberForm({"practice": practice_a.pk, "number": number})
    assert not form.is_valid()
    [error] = form.errors["number"]
    assert said in error
    with pytest.raises(ValidationError):
        PracticeNumber(practice=practice_a, number=number).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["5271", "5271201", "52a12"])
def test_the_database_refuses_what_is_neither(practice_a, number):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeNumber.objects.create(practice=practice_a, number=number)


@pytest.mark.django_db
def test_a_signed_text_to_a_short_code_reaches_its_practices_queue(fake_twilio, practice_a):
    practice_b = factories.make_practice(slug="beta")
    practice_a.numbers.create(number=SHORT_CODE)
    patient = factories.make_patient(practice_a, phone="+12025550101")
    params = payload("inbound_sms.json", To=SHORT_CODE, From=patient.phone)
    path = reverse("twilio:sms")
    assert post(Client(), path, params, sign(BASE_URL + path, params)).status_code == 200

    event = WebhookEvent.objects.get()
    assert inbound.process_webhook_event(event_id=event.pk, now=NOON) == "processed"

    message = Message.objects.get(direction="in")
    assert (message.practice, message.patient, message.to_number) == (
        practice_a,
        patient,
        SHORT_CODE,
    )
    assert WorkItem.objects.filter(practice=practice_a, patient=patient).count() == 1
    assert not WorkItem.objects.filter(practice=practice_b).exists()


@pytest.mark.django_db
def test_stop_to_a_short_code_is_confirmed_from_the_short_code(fake_twilio, practice_a):
    practice_a.numbers.create(number=SHORT_CODE)
    patient = factories.make_patient(practice_a, phone="+12025550101")
    event = WebhookEvent.objects.create(
        kind="sms", sid="SMshort", path="/twilio/sms/", received_at=NOON,
        payload={"MessageSid": "SMshort", "From": patient.phone, "To": SHORT_CODE, "Body": "STOP"},
    )  # fmt: skip
    inbound.process_webhook_event(event_id=event.pk, now=NOON)

    patient.refresh_from_db()
    assert patient.opted_out_at == NOON
    reply = Message.objects.get(purpose="opt_out_reply")
    assert delivery.deliver_message(message_id=reply.pk, now=NOON) == "sent"
    assert [sender for _, sender in fake_twilio.sends] == [SHORT_CODE]


@pytest.mark.django_db
def test_the_sending_rules_page_shows_a_short_code_at_100_a_second(client, admin_user, practice_a):
    practice_a.numbers.create(number=SHORT_CODE)
    login(client, admin_user)
    page = client.get(reverse("playbook:sending", args=[practice_a.slug])).text
    assert f"<td>{SHORT_CODE}</td><td>short code</td><td>100 segments a second</td>" in page
