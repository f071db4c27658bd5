"""deliver_message against the real twilio SDK and a local fake Twilio over HTTP."""

from datetime import timedelta
from itertools import permutations

import pytest
from django.utils import timezone

from messaging import delivery, twilio_client
from queue_app import changes
from queue_app.models import Consent, ItemEvent, Message
from tests import factories
from tests.jobs import queued_tasks
from tests.messaging.helpers import NOON, outbound
from tests.polling import wait_for


def key(message: Message) -> str:
    return str(message.code)


@pytest.fixture
def noon_item(practice_a, patient):
    return factories.make_item(practice_a, patient=patient, received_at=NOON - timedelta(hours=1))


def test_it_sends_a_queued_message_once_and_stores_the_sid(fake_twilio, noon_item):
    message = outbound(noon_item)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "sent"
    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "not-claimed"

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.provider_sid.startswith("SM")
    assert message.attempts == 1
    assert fake_twilio.posts[key(message)] == ["accept"]


def test_the_dev_outbox_marks_it_sent_without_any_request(fake_twilio, settings, noon_item):
    settings.CHANNEL_BACKEND = "messaging.channels.OutboxBackend"
    message = outbound(noon_item)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "sent"

    message.refresh_from_db()
    assert message.provider_sid == f"OB{message.code.hex}"
    assert fake_twilio.total_posts() == 0


def test_a_portal_message_is_stored_not_texted(fake_twilio, noon_item):
    message = outbound(noon_item, channel=Message.Channel.PORTAL, to_number="")

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "sent"
    assert fake_twilio.total_posts() == 0


def test_a_429_is_retried_later_with_backoff_and_then_sent(fake_twilio, noon_item):
    message = outbound(noon_item)
    fake_twilio.script[key(message)] = ["429"]

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "retry"
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert NOON + timedelta(seconds=5) <= message.send_after <= NOON + timedelta(seconds=10)
    # Not due yet: a duplicate task finds nothing to claim.
    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "not-claimed"

    assert delivery.deliver_message(message_id=message.pk, now=message.send_after) == "sent"
    assert fake_twilio.posts[key(message)] == ["429", "accept"]
    assert len(fake_twilio.accepted[key(message)]) == 1


def test_an_unsubscribed_recipient_is_never_retried_and_is_opted_out(fake_twilio, noon_item):
    message = outbound(noon_item)
    fake_twilio.script[key(message)] = ["21610"]

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "failed"

    message.refresh_from_db()
    patient = noon_item.patient
    patient.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.FAILED, "21610")
    assert patient.opted_out_at == NOON
    assert Consent.objects.filter(patient=patient, granted=False).count() == 1
    event = ItemEvent.objects.get(item=noon_item, kind="message_failed")
    assert event.after["error_code"] == "21610"
    assert "opted out" in event.after["reason"]
    assert fake_twilio.posts[key(message)] == ["21610"]


@pytest.mark.parametrize("code", ["21211", "21614", "21635", "30003", "30005", "30006", "30007"])
def test_permanent_errors_are_not_retried_and_show_on_the_item(fake_twilio, noon_item, code):
    message = outbound(noon_item)
    fake_twilio.script[key(message)] = [code]

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "failed"

    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.FAILED, code)
    assert message.status_reason
    assert ItemEvent.objects.filter(item=noon_item, kind="message_failed").count() == 1
    assert len(fake_twilio.posts[key(message)]) == 1


def test_a_timeout_after_acceptance_is_reconciled_never_resent(fake_twilio, noon_item):
    message = outbound(noon_item)
    fake_twilio.script[key(message)] = ["drop"]

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "unknown"
    message.refresh_from_db()
    assert message.status == Message.Status.UNKNOWN
    # Too early to trust the provider's list: nothing happens.
    assert delivery.sweep_stale_messages(now=NOON)["reconciled"] == 0

    counts = delivery.sweep_stale_messages(now=NOON + timedelta(minutes=5))

    message.refresh_from_db()
    assert counts["reconciled"] == 1
    assert message.status == Message.Status.SENT
    assert message.provider_sid == fake_twilio.accepted[key(message)][0]["sid"]
    assert len(fake_twilio.posts[key(message)]) == 1


