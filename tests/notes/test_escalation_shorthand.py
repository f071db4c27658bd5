"""The escalation element in the shorthand and Spanish of the nF writers' kind (rules alone)."""

from __future__ import annotations

import pytest

from notes.checker import check_note


@pytest.mark.parametrize(
    "text",
    [
        "Req: pt asking for copy of imaging. ID: DOB. Sent via portal 3:10p. Esc: none. Closed.",
        "Pt wants a receipt for 11/4 copay. DOB ok. Emailed 10:05. No sx/med q's. Done.",
        "Pt asked about parking. DOB verified. Gave garage info. No health-related questions. "
        "Closed.",
        "Paciente preguntó el horario del sábado. DOB verificado. Le di el horario. Sin preguntas "
        "de salud. Cerrado.",
        "Pte pidió copia de su factura. DOB verificado. Enviada por correo. Nada que pasar a "
        "enfermería. Cerrado.",
    ],
)
def test_a_said_absence_of_anything_clinical_counts_in_shorthand_and_spanish(text: str) -> None:
    assert "escalation_status" not in check_note(text, "other_admin", model=None).missing


def test_an_unrouted_symptom_still_lacks_escalation_even_with_esc_none() -> None:
    text = "Pt moving appt, says chest pain since am. DOB verified. Moved to 12/14 9a. Esc: none."
    assert "escalation_status" in check_note(text, "reschedule", model=None).missing
