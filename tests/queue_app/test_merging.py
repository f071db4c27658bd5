"""Merging a duplicate item into another, and linking related items."""

from datetime import timedelta
from functools import partial

import pytest
from django.urls import reverse

from escalation import services as escalation_services
from queue_app.models import AuditEvent, ItemEvent, ItemLink, Message, Promise, WorkItem
from queue_app.selectors import item_timeline
from queue_app.services import merging
from queue_app.services.shared import ActionRefused
from tests import factories
from tests.concurrency import at_once
from tests.queue_app.queue_helpers import NOW, open_item

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pair(practice_a, patient, assistant):
    """The same request twice: a text, then a walk-in about it an hour later."""
    survivor = open_item(practice_a, patient, owner=assistant, status="assigned")
    factories.make_message(
        survivor, direction="in", status="received", body="Can I move Thursday?", created=NOW
    )
    duplicate = open_item(
        practice_a,
        patient,
        channel="walk_in",
        patient_words="Came in to move Thursday's visit",
        received_at=NOW - timedelta(minutes=10),
    )
    factories.make_message(
        duplicate, direction="in", status="received", body="Also Friday works", created=NOW
    )
    factories.make_message(duplicate, body="We got your request.", created=NOW)
    ItemEvent.objects.create(item=duplicate, service="intake", kind="created", created=NOW)
    return survivor, duplicate


def merge(duplicate, survivor, actor, now=NOW):
    return merging.merge_items(duplicate=duplicate, survivor=survivor, actor=actor, now=now)


def test_merge_moves_messages_and_events_and_closes_the_duplicate_with_a_pointer(pair, assistant):
    survivor, duplicate = pair
    merge(duplicate, survivor, assistant)
    duplicate.refresh_from_db()
    assert duplicate.status == WorkItem.Status.RESOLVED
    assert duplicate.merged_into == survivor and duplicate.resolved_at == NOW
    assert set(Message.objects.filter(item=survivor).values_list("body", flat=True)) == {
        "Can I move Thursday?",
        "Also Friday works",
        "We got your request.",
    }
    assert not Message.objects.filter(item=duplicate).exists()
    copied = ItemEvent.objects.filter(item=survivor, kind="merged_event")
    assert [e.after["kind"] for e in copied] == ["created"]
    assert copied[0].after["from"] == str(duplicate.code) and copied[0].actor == assistant
    # The duplicate's own trail keeps its history and says where it went.
    into = ItemEvent.objects.get(item=duplicate, kind="merged_into")
    assert into.actor == assistant and into.after["into"] == str(survivor.code)
    assert ItemEvent.objects.filter(item=duplicate, kind="created").exists()
    merged_in = ItemEvent.objects.get(item=survivor, kind="merged_in")
    assert len(merged_in.after["messages"]) == 2 and merged_in.after["words_only"] is False


def test_the_duplicates_open_promise_moves_to_the_survivor(pair, assistant):
    survivor, duplicate = pair
    Promise.objects.create(
        item=duplicate, kind="follow_up", due_at=NOW + timedelta(hours=3), made_at=NOW
    )
    merge(duplicate, survivor, assistant)
    assert list(Promise.objects.values_list("item_id", flat=True)) == [survivor.pk]