def test_a_read_timeout_is_ambiguous_too(fake_twilio, noon_item, monkeypatch):
    monkeypatch.setattr(twilio_client, "TIMEOUT", (1, 0.3))
    twilio_client._clients.clear()
    fake_twilio.delay = 0.6
    message = outbound(noon_item)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "unknown"
    fake_twilio.delay = 0
    # Twilio finishes taking the message after the client gave up waiting.
    assert wait_for(lambda: fake_twilio.accepted[key(message)], timeout=5)
    delivery.sweep_stale_messages(now=NOON + timedelta(minutes=5))

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(fake_twilio.accepted[key(message)]) == 1


def test_a_send_lost_before_acceptance_is_sent_again_after_reconciliation(
    fake_twilio, noon_item, django_capture_on_commit_callbacks
):
    message = outbound(noon_item)
    fake_twilio.script[key(message)] = ["lose"]

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "unknown"
    later = NOON + timedelta(minutes=5)
    with django_capture_on_commit_callbacks() as callbacks:
        counts = delivery.sweep_stale_messages(now=later)
    assert counts["resent"] == 1 and len(queued_tasks(callbacks)) == 1

    assert delivery.deliver_message(message_id=message.pk, now=later) == "sent"
    assert fake_twilio.posts[key(message)] == ["lose", "accept"]
    assert len(fake_twilio.accepted[key(message)]) == 1


def test_a_refused_connection_is_retried_not_ambiguous(fake_twilio, settings, noon_item):
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    twilio_client._clients.clear()
    message = outbound(noon_item)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "retry"


def test_a_stale_sending_row_accepted_by_twilio_is_not_sent_again(fake_twilio, noon_item):
    message = outbound(noon_item)
    # A worker claimed and posted it, then died before storing the answer.
    fake_twilio.accept(key(message), {"To": message.to_number, "Body": message.body})
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, claimed_at=NOON, attempts=1
    )

    # Within its lease the row may still be in a live worker's hands: left alone.
    assert delivery.sweep_stale_messages(now=NOON + timedelta(seconds=20))["reconciled"] == 0
    assert delivery.sweep_stale_messages(now=NOON + timedelta(minutes=1))["reconciled"] == 1

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert fake_twilio.total_posts() == 0


def test_opt_out_between_scheduling_and_sending_stops_the_send(fake_twilio, noon_item):
    message = outbound(noon_item)
    noon_item.patient.opted_out_at = NOON - timedelta(minutes=1)
    noon_item.patient.save()

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "blocked"

    message.refresh_from_db()
    assert message.status == Message.Status.BLOCKED
    assert "opted out" in message.status_reason
    assert ItemEvent.objects.filter(item=noon_item, kind="message_blocked").exists()
    assert fake_twilio.total_posts() == 0


def test_consent_withdrawn_between_scheduling_and_sending_stops_the_send(fake_twilio, noon_item):
    message = outbound(noon_item)
    Consent.objects.create(
        patient=noon_item.patient,
        channel="sms",
        granted=False,
        # After the grant the factory recorded (relative to the real clock).
        recorded_at=timezone.now(),
        source="phone call with the front desk",
    )

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "blocked"
    assert fake_twilio.total_posts() == 0


def test_quiet_hours_at_sending_time_hold_the_message_until_morning(fake_twilio, noon_item):
    message = outbound(noon_item)
    night = NOON.replace(hour=3)  # 22:00 in New York

    assert delivery.deliver_message(message_id=message.pk, now=night) == "rescheduled"

    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert message.send_after == NOON.replace(hour=13)  # 08:00 EST the next morning
    assert message.attempts == 0
    assert fake_twilio.total_posts() == 0
    assert delivery.sweep_stale_messages(now=message.send_after)["scheduled"] == 1
    assert delivery.deliver_message(message_id=message.pk, now=message.send_after) == "sent"


@pytest.mark.parametrize(
    "order",
    [
        *permutations(["queued", "sent", "delivered"]),
        *permutations(["sent", "undelivered", "queued"]),
        ("delivered", "delivered", "sent", "queued"),
        ("failed", "sent", "queued", "failed"),
    ],
)
def test_status_callbacks_in_any_order_never_regress(fake_twilio, noon_item, order):
    message = outbound(noon_item, status=Message.Status.SENT, provider_sid="SM" + "a" * 32)
    for status in order:
        error = "30003" if status in ("undelivered", "failed") else ""
        delivery.apply_status_callback(sid=message.provider_sid, status=status, error_code=error,
                                        now=NOON)  # fmt: skip

    message.refresh_from_db()
    final = next(s for s in order if s in ("delivered", "undelivered", "failed"))
    assert message.status == final
    assert message.error_code == ("30003" if final != "delivered" else "")


