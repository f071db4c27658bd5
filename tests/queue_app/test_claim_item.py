from functools import partial

import pytest

from queue_app.models import ItemEvent, WorkItem
from queue_app.services import ownership, shared
from tests import factories
from tests.concurrency import at_once
from tests.queue_app.queue_helpers import NOW, open_item


@pytest.mark.django_db
def test_it_claims_an_unowned_item(item, assistant):
    ownership.claim_item(item=item, actor=assistant, now=NOW)
    assert item.owner == assistant
    assert item.status == WorkItem.Status.ASSIGNED
    event = ItemEvent.objects.get(item=item, kind="claimed")
    assert event.actor == assistant
    assert event.after["owner"] == assistant.pk


@pytest.mark.django_db
def test_the_loser_is_told_who_has_it(item, assistant, assistant_2):
    stale = WorkItem.objects.get(pk=item.pk)
    ownership.claim_item(item=item, actor=assistant, now=NOW)
    with pytest.raises(shared.ItemNotClaimable) as refused:
        ownership.claim_item(item=stale, actor=assistant_2, now=NOW)
    assert refused.value.holder == assistant
    assert "assistant-a already has this item" in str(refused.value)
    assert ItemEvent.objects.filter(item=item, kind="claimed").count() == 1


@pytest.mark.django_db
def test_an_unowned_escalated_item_keeps_its_status_when_claimed(practice_a, patient, assistant):
    item = open_item(practice_a, patient, status=WorkItem.Status.ESCALATED)
    ownership.claim_item(item=item, actor=assistant, now=NOW)
    assert item.owner == assistant
    assert item.status == WorkItem.Status.ESCALATED


@pytest.mark.django_db
def test_an_outsider_cannot_claim(item, outsider):
    with pytest.raises(shared.ActionRefused):
        ownership.claim_item(item=item, actor=outsider, now=NOW)
    item.refresh_from_db()
    assert item.owner is None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_claims_give_exactly_one_owner_fifty_times_over():
    practice = factories.make_practice(slug="race")
    patient = factories.make_patient(practice)
    people = [
        factories.make_user(f"racer-{n}", practice, "assistant", languages=["en"])
        for n in range(10)
    ]
    for trial in range(50):
        item = open_item(practice, patient)
        # Each person holds their own copy of the item, as ten requests would.
        claims = [
            partial(
                ownership.claim_item,
                item=WorkItem.objects.select_related("practice").get(pk=item.pk),
                actor=user,
                now=NOW,
            )
            for user in people
        ]
        outcomes = at_once(*claims, expected=(shared.ItemNotClaimable,))
        refused = [isinstance(o, shared.ItemNotClaimable) for o in outcomes]
        winners = [user for user, no in zip(people, refused, strict=True) if not no]
        losers = [o.holder for o, no in zip(outcomes, refused, strict=True) if no]
        assert len(winners) == 1, f"trial {trial}: {len(winners)} owners"
        assert len(losers) == 9 and set(losers) == set(winners)
        item.refresh_from_db()
        assert item.owner == winners[0]
        assert ItemEvent.objects.filter(item=item, kind="claimed").count() == 1