def test_the_survivors_conversation_keeps_both_items_words(practice_a, patient, assistant):
    call = open_item(practice_a, patient, channel="front_desk", patient_words="Called re: form")
    walk_in = open_item(
        practice_a,
        patient,
        channel="walk_in",
        patient_words="Dropped the form off",
        received_at=NOW - timedelta(minutes=5),
    )
    merge(walk_in, call, assistant)
    words = [(e.obj.pk, e.text) for e in item_timeline(item=call) if e.kind == "words"]
    assert words == [(call.pk, "Called re: form"), (walk_in.pk, "Dropped the form off")]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_patient", "different patients"),
        ("itself", "into itself"),
        ("resolved_duplicate", "already resolved"),
        ("resolved_survivor", "Merge into an open item"),
        ("no_patient", "Identify the patient"),
    ],
)
def test_merge_refuses_what_would_mix_or_rewrite_records(
    practice_a, patient, assistant, case, message
):
    survivor = open_item(practice_a, patient)
    duplicate = open_item(practice_a, patient)
    if case == "other_patient":
        duplicate = open_item(practice_a, factories.make_patient(practice_a))
    elif case == "itself":
        duplicate = survivor
    elif case == "resolved_duplicate":
        WorkItem.objects.filter(pk=duplicate.pk).update(status="resolved", resolved_at=NOW)
    elif case == "resolved_survivor":
        WorkItem.objects.filter(pk=survivor.pk).update(status="resolved", resolved_at=NOW)
    elif case == "no_patient":
        duplicate = open_item(practice_a, None)
    factories.make_message(duplicate, direction="in", status="received", created=NOW)
    with pytest.raises(ActionRefused, match=message):
        merge(duplicate, survivor, assistant)
    assert Message.objects.get(body__startswith="Hi Avery").item_id == duplicate.pk
    assert not WorkItem.objects.filter(merged_into__isnull=False).exists()


def test_merge_refuses_across_practices(practice_a, practice_b, patient, assistant):
    mine = open_item(practice_a, patient)
    theirs = open_item(practice_b, factories.make_patient(practice_b))
    with pytest.raises(ActionRefused, match="same practice"):
        merge(theirs, mine, assistant)


def test_a_duplicate_with_an_open_escalation_is_refused(practice_a, patient, assistant):
    survivor = open_item(practice_a, patient)
    duplicate = open_item(practice_a, patient)
    escalation_services.escalate_item(
        item=duplicate, route_kind="clinical", reason="asks about a dose", now=NOW, actor=assistant
    )
    with pytest.raises(ActionRefused, match="open escalation"):
        merge(duplicate, survivor, assistant)


def test_the_survivor_keeps_the_more_pressing_boundary(practice_a, patient, assistant):
    survivor = open_item(practice_a, patient)
    duplicate = open_item(practice_a, patient, boundary="complaint", priority=10)
    merge(duplicate, survivor, assistant)
    survivor.refresh_from_db()
    assert survivor.boundary == "complaint" and survivor.priority == 10
    merge(open_item(practice_a, patient), survivor, assistant)
    survivor.refresh_from_db()
    assert survivor.boundary == "complaint"  # never lowered


