"""Triage, fifth round: quantities said in words, a baby's age that is a baby's, money that is
not a dose, and a procedure dated beside the pain. Written in wording that is not in the
corpus (docs/TRIAGE.md, "cN and cO")."""

from __future__ import annotations

import pytest

from escalation.triage import triage
from escalation.triage.measures import _fever_readings, _infant_ages


@pytest.mark.parametrize(
    "text",
    [
        "his temp was a hundred and one point two",
        "thermometer said one oh three",
        "la fiebre le llego a ciento dos",
        "tiene treinta y nueve de temperatura",
    ],
)
def test_a_temperature_said_in_words_is_a_reading(text: str) -> None:
    assert _fever_readings(text)


@pytest.mark.parametrize(
    "text",
    ["my grandma is a hundred and two years old", "it cost ciento tres dolares", "fever a hundred"],
)
def test_other_numbers_in_words_are_not_a_fever(text: str) -> None:
    assert not _fever_readings(text)


def test_a_duration_is_not_a_babys_age_but_a_named_child_of_weeks_is() -> None:
    assert not _infant_ages("el dolor de espalda ya tiene cinco semanas")
    assert _infant_ages("mi nieto de 6 semanas")


def test_severe_pain_and_a_spelled_fever_after_surgery_last_week_are_urgent() -> None:
    result = triage(
        "Need to move my follow up, I am in a lot of pain where they did the gallbladder surgery "
        "last week and tonight the thermometer says one oh two"
    )
    assert result.boundary == "urgent"


def test_a_cough_of_three_weeks_with_a_fever_is_not_a_baby_emergency() -> None:
    result = triage("la tos de mi esposo ya tiene tres semanas y hoy tiene fiebre, lo traigo?")
    assert not any("baby under 3 months" in reason for reason in result.reasons)


def test_a_sum_of_money_taken_twice_is_not_an_overdose() -> None:
    result = triage("Your office took $85 twice from my card for the same copay. Please fix it.")
    assert result.boundary != "urgent"


def test_a_dose_taken_twice_still_is() -> None:
    assert triage("I think I took my blood thinner twice today").boundary == "urgent"

