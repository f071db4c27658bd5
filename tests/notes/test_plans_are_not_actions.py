"""A note that states only plans has taken no action (README: "future intentions ('will
send')" do not count), however complete the rest reads; a step said as its outcome still
counts ("Payment taken", "Confirmed Thu 3/13 8 AM")."""

from __future__ import annotations

import pytest

from notes.checker import check_note, is_refused, rule_vetoes


@pytest.mark.parametrize(
    ("text", "lane"),
    [
        (
            "Pt wondering why her plan denied the 5/2 MRI. DOB checked, claim 7731-C. Gotta "
            "phone Cigna first, need to ring pt back 5/9 10 AM. Nothing clinical.",
            "billing_question",
        ),
        (
            "Paciente pregunta por su referido a cardiología. Fecha de nacimiento verificada, "
            "referido del 3/3. Hay que llamar a cardiología mañana. Nada clínico. Le llamo el "
            "3/12.",
            "referral_status",
        ),
        (
            "Pt cannot log in for VV 2/14 1 PM. DOB ok. Ticket to IT going to be filed. No "
            "clinical. I'll call back 1:30 PM today.",
            "telehealth_connection_problem",
        ),
    ],
)
def test_a_note_of_plans_only_lacks_its_action(text: str, lane: str) -> None:
    verdict = check_note(text, lane)
    assert "action_taken" in verdict.missing
    assert verdict.label == "vague"


@pytest.mark.parametrize(
    ("text", "lane"),
    [
        (
            "Pt needs to pay $61.40 balance. Acct 22018, DOB verified. Payment taken, conf "
            "P-5521. No clinical or complaint issues. Will mail receipt 6/2. Closed.",
            "billing_question",
        ),
        (
            "Pt asked if she still has her visit. DOB verified. Confirmed Tue 4/8 9:15 AM, Dr. "
            "Ames, Suite 210. No clinical questions. Will text a reminder 4/7. Done.",
            "appointment_time_question",
        ),
    ],
)
def test_a_step_said_as_its_outcome_beside_a_plan_counts(text: str, lane: str) -> None:
    verdict = check_note(text, lane)
    assert "action_taken" not in verdict.missing
    assert not is_refused(verdict)


def test_only_the_staffs_plans_veto_the_action() -> None:
    # The prefilled request quotes the patient, whose plans are not the assistant's.
    quoted = "Patient wrote: “I need to move my appointment on Thursday.” mv to 3/13 2:10p."
    assert "action_taken" not in rule_vetoes(quoted)
    assert "action_taken" not in rule_vetoes("Pt will bring her new card Mon. DOB ok.")
    assert "action_taken" in rule_vetoes("Need to call Aetna re claim 55-1. DOB ok.")
