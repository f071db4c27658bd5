"""An unsure triage asks the assistant to check the boundary; the answer is a labelled example."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from escalation.models import Escalation, RouteKind, TriageLabel
from queue_app.models import WorkItem
from queue_app.services import intake
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def unsure(practice_a, patient, assistant):
    item = factories.make_item(
        practice_a,
        patient=patient,
        boundary="clinical",
        triage_unsure=True,
        triage_reasons=["clinical, check the boundary: \"passed out\" (described as past)"],
        patient_words="passed out a few weeks ago, should I still come Thursday?",
        status="assigned",
        owner=assistant,
    )
    return item


def confirm(client, item, boundary: str, lane: str):
    return client.post(
        reverse("escalation:item-confirm-triage", args=[item.code]),
        {"boundary": boundary, "lane": lane},
        HTTP_HX_REQUEST="true",
    )


def test_intake_keeps_the_engines_doubt_on_the_item(practice_a, patient):
    item = intake.create_item(
        practice=practice_a,
        patient=patient,
        moment=factories.moment(practice_a, "other_admin"),
        channel=WorkItem.Channel.SMS,
        words="what should I do if I get chest pain during my workout?",
        language="en",
        now=timezone.now(),
    )
    assert item.boundary == "clinical" and item.triage_unsure


def test_the_panel_asks_to_check_the_boundary(client, assistant, unsure):
    client.force_login(assistant)

    response = client.get(reverse("escalation:item-panel", args=[unsure.code]))

    assert b"Check the boundary" in response.content
    assert b"described as past" in response.content


def test_confirming_records_a_label_and_clears_the_question(client, assistant, unsure):
    client.force_login(assistant)

    response = confirm(client, unsure, "clinical", "appointment_time_question")

    assert response.status_code == 200
    assert b"Check the boundary" not in response.content
    label = TriageLabel.objects.get()
    assert (label.suggested_lane, label.lane) == ("reschedule", "appointment_time_question")
    assert (label.suggested_boundary, label.boundary) == ("clinical", "clinical")
    assert label.confirmed_by == assistant and label.words.startswith("passed out")
    unsure.refresh_from_db()
    assert not unsure.triage_unsure
    assert unsure.events.filter(kind="triage_confirmed", actor=assistant).exists()


def test_confirming_a_more_pressing_boundary_escalates_at_once(client, assistant, unsure):
    client.force_login(assistant)

    confirm(client, unsure, "urgent", "other_admin")

    unsure.refresh_from_db()
    assert unsure.boundary == "urgent"
    assert Escalation.objects.get(item=unsure).route.kind == RouteKind.URGENT


def test_an_assistant_cannot_lower_a_boundary(client, assistant, unsure):
    client.force_login(assistant)

    response = confirm(client, unsure, "administrative", "reschedule")

    assert b"only the team it went to can lower that" in response.content
    unsure.refresh_from_db()
    assert unsure.boundary == "clinical" and unsure.triage_unsure
    assert not TriageLabel.objects.exists()


def test_another_practices_assistant_gets_nothing(client, practice_b, unsure):
    outsider = factories.make_user("assistant-b", practice_b, "assistant")
    client.force_login(outsider)

    response = confirm(client, unsure, "clinical", "reschedule")

    assert response.status_code == 404
    assert not TriageLabel.objects.exists()


def test_the_labels_export_as_a_training_batch(client, assistant, unsure, tmp_path, practice_a):
    client.force_login(assistant)
    confirm(client, unsure, "clinical", "appointment_time_question")
    out = tmp_path / "labels.jsonl"
    since = (timezone.now() - timedelta(days=1)).date().isoformat()

    log = StringIO()
    call_command("export_triage_labels", "--practice", practice_a.slug, "--since", since,
                 "--out", str(out), stdout=log)  # fmt: skip

    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    assert set(rows[0]) == {"id", "text", "language", "channel", "lane", "boundary", "note"}
    assert (rows[0]["lane"], rows[0]["boundary"]) == ("appointment_time_question", "clinical")
    assert "1 confirmation(s)" in log.getvalue()
