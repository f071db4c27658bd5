"""Triage, sixth round (docs/TRIAGE.md, "cP and cQ"): statements read as a frame of two parts
rather than as a phrase, the R18 lean of the learned layer, and a learned urgent detector that
cannot read when a symptom began. Written in wording that is not in the corpus."""

from __future__ import annotations

import pytest

from escalation.triage import TriageResult, combine, triage
from escalation.triage.measures import without_onsets
from escalation.triage.model import from_dict


@pytest.mark.parametrize(
    "text",
    [
        # an act on oneself and what makes it deliberate
        "pls cancel group on tues. burned myself with a lighter again last night",
        "me sigo cortando las piernas con una cuchilla y no sé cómo parar",
        # an act on a person and a first-person intent
        "tell that billing guy im coming over there to punch him in the mouth",
        "si me vuelven a cobrar ese cargo le voy a partir la cara al de la caja",
        # sleep and never waking up
        "every night I go to bed hoping I never wake up, can I see the counselor sooner",
    ],
)
def test_a_statement_in_two_parts_is_urgent(text: str) -> None:
    assert triage(text).boundary == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "I cut myself again chopping onions, do I need stitches or is a bandaid ok",
        "the baby sleeps six hours at night and doesn't wake up to feed, is that normal",
    ],
)
def test_a_benign_reading_of_the_frame_goes_to_a_clinician_to_check(text: str) -> None:
    result = triage(text)
    assert result.boundary == "clinical"


def test_an_idiom_at_a_machine_is_not_an_emergency() -> None:
    assert triage("im gonna kill this printer lol, can you fax the school form again").boundary != (
        "urgent"
    )


def _opinion(boundary_weight: float):
    """A model whose only word, "lean", moves the boundary head towards clinical."""
    classes = ["administrative", "clinical", "complaint", "identity_unclear", "urgent"]
    head = {"classes": classes, "intercepts": [0.0] * 5, "weights": {}}
    boundary = {**head, "weights": {"w:lean": [0.0, boundary_weight, 0.0, 0.0, 0.0]}}
    lane = {"classes": ["other_admin"], "intercepts": [0.0], "weights": {}}
    urgent = {"classes": ["no", "urgent"], "intercepts": [0.0, -5.0], "weights": {}}
    return from_dict({"boundary": boundary, "lane": lane, "urgent": urgent})


def test_when_the_rules_find_nothing_a_model_leaning_clinical_sends_it_to_a_clinician() -> None:
    ruled = TriageResult("other_admin", "administrative", ("administrative: no cue",), False)
    # "lean" alone gives clinical about 40%: below the model's own raise, above every other label
    leaning = combine(ruled, True, False, _opinion(4.0), "lean")
    assert leaning.boundary == "clinical"
    assert leaning.unsure
    assert "check the boundary (R18)" in leaning.reasons[0]
    not_leaning = combine(ruled, True, False, _opinion(-4.0), "lean")
    assert not_leaning.boundary == "administrative"


def test_the_learned_urgent_detector_does_not_read_when_a_symptom_began() -> None:
    text = "mi hija tiene dolor de oido desde ayer y since last night for 2 hours hace media hora"
    blind = without_onsets(text)
    assert len(blind) == len(text)
    for onset in ("desde", "ayer", "since", "last night", "for 2 hours", "hace media hora"):
        assert onset not in blind
    assert "dolor de oido" in blind


def test_an_earache_begun_yesterday_is_for_a_clinician_not_the_emergency_route() -> None:
    result = triage("my 6 yr old has had an earache since yesterday afternoon, can she be seen?")
    assert result.boundary == "clinical"


@pytest.mark.parametrize(
    "text",
    [
        # a failure counted and an ultimatum
        "4th telehealth in a row the video freezes. one more time and I'm done with this portal",
        # a wait for a simple thing and leaving
        "llevo tres semanas esperando la carta para el trabajo y nada. me voy a cambiar de clínica",
        # a demand said as a wish
        "I want the late fee removed, I paid on time",
    ],
)
def test_frustration_at_a_repeated_failure_is_a_complaint(text: str) -> None:
    assert triage(text).boundary == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "me voy a cambiar de clínica, ¿me pueden mandar mi expediente a la nueva? gracias",
        "looking for a new clinic close to work, do you take Aetna?",
    ],
)
def test_leaving_without_frustration_is_no_complaint(text: str) -> None:
    assert triage(text).boundary == "administrative"


def test_what_a_patient_died_of_is_paperwork_not_an_emergency() -> None:
    result = triage(
        "mi papá falleció en marzo de un derrame cerebral, soy su hijo, ¿cómo pido su expediente?"
    )
    assert result.boundary == "identity_unclear"
    assert any("died of" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "since my wife passed away I keep thinking about ending my life",
        "my brother passed away of a stroke in may. now my sister's face is drooping on one side",
    ],
)
def test_a_death_in_the_message_does_not_hide_a_current_red_flag(text: str) -> None:
    assert triage(text).boundary == "urgent"
