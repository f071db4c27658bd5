"""A small campaign through a real Celery worker and the fake Twilio, as it goes in production."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from campaigns import report, services
from campaigns.models import Campaign
from messaging import inbound
from queue_app.models import Message, WebhookEvent, WorkItem
from tests import factories
from tests.campaigns.helpers import approve, book, day_campaign, visit_day, withdraw_consent
from tests.messaging.conftest import (  # noqa: F401  (the worker fixtures, shared)
    _worker_process,
    awake_quiet_hours,
    fake_twilio,
    fake_twilio_server,
    worker,
)
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
_replies = count(1)
SETTLED = {"sent", "delivered", "failed", "undelivered", "blocked", "cancelled", "scheduled"}


def reply(practice, sender: str, body: str) -> None:
    """An inbound SMS stored and processed as the webhook and the worker do (its own SIDs:
    the fake Twilio's outbound SIDs would collide with tests.messaging.helpers' counter)."""
    sid = f"SMreply{next(_replies):025d}"
    event = WebhookEvent.objects.create(
        kind="sms", sid=sid, path="/twilio/sms/", received_at=timezone.now(),
        payload={"MessageSid": sid, "From": sender, "To": practice.phone, "Body": body},
    )  # fmt: skip
    assert inbound.process_webhook_event(event_id=event.pk, now=timezone.now()) == "processed"


def settled(campaign: Campaign) -> bool:
    campaign.refresh_from_db()
    pending = Message.objects.filter(purpose="campaign").exclude(status__in=SETTLED)
    return campaign.status == Campaign.Status.SENT and not pending.exists()


@pytest.mark.usefixtures("worker")
def test_a_campaign_reaches_each_eligible_patient_once_and_never_an_opted_out_one(
    fake_twilio,  # noqa: F811  (the shared fixture)
):
    now = timezone.now()
    practice = factories.make_practice(slug="flu", languages=["en", "es"])
    awake_quiet_hours(practice, now)
    practice.automated_daily_limit = 1
    practice.save(update_fields=["automated_daily_limit"])
    writer = factories.make_user("writer-w", practice, "manager")
    approver = factories.make_user("approver-w", practice, "admin")
    day = visit_day(practice)
    eligible = [factories.make_patient(practice, phone=f"+1202557{n:04d}") for n in range(10)]
    eligible.append(factories.make_patient(practice, phone="+12025578888", preferred_language="es"))
    opted_out = [
        factories.make_patient(practice, phone=f"+1202558{n:04d}", opted_out_at=now)
        for n in range(3)
    ]
    no_consent = factories.make_patient(practice, phone="+12025589999")
    withdraw_consent(no_consent)
    for patient in [*eligible, *opted_out, no_consent]:
        book(patient, day)
    # One patient already had their one automated text of the day: theirs waits for a slot.
    capped = eligible[0]
    item = factories.make_item(practice, patient=capped)
    factories.make_message(
        item, is_automatic=True, purpose="reminder", status="sent", created=now,
        claimed_at=now - timedelta(hours=1), to_number=capped.phone,
    )  # fmt: skip
    campaign = approve(day_campaign(practice, writer, day), approver)

    services.start_sending(campaign=campaign, actor=approver, now=now)
    # A double click, from the other admin: nothing more is queued.
    with pytest.raises(services.CampaignError):
        services.start_sending(campaign=campaign, actor=writer, now=now)
    assert wait_for(lambda: settled(campaign), timeout=60)

    messages = Message.objects.filter(purpose="campaign")
    assert messages.count() == 11
    sent = messages.filter(status="sent")
    assert set(sent.values_list("patient", flat=True)) == {p.pk for p in eligible[1:]}
    held = messages.get(patient=capped)
    assert held.status == Message.Status.SCHEDULED and "limit" in held.status_reason
    accepted = [m for taken in fake_twilio.accepted.values() for m in taken]
    numbers = [m["to"] for m in accepted]
    assert len(numbers) == len(set(numbers)) == 10  # 0 duplicates
    assert not set(numbers) & {p.phone for p in [*opted_out, no_consent, capped]}
    assert fake_twilio.accepted_counts() == {
        str(code): 1 for code in sent.values_list("code", flat=True)
    }
    spanish = next(m for m in accepted if m["to"] == "+12025578888")
    assert spanish["body"].startswith("Hola")

    # A reply lands in the queue like any text; a STOP counts as opted out after it.
    reply(practice, eligible[1].phone, "Can my daughter get one too?")
    reply(practice, eligible[2].phone, "STOP")
    assert WorkItem.objects.filter(patient=eligible[1]).exists()
    counts = report.campaign_report(campaign)
    assert (counts.messages, counts.sent, counts.waiting) == (11, 10, 1)
    assert (counts.replied, counts.opted_out) == (2, 1)
