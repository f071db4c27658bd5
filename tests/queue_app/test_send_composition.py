"""send_composition and the picker's options, against the database with an explicit now."""

from functools import partial
from uuid import uuid4

import pytest

from queue_app.models import Message, WorkItem
from queue_app.services import composing
from templates_lib.models import ResponseTemplate
from tests import factories
from tests.concurrency import at_once
from tests.queue_app.queue_helpers import NOW, owned_item, verified


def ready(practice, patient, owner):
    return verified(owned_item(practice, patient, owner, key="referral_status"))


@pytest.mark.django_db
def test_an_approved_follow_up_joins_the_picker_after_the_first_response(
    practice_a, patient, assistant
):
    item = ready(practice_a, patient, assistant)
    for language in ("en", "es"):  # a bilingual practice approves every language
        ResponseTemplate.objects.create(
            practice=practice_a,
            moment=item.moment,
            language=language,
            channel="sms",
            purpose="follow_up",
            version=1,
            body="{practice_name}: we are still checking on your referral; update {next_update}.",
            status=ResponseTemplate.Status.APPROVED,
            approved_at=NOW,
            created=NOW,
        )
    options = composing.composer_options(item=item, now=NOW, sent=[])
    assert [o.label for o in options] == [
        "First response · SMS",
        "First response · Portal",
        "Follow-up · SMS",
    ]
    assert options[2].body.startswith(f"{practice_a.name}: we are still checking")
    result = composing.send_composition(
        item=item,
        actor=assistant,
        composition=composing.Composition(choice=options[2].key),
        token=uuid4(),
        now=NOW,
    )
    assert result.message.body == options[2].body
    assert result.message.template.purpose == "follow_up"


@pytest.mark.django_db
def test_a_draft_or_another_moments_template_is_not_a_choice(practice_a, patient, assistant):
    item = ready(practice_a, patient, assistant)
    other = factories.moment(practice_a, "cancel").templates.filter(status="approved").first()
    with pytest.raises(composing.ComposeRefused, match="no longer offered"):
        composing.send_composition(
            item=item,
            actor=assistant,
            composition=composing.Composition(choice=f"template:{other.code}"),
            token=uuid4(),
            now=NOW,
        )
    assert not Message.objects.filter(item=item).exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_compose_store_one_message():
    practice = factories.make_practice(slug="double")
    patient = factories.make_patient(practice)
    owner = factories.make_user("double-owner", practice, "assistant", languages=["en"])
    for trial in range(10):
        item = ready(practice, patient, owner)
        token = uuid4()
        composition = composing.Composition(
            choice="free", channel="portal", text=f"Hi, we are checking (note {trial})."
        )
        # Each post holds its own copy of the item, as two requests would.
        posts = [
            partial(
                composing.send_composition,
                item=WorkItem.objects.get(pk=item.pk),
                actor=owner,
                composition=composition,
                token=token,
                now=NOW,
            )
            for _ in range(2)
        ]
        results = at_once(*posts)
        assert sorted(r.duplicate for r in results) == [False, True]
        assert Message.objects.filter(item=item, direction="out").count() == 1
