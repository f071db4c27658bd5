"""Triage, fourth round: when a symptom began, inability, pain said in words.

Written in wording that is not in the corpus: each case is the design's rule, not a phrase
it learned (docs/TRIAGE.md, "cL and cM").
"""

from __future__ import annotations

import pytest

from escalation.triage import triage
from escalation.triage.measures import recent_onset


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("tightness in my chest off and on since last night", "last night"),
        ("she passed out about 40 minutes ago", "40 minutes ago"),
        ("dolor de pecho desde hace 3 horas", "desde hace 3 horas"),
        ("the numbness started this afternoon", "this afternoon"),
        ("pain for the past 2 days", "for the past 2 days"),
    ],
)
def test_an_onset_within_days_is_read_however_it_is_said(text: str, onset: str) -> None:
    assert recent_onset(text, ((0, len(text)),)) == onset


@pytest.mark.parametrize(
    "text",
    [
        "chest pain off and on for years, my cardiologist follows it",
        "dizzy spells for 6 days",
        "my appointment is in 2 days and my knee has hurt for years",
    ],
)
def test_long_standing_or_far_off_times_are_not_a_recent_onset(text: str) -> None:
    assert recent_onset(text, ((0, len(text)),)) is None


@pytest.mark.parametrize(
    "text",
    [
        # recurring, but begun within days: current (R2)
        "need to move my bloodwork. fyi my chest has been squeezing off and on since yesterday",
        "se me va y se me viene un dolor en el pecho de vez en cuando desde anoche",
        # over, but minutes ago and seen by nobody
        "I blacked out in the kitchen 20 minutes ago, feel ok now. do I still come at 3?",
    ],
)
def test_recurring_or_passed_red_flags_begun_within_days_are_urgent(text: str) -> None:
    result = triage(text)
    assert result.boundary == "urgent"
    assert any("not evaluated, R2" in reason for reason in result.reasons)


def test_a_passed_episode_that_was_evaluated_stays_set_aside() -> None:
    text = "fainted yesterday, the ER checked me and I'm fine now, just need a work note"
    assert triage(text).boundary != "urgent"


def test_long_standing_chest_pain_stays_a_question_for_a_clinician() -> None:
    text = "I have had chest pain on and off for years, can I get a cardiology referral?"
    assert triage(text).boundary == "clinical"


@pytest.mark.parametrize(
    "text",
    [
        "this morning out of nowhere I could not see out of my right eye for a few minutes",
        "de repente no pude mover el brazo izquierdo, empezó hace media hora",
        "my dad was not able to speak right after lunch, words all wrong",
    ],
)
def test_inability_is_not_negation(text: str) -> None:
    assert triage(text).boundary == "urgent"


def test_a_plain_negation_still_sets_a_red_flag_aside() -> None:
    result = triage("no chest pain, no trouble breathing, just need my refill sent")
    assert result.boundary == "clinical"


@pytest.mark.parametrize(
    "text",
    [
        "3 days after my knee replacement, the incision is extremely painful and temp is 101.8",
        "me hicieron una biopsia el lunes, tengo 38.6 de fiebre y un dolor insoportable",
        "hernia repair friday. pain is way worse today and I'm running 101.2",
        "they put my port in on tuesday, the site is super painful and swollen, 102 fever",
    ],
)
def test_severe_pain_said_in_words_with_fever_after_a_procedure_is_urgent(text: str) -> None:
    assert triage(text).boundary == "urgent"


def test_mild_pain_with_fever_after_a_procedure_is_not_an_emergency() -> None:
    text = "had a tooth extraction monday, a little sore and 100.8 today, is that normal?"
    assert triage(text).boundary == "clinical"


def test_confusion_begun_within_hours_is_sudden_confusion() -> None:
    text = "my grandma has been confused since about 2pm, keeps asking where she is"
    result = triage(text)
    assert result.boundary == "urgent"
    assert any("sudden confusion" in reason for reason in result.reasons)


def test_being_confused_about_a_bill_is_not_sudden_confusion() -> None:
    # The rule stays silent; the learned detector may still ask for a check (always unsure).
    result = triage("I've been confused about this bill since yesterday")
    assert not any("sudden confusion" in reason for reason in result.reasons)
    assert result.boundary != "urgent" or result.unsure


@pytest.mark.parametrize(
    "text",
    [
        "mi pareja me estranguló hoy en la mañana y dijo que vuelve para acabar conmigo",
        "my ex strangled me last night and says he is coming back tonight to finish it",
    ],
)
def test_an_assault_just_suffered_or_a_promise_to_return_is_a_threat_of_violence(
    text: str,
) -> None:
    result = triage(text)
    assert result.boundary == "urgent"
    assert any("threat of violence" in reason for reason in result.reasons)


def test_hitting_ones_own_knee_is_not_violence() -> None:
    assert triage("me golpeé la rodilla en el trabajo, puedo cambiar mi cita?").boundary != "urgent"


def test_affairs_left_in_order_is_a_goodbye_statement() -> None:
    text = "ya no voy a seguir. dejo todo arreglado para mi familia. gracias por todo"
    assert triage(text).boundary == "urgent"