def test_the_merge_view_merges_and_answers_with_the_survivors_panel(client, pair, assistant):
    survivor, duplicate = pair
    client.force_login(assistant)
    url = reverse("queue:item-merge", args=[survivor.code])
    response = client.post(url, {"other": duplicate.code}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merged: the duplicate" in html and "Also Friday works" in html
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert set(
        AuditEvent.objects.filter(action="item_merge").values_list("object_code", flat=True)
    ) == {str(survivor.code), str(duplicate.code)}


def test_a_refused_merge_says_why_in_the_panel(client, practice_a, patient, assistant):
    survivor = open_item(practice_a, patient)
    other = open_item(practice_a, factories.make_patient(practice_a))
    client.force_login(assistant)
    response = client.post(
        reverse("queue:item-merge", args=[survivor.code]), {"other": other.code}, headers=HTMX
    )
    assert response.status_code == 200
    assert "different patients; link them instead" in response.content.decode()
    other.refresh_from_db()
    assert other.merged_into is None and other.is_open


def test_another_practices_item_cannot_be_merged_or_linked_in(
    client, practice_a, practice_b, patient, assistant, outsider
):
    mine = open_item(practice_a, patient)
    theirs = open_item(practice_b, factories.make_patient(practice_b))
    client.force_login(assistant)
    for name in ("item-merge", "item-link"):
        url = reverse(f"queue:{name}", args=[mine.code])
        assert client.post(url, {"other": theirs.code}).status_code == 404
    client.force_login(outsider)
    url = reverse("queue:item-merge", args=[theirs.code])
    assert client.post(url, {"other": mine.code}).status_code == 404
    assert not ItemLink.objects.exists() and not WorkItem.objects.filter(merged_into__isnull=False)


def test_get_on_merge_link_and_unlink_is_405(client, item, assistant):
    client.force_login(assistant)
    for name in ("item-merge", "item-link", "item-unlink"):
        assert client.get(reverse(f"queue:{name}", args=[item.code])).status_code == 405


def test_a_link_shows_in_both_items_widgets_and_unlinks(client, practice_a, patient, assistant):
    first = open_item(practice_a, patient)
    second = open_item(practice_a, patient, key="records_request")
    client.force_login(assistant)
    response = client.post(
        reverse("queue:item-link", args=[first.code]), {"other": second.code}, headers=HTMX
    )
    assert "Linked: each item now shows the other." in response.content.decode()
    for one, other in ((first, second), (second, first)):
        widget = client.get(reverse("queue:item-links", args=[one.code]), headers=HTMX)
        assert widget.context["relations"].linked == [other]
        assert ItemEvent.objects.filter(item=one, kind="linked", actor=assistant).exists()
    assert AuditEvent.objects.filter(action="item_links").exists()
    with pytest.raises(ActionRefused, match="already linked"):
        merging.link_items(item=second, other=first, actor=assistant, now=NOW)
    client.post(reverse("queue:item-unlink", args=[second.code]), {"other": first.code})
    assert not ItemLink.objects.exists()
    assert ItemEvent.objects.filter(item=first, kind="unlinked").exists()


def test_the_widget_offers_merge_only_where_it_is_allowed(
    client, pair, practice_a, patient, assistant
):
    survivor, duplicate = pair
    resolved = open_item(practice_a, patient, status="resolved", resolved_at=NOW)
    client.force_login(assistant)
    widget = client.get(reverse("queue:item-links", args=[survivor.code]), headers=HTMX)
    html = widget.content.decode()
    assert dict(widget.context["relations"].candidates) == {
        duplicate: "",
        resolved: "The duplicate is already resolved; it cannot be merged.",
    }
    assert html.count("Merge into this item</button>") == 1
    assert html.count(">Link</button>") == 2
    panel = client.get(reverse("queue:item", args=[survivor.code])).content.decode()
    assert reverse("queue:item-links", args=[survivor.code]) in panel


def test_a_staff_entry_keeps_its_words_when_a_texted_duplicate_moves_in(
    practice_a, patient, assistant
):
    call = open_item(practice_a, patient, channel="front_desk", patient_words="Called re: form")
    texted = open_item(practice_a, patient)
    factories.make_message(
        texted, direction="in", status="received", body="Did you get my form?", created=NOW
    )
    merge(texted, call, assistant)
    timeline = item_timeline(item=call)
    assert [e.text for e in timeline if e.kind == "words"] == ["Called re: form"]
    assert [e.obj.body for e in timeline if e.kind == "message"] == ["Did you get my form?"]


@pytest.mark.django_db(transaction=True)
def test_one_duplicate_merged_at_once_into_two_items_goes_to_one(practice_a, patient, assistant):
    duplicate = open_item(practice_a, patient)
    factories.make_message(duplicate, direction="in", status="received", created=NOW)
    survivors = [open_item(practice_a, patient), open_item(practice_a, patient)]
    outcomes = at_once(
        *[partial(merge, duplicate, survivor, assistant) for survivor in survivors],
        expected=(ActionRefused,),
    )
    refused = [str(o) for o in outcomes if isinstance(o, ActionRefused)]
    assert refused == ["The duplicate is already resolved; it cannot be merged."]
    duplicate.refresh_from_db()
    assert Message.objects.get(direction="in").item_id == duplicate.merged_into_id
