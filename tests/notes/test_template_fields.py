"""A templated note ("Reason: / Action: / Next: / Esc:") with a field left empty lacks that
element, whatever the rest of the note's wording suggests to the learned layer (nG writer)."""

from __future__ import annotations

import pytest

from notes.checker import check_note


@pytest.mark.parametrize(
    ("text", "element"),
    [
        (
            "Reason:\nVerified: DOB ok, MRN ok\nAction: resent portal invite 2:40p\n"
            "Next: closed\nEsc: none",
            "request",
        ),
        (
            "Reason: pt asks for a sports physical form | Verified: DOB | Action: N/A | "
            "Next: call her Fri 11/20 10a | Esc: none",
            "action_taken",
        ),
        (
            "Motivo: cambio de cita / Verificado: fecha de nacimiento / Acción: se reagendó al "
            "3/4 9am / Seguimiento: - / Esc: ninguna",
            "promised_follow_up",
        ),
    ],
)
def test_an_empty_template_field_is_a_missing_element(text: str, element: str) -> None:
    verdict = check_note(text, "appointment_request")
    assert verdict.label == "vague"
    assert element in verdict.missing


def test_a_filled_template_is_actionable_and_esc_none_states_a_status() -> None:
    text = (
        "Reason: pt asks for a sports physical form | Verified: DOB 2/3/09, guardian on file | "
        "Action: form filled by Dr. Ross, left at front desk | Next: closed, mom picks up today | "
        "Esc: none"
    )
    assert check_note(text, "form_reminder").label == "actionable"


@pytest.mark.parametrize(
    ("text", "lane"),
    [
        (
            "Billing | pt asks about the $40 charge of 3/2 | DOB ok | explained it is the copay "
            "| no clinical questions | closed",
            "billing_question",
        ),
        (
            "Cita | pte quiere saber la hora de su cita del 9-mar | DOB verificado | le confirmé "
            "10:30 am con el Dr. Ruiz | sin preguntas clínicas | cerrado",
            "appointment_time_question",
        ),
    ],
)
def test_a_note_in_bars_reads_each_part_as_its_own_sentence(text: str, lane: str) -> None:
    # "| closed" closes the item as ". Closed." does (nH writer: notes in bars).
    verdict = check_note(text, lane)
    assert "promised_follow_up" not in verdict.missing
    assert verdict.label == "actionable"