def test_a_callback_settles_a_message_whose_sid_was_never_stored(fake_twilio, noon_item):
    message = outbound(noon_item, status=Message.Status.UNKNOWN, claimed_at=NOON)

    delivery.apply_status_callback(
        sid="SM" + "b" * 32, status="delivered", error_code="", now=NOON, message_code=key(message)
    )

    message.refresh_from_db()
    assert (message.status, message.provider_sid) == (Message.Status.DELIVERED, "SM" + "b" * 32)


def test_a_callback_for_an_unknown_sid_changes_nothing(fake_twilio, noon_item):
    assert (
        delivery.apply_status_callback(sid="SMunknown", status="failed", error_code="", now=NOON)
        is None
    )


def reminder_like(practice, *, now=NOON, **overrides) -> Message:
    """An automatic outbox row under a template, as a reminder batch makes it."""
    from templates_lib.services import approved_template

    patient = overrides.pop("patient", None) or factories.make_patient(practice)
    template = approved_template(
        moment=factories.moment(practice, "appointment_time_question"),
        language="en",
        channel="sms",
        purpose="confirmation_request",
    )
    fields = {
        "practice": practice,
        "patient": patient,
        "direction": Message.Direction.OUTBOUND,
        "channel": Message.Channel.SMS,
        "body": f"Reminder for {patient.first_name}.",
        "to_number": patient.phone,
        "from_number": practice.phone,
        "status": Message.Status.QUEUED,
        "template": template,
        "is_automatic": True,
        "purpose": "confirmation_request",
        "idempotency_key": f"batch-{patient.pk}-{now.timestamp()}",
        "created": now - timedelta(minutes=1),
    }
    fields.update(overrides)
    return Message.objects.create(**fields)


def test_a_delivery_batch_sends_each_message_once(fake_twilio, practice_a):
    messages = [reminder_like(practice_a) for _ in range(4)]
    ids = [m.pk for m in messages]

    assert delivery.deliver_messages(message_ids=ids, now=NOON) == {"not-claimed": 0, "sent": 4}
    again = delivery.deliver_messages(message_ids=ids + ids, now=NOON)
    assert again == {"not-claimed": 4}

    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    assert fake_twilio.accepted_counts() == {key(m): 1 for m in messages}


def test_a_delivery_batch_rechecks_the_rules_for_each_patient(fake_twilio, practice_a):
    sent, stopped, withdrawn = (reminder_like(practice_a) for _ in range(3))
    stopped.patient.opted_out_at = NOON - timedelta(minutes=1)
    stopped.patient.save()
    Consent.objects.create(patient=withdrawn.patient, channel="sms", granted=False,
                           recorded_at=timezone.now(), source="phone call")  # fmt: skip

    ids = [sent.pk, stopped.pk, withdrawn.pk]
    result = delivery.deliver_messages(message_ids=ids, now=NOON)

    assert result == {"not-claimed": 0, "sent": 1, "blocked": 2}
    assert fake_twilio.accepted_counts() == {key(sent): 1}
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses == {sent.pk: "sent", stopped.pk: "blocked", withdrawn.pk: "blocked"}
    assert Message.objects.get(pk=withdrawn.pk).attempts == 0


def test_a_delivery_batch_at_night_holds_every_message_until_morning(fake_twilio, practice_a):
    messages = [reminder_like(practice_a) for _ in range(2)]
    night = NOON.replace(hour=3)  # 22:00 in New York

    result = delivery.deliver_messages(message_ids=[m.pk for m in messages], now=night)

    assert result == {"not-claimed": 0, "rescheduled": 2}
    assert set(Message.objects.values_list("send_after", flat=True)) == {NOON.replace(hour=13)}
    assert fake_twilio.total_posts() == 0


def test_a_delivery_batch_out_of_time_gives_the_rest_back(fake_twilio, practice_a):
    messages = [reminder_like(practice_a) for _ in range(3)]

    result = delivery.deliver_messages(
        message_ids=[m.pk for m in messages], now=NOON, budget_seconds=-1
    )

    assert result == {"not-claimed": 0, "given-back": 3}
    assert set(Message.objects.values_list("status", "attempts")) == {("queued", 0)}
    assert fake_twilio.total_posts() == 0
    assert delivery.deliver_messages(message_ids=[m.pk for m in messages], now=NOON)["sent"] == 3


def test_a_stalled_batch_leaves_alone_a_row_the_sweeper_took_back(
    fake_twilio, practice_a, monkeypatch
):
    first, second = (reminder_like(practice_a) for _ in range(2))
    monkeypatch.setattr(delivery, "LEASE_RENEWAL", -1)  # renew before every message
    send = delivery.get_backend().send

    def stall_then_send(message):
        # The batch stalls past its lease: the sweeper reconciles the row still waiting.
        if message.pk == first.pk:
            after_lease = NOON + delivery.SENDING_LEASE + timedelta(seconds=1)
            assert delivery.reconcile_message(message_id=second.pk, now=after_lease) == "requeued"
        return send(message)

    monkeypatch.setattr(type(delivery.get_backend()), "send", lambda self, m: stall_then_send(m))
    result = delivery.deliver_messages(message_ids=[first.pk, second.pk], now=NOON)

    assert result == {"not-claimed": 0, "sent": 1, "lease-lost": 1}
    assert fake_twilio.posts == {key(first): ["accept"]}
    assert Message.objects.get(pk=second.pk).status == Message.Status.QUEUED


def test_a_delivery_batch_needs_few_queries_per_message(
    fake_twilio, practice_a, django_assert_max_num_queries
):
    ids = [reminder_like(practice_a).pk for _ in range(10)]

    # The claim (lock, update, 2 savepoints here), the patients' limits (lock, recent sends),
    # the load (messages, practices), rules, consents, then one update per message.
    with django_assert_max_num_queries(4 + 2 + 2 + 2 + 10):
        assert delivery.deliver_messages(message_ids=ids, now=NOON)["sent"] == 10


def test_check_send_many_answers_like_check_send(db, practice_a):
    from templates_lib.channel_rules import check_send, check_send_many

    moment = factories.moment(practice_a, "appointment_time_question")
    ok = factories.make_patient(practice_a)
    stopped = factories.make_patient(practice_a, opted_out_at=NOON)
    no_phone = factories.make_patient(practice_a, phone="")
    never = factories.make_patient(practice_a)
    never.consents.all().delete()
    regranted = factories.make_patient(practice_a)
    for granted, days in ((False, 10), (True, 20)):
        Consent.objects.create(patient=regranted, channel="sms", granted=granted,
                               recorded_at=timezone.now() + timedelta(days=days),
                               source="phone call")  # fmt: skip
    patients = [ok, stopped, no_phone, never, regranted]
    for now in (NOON, NOON.replace(hour=3)):
        single = [check_send(patient=p, moment=moment, channel="sms", now=now) for p in patients]
        many = check_send_many(sends=[(p, moment) for p in patients], channel="sms", now=now)
        assert many == single
    assert [d.allowed for d in many] == [False] * 5  # the night: quiet hours or refused
    assert [d.not_before is not None for d in many] == [True, False, False, False, True]


def test_a_reply_held_for_quiet_hours_becomes_the_first_response_when_it_goes(
    fake_twilio, noon_item, django_capture_on_commit_callbacks
):
    template = noon_item.moment.templates.filter(language="en", channel="sms").first()
    message = outbound(noon_item, template=template)
    assert noon_item.first_response_at is None
    shown = changes.queue_marker(practice_ids=[noon_item.practice_id])

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver_message(message_id=message.pk, now=NOON) == "sent"

    noon_item.refresh_from_db()
    assert noon_item.first_response_at == NOON
    # No item event says so: the open queues are told by the practice's change mark.
    assert changes.queue_marker(practice_ids=[noon_item.practice_id]) != shown


def test_an_automatic_message_is_not_a_first_response(fake_twilio, noon_item):
    template = noon_item.moment.templates.filter(language="en", channel="sms").first()
    message = outbound(noon_item, template=template, is_automatic=True)

    delivery.deliver_message(message_id=message.pk, now=NOON)

    noon_item.refresh_from_db()
    assert noon_item.first_response_at is None
