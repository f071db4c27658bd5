"""Behaviour of notes.checker, without Django or a database.

The hand-written cases use wording that is not in the dev sample. EXTRA_NOTES (bottom) is a
self-written generalization set, English and Spanish, with many borderline notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes.checker import ELEMENTS, NoteVerdict, check_note, is_refused, required_elements

HELD_OUT = Path(__file__).resolve().parents[2] / "corpus/notes/nD.jsonl"


def _missing(text: str, lane: str) -> tuple[str, ...]:
    # The rule layer alone: these sentences pin down what each rule detector knows. The
    # learned layer that decides presence is measured on whole batches (docs/NOTES.md).
    return check_note(text, lane, model=None).missing


# --- Lanes and the verdict shape -------------------------------------------------------------


def test_missed_call_lane_requires_four_elements() -> None:
    assert required_elements("missed_call_callback") == (
        "request",
        "contact_attempt",
        "promised_follow_up",
        "escalation_status",
    )


def test_no_show_lane_requires_all_six_elements() -> None:
    assert required_elements("no_show_recovery") == ELEMENTS


def test_other_lanes_do_not_require_a_contact_attempt() -> None:
    assert "contact_attempt" not in required_elements("billing_question")


def test_unknown_lane_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown lane"):
        check_note("Handled.", "parking_lot")


def test_complete_note_is_actionable_with_evidence_for_each_element() -> None:
    verdict = check_note(
        "Pt asked to move her 6/12 visit (work trip). DOB verified. Moved to 6/19 at 3:30 PM"
        " with Dr. Reyes. No clinical questions. Nothing further.",
        "reschedule",
    )
    assert verdict == NoteVerdict("actionable", (), verdict.found, {})
    assert set(verdict.found) == set(required_elements("reschedule"))
    assert "6/19" in verdict.found["verified_details"] or "DOB" in verdict.found["verified_details"]


# --- Typical vague notes are refused, with hints naming what to add -------------------------


def test_handled_is_vague_and_every_element_gets_a_hint() -> None:
    verdict = check_note("Handled.", "appointment_request")
    assert verdict.label == "vague"
    assert verdict.missing == required_elements("appointment_request")
    assert set(verdict.hints) == set(verdict.missing)


def test_pt_aware_is_vague() -> None:
    verdict = check_note("pt aware", "billing_question")
    assert verdict.label == "vague"
    assert "request" in verdict.missing and "action_taken" in verdict.missing


def test_called_patient_is_refused_with_hints_naming_what_to_add() -> None:
    verdict = check_note("Called patient.", "appointment_time_question")
    assert verdict.label == "vague"
    assert "next" in verdict.hints["promised_follow_up"]
    assert "clinical" in verdict.hints["escalation_status"]
    assert "did" in verdict.hints["action_taken"]


def test_lvm_alone_is_vague() -> None:
    missing = _missing("LVM", "no_show_recovery")
    assert "contact_attempt" in missing and "action_taken" in missing


def test_spanish_hints_on_request() -> None:
    verdict = check_note("Llamé.", "missed_call_callback", language="es")
    assert verdict.label == "vague"
    assert "mensaje" in verdict.hints["contact_attempt"]
    assert "próximo intento" in verdict.hints["promised_follow_up"]


# --- contact_attempt: time AND outcome -------------------------------------------------------


def test_missed_call_note_needs_attempt_time_and_voicemail_status() -> None:
    base = "Pt's msg was about her copay. {attempt} Nothing clinical. Next try Mon 11 AM."
    lane = "missed_call_callback"
    assert "contact_attempt" in _missing(base.format(attempt="Rang back, left a VM."), lane)
    assert "contact_attempt" in _missing(base.format(attempt="Rang back 4:20p, no pickup."), lane)
    assert _missing(base.format(attempt="Rang back 4:20p, no pickup, left a VM."), lane) == ()


def test_mailbox_full_counts_only_with_what_was_done_instead() -> None:
    lane = "missed_call_callback"
    note = "Pt VM re: directions. Called 9:40 AM, mailbox full{extra}. No clinical Qs. Retry Fri."
    assert "contact_attempt" in _missing(note.format(extra=""), lane)
    assert _missing(note.format(extra=", texted clinic address instead"), lane) == ()


def test_the_patients_own_voicemail_is_not_an_attempt_outcome() -> None:
    note = "Pt left VM 8:05 AM re: parking. Called back, no answer. Nothing clinical. Retry 1 PM."
    assert "contact_attempt" in _missing(note, "missed_call_callback")


def test_no_show_time_is_not_the_attempt_time() -> None:
    note = (
        "No-show 7/8 2 PM. Reached pt, DOB verified, rebooked 7/15 2 PM. Nothing clinical."
        " Reminder 7/14."
    )
    assert _missing(note, "no_show_recovery") == ("contact_attempt",)


# --- promised_follow_up: what next AND when, or an explicit closure --------------------------


def test_will_follow_up_is_not_a_promise() -> None:
    note = "Pt asked re: prior auth. DOB verified. Checked payer portal, auth #P-4410 pending."
    for ending in (
        "Will f/u.",
        "Will call later.",
        "Will recheck this week.",
        "Will call if needed.",
    ):
        assert _missing(f"{note} No clinical questions. {ending}", "referral_status") == (
            "promised_follow_up",
        )


def test_next_step_with_a_day_is_a_promise() -> None:
    note = "Pt asked re: prior auth. DOB verified. Checked payer portal, auth #P-4410 pending."
    for ending in ("Will recheck Thu.", "Next check 5/22 10a.", "I'll call her tmrw AM."):
        assert _missing(f"{note} No clinical questions. {ending}", "referral_status") == ()


def test_explicit_closure_is_a_promise_but_a_booked_date_is_not() -> None:
    note = "Pt wants a sports physical. DOB verified. Booked 8/2 9:15 AM. Nothing clinical."
    assert _missing(note, "appointment_request") == ("promised_follow_up",)
    assert _missing(f"{note} No further action needed.", "appointment_request") == ()


def test_callback_done_is_not_a_closure() -> None:
    assert "promised_follow_up" in _missing("callback done re: bill", "missed_call_callback")


# --- escalation_status -----------------------------------------------------------------------


def test_symptom_mentioned_but_not_routed_lacks_escalation() -> None:
    note = (
        "Pt asked to move her 5/3 visit, says her back pain is worse. DOB verified. Moved to 5/6"
        " 10 AM. Nothing clinical. Done."
    )
    assert _missing(note, "reschedule") == ("escalation_status",)
    routed = note.replace("Nothing clinical.", "Pain question routed to RN pool 11:02 AM.")
    assert _missing(routed, "reschedule") == ()


def test_upset_patient_needs_the_complaint_routed() -> None:
    note = (
        "Pt irritated about being charged twice for 2/9 visit. DOB verified. Voided duplicate"
        " $85 charge. No clinical topics. Closed."
    )
    assert _missing(note, "billing_question") == ("escalation_status",)
    logged = note.replace("Closed.", "Complaint logged for practice manager 2/20. Closed.")
    assert _missing(logged, "billing_question") == ()


def test_provider_told_about_a_connection_problem_is_not_an_escalation() -> None:
    note = "Pt had no video in 3 PM VV 4/4; told provider, who phoned pt. DOB verified. Resolved."
    assert _missing(note, "telehealth_connection_problem") == ("escalation_status",)


# --- verified_details, action_taken, request -------------------------------------------------


def test_relative_dates_are_not_verified_details() -> None:
    note = "Pt asked when her visit is. Told her next Tues. No clinical Qs. Done."
    assert _missing(note, "appointment_time_question") == ("verified_details",)


def test_future_intention_is_not_an_action() -> None:
    note = "Pt requested her shot record. DOB verified. Will send. No clinical Qs. Nothing pending."
    assert _missing(note, "records_request") == ("action_taken",)


def test_bare_log_of_staff_action_lacks_the_request() -> None:
    note = "Rebooked to 9/9 8:30 AM. DOB verified. No clinical questions. Closed."
    assert _missing(note, "reschedule") == ("request",)


def test_missed_call_with_reason_not_stated_has_a_request() -> None:
    note = "VM, reason not stated. Returned call 10:10 AM, LVM. Nothing clinical. Next try 2 PM."
    assert _missing(note, "missed_call_callback") == ()


# --- Spanish ---------------------------------------------------------------------------------


def test_spanish_complete_note_is_actionable() -> None:
    note = (
        "La paciente pidió cambiar su cita del 4/10. Se verificó fecha de nacimiento. Se reagendó"
        " para el 4/17 a las 11:30 a. m. Sin preguntas clínicas. Asunto resuelto."
    )
    assert check_note(note, "reschedule").label == "actionable"


def test_spanish_voicemail_without_time_is_vague() -> None:
    note = (
        "Su recado era sobre la factura. Dejé mensaje de voz. Nada clínico. Vuelvo a llamar el 5/2."
    )
    assert _missing(note, "missed_call_callback") == ("contact_attempt",)


def test_spanish_later_is_not_a_promise() -> None:
    note = (
        "Se devolvió la llamada a las 3:15 p. m. por su recado sobre el portal; dejé mensaje de"
        " voz. Nada clínico. Se intentará más tarde."
    )
    assert _missing(note, "missed_call_callback") == ("promised_follow_up",)


def test_spanish_symptom_without_routing_lacks_escalation() -> None:
    note = (
        "El paciente quiere adelantar su cita porque tiene fiebre desde hace 5 días. Identidad"
        " confirmada. Se agendó el 6/3 a las 9 a. m. Listo."
    )
    assert _missing(note, "appointment_request") == ("escalation_status",)


# --- A practice's own note standard ----------------------------------------------------------


def test_required_override_replaces_the_lane_default() -> None:
    note = "Pt asked for a new card copy. Sent via portal 3/3."
    default = check_note(note, "insurance_document")
    custom = check_note(note, "insurance_document", required=("action_taken", "request"))
    assert default.label == "vague"
    assert custom.label == "actionable" and custom.missing == ()


def test_required_override_keeps_elements_order() -> None:
    verdict = check_note("ok", "cancel", required=("escalation_status", "contact_attempt"))
    assert verdict.missing == ("contact_attempt", "escalation_status")


def test_required_override_rejects_unknown_elements() -> None:
    with pytest.raises(ValueError, match="unknown element"):
        check_note("ok", "cancel", required=("tone",))


# --- Aggregate figures -----------------------------------------------------------------------


def _figures(rows: list[tuple[str, str, tuple[str, ...]]]) -> tuple[float, float]:
    """(label accuracy, vague recall) of the checker over (lane, text, expected missing)."""
    expected = ["vague" if missing else "actionable" for _, _, missing in rows]
    got = [check_note(text, lane).label for lane, text, _ in rows]
    accuracy = sum(e == g for e, g in zip(expected, got, strict=True)) / len(rows)
    vague = [g for e, g in zip(expected, got, strict=True) if e == "vague"]
    return accuracy, vague.count("vague") / len(vague)


def test_the_last_held_out_batch_keeps_its_figures() -> None:
    # nD was written last and kept out of every rule and training step (docs/NOTES.md:
    # label accuracy 0.904, vague recall 0.903 at first sight); this guards against regressions.
    with HELD_OUT.open(encoding="utf-8") as handle:
        data = [json.loads(line) for line in handle if line.strip()]
    accuracy, vague_recall = _figures([(r["lane"], r["text"], tuple(r["missing"])) for r in data])
    assert len(data) == 250
    assert accuracy >= 0.88
    assert vague_recall >= 0.88


def test_extra_notes_generalization() -> None:
    accuracy, vague_recall = _figures(list(EXTRA_NOTES))
    assert accuracy >= 0.9
    assert vague_recall >= 0.95


EXTRA_NOTES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "missed_call_callback",
        "Returned call 2:15 PM re: parking question, no answer, LVM w/ clinic #. Next try "
        "tmrw 10a. Nothing clinical in her msg.",
        (),
    ),
    (
        "missed_call_callback",
        "Returned call re: parking question, LVM. Next try tmrw 10a. Nothing clinical in msg.",
        ("contact_attempt",),
    ),
    (
        "missed_call_callback",
        "Pt msg re: forms. Called back 14:30 - no answer. Will try again tomorrow 9 AM. No "
        "clinical questions.",
        ("contact_attempt",),
    ),
    (
        "missed_call_callback",
        "VM from pt, reason not stated. Called 11:05 AM, mailbox full, sent SMS asking her to"
        " call us. No clinical content. Retry Thu AM.",
        (),
    ),
    (
        "missed_call_callback",
        "Pt called re: bill. Called back 3:40 PM, spoke w/ pt, explained balance. No clinical"
        " questions. Will f/u later if needed.",
        ("promised_follow_up",),
    ),
    (
        "missed_call_callback",
        "Pt left VM about a refill of her BP med. Called back 9:10 AM, LVM. Next attempt 1 PM"
        " today.",
        ("escalation_status",),
    ),
    (
        "missed_call_callback",
        "Pt left VM about refill of BP med - routed to RN pool 9:05 AM. Called back 9:10 AM, "
        "LVM that RN will call. Next attempt today 1 PM.",
        (),
    ),
    (
        "missed_call_callback",
        "Se devolvió la llamada a las 10:20 a. m.; dejé mensaje de voz. Su recado era sobre "
        "el horario. Sin preguntas clínicas. Vuelvo a llamar mañana a las 10.",
        (),
    ),
    (
        "missed_call_callback",
        "Llamé a la paciente, dejé mensaje. Se intentará otra vez más tarde.",
        ("request", "promised_follow_up", "contact_attempt", "escalation_status"),
    ),
    (
        "reschedule",
        "Pt needs to move 6/12 appt (work conflict). DOB verified. Moved to 6/19 at 3:30 PM "
        "w/ Dr. Reyes. No clinical questions. Nothing further.",
        (),
    ),
    (
        "reschedule",
        "Pt needs to move appt due to work. DOB verified. Moved to 6/19 3:30 PM. No clinical "
        "questions.",
        ("promised_follow_up",),
    ),
    (
        "reschedule",
        "Pt wants later time because of a bad migraine since yesterday. Verified DOB. Moved "
        "to 6/20 4 PM. Closed.",
        ("escalation_status",),
    ),
    (
        "appointment_request",
        "Handled.",
        (
            "request",
            "verified_details",
            "action_taken",
            "promised_follow_up",
            "escalation_status",
        ),
    ),
    (
        "appointment_time_question",
        "Called patient.",
        (
            "request",
            "verified_details",
            "action_taken",
            "promised_follow_up",
            "escalation_status",
        ),
    ),
    (
        "billing_question",
        "pt aware of balance",
        (
            "request",
            "verified_details",
            "action_taken",
            "promised_follow_up",
            "escalation_status",
        ),
    ),
    (
        "billing_question",
        "Pt disputes $120 copay from 2/14 visit. ID confirmed. Submitted review to billing "
        "(ticket #44871). Billing to call pt by Fri 3/7. No clinical issues raised.",
        (),
    ),
    (
        "billing_question",
        "Pt upset about $120 copay, says front desk was rude. ID confirmed. Submitted billing"
        " review #44871. Billing to call by 3/7. Nothing clinical.",
        ("escalation_status",),
    ),
    (
        "billing_question",
        "Pt upset about $120 copay and rude front desk. ID confirmed. Submitted billing "
        "review #44871; complaint logged to office manager 3/3. Billing to call by 3/7. "
        "Nothing clinical.",
        (),
    ),
    (
        "records_request",
        "Pt requested imaging records go to Summit Orthopedics. DOB verified; release signed "
        "4/2. Will send.",
        ("action_taken", "promised_follow_up", "escalation_status"),
    ),
    (
        "records_request",
        "Pt requested imaging records go to Summit Orthopedics. DOB verified; release signed "
        "4/2. Faxed 4/3, conf #2231. No clinical questions. Will confirm receipt w/ Summit "
        "Mon 4/7.",
        (),
    ),
    (
        "referral_status",
        "Pt called re: the referral. Told her it's in process. Will f/u.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "referral_status",
        "Pt asked about derm referral status. Identity verified. Auth #A-5512 approved by "
        "Aetna 5/6; gave pt the derm office number 555-0142. Nothing clinical. I'll check "
        "5/13 that she is booked.",
        (),
    ),
    (
        "form_reminder",
        "Intake packet incomplete for 7/2 10 AM visit. DOB verified. Resent packet link via "
        "SMS. No clinical questions. Will check completion this week.",
        ("promised_follow_up",),
    ),
    (
        "form_reminder",
        "Paciente pidió el formulario escolar de su hijo. Se verificó fecha de nacimiento; "
        "tutor en el expediente. Se envió el formulario por el portal. Nada clínico. Asunto "
        "resuelto.",
        (),
    ),
    (
        "telehealth_prep",
        "Pt asked how to join 5/20 2 PM video visit. DOB verified. Sent link + browser "
        "instructions by text. No clinical Qs. Done.",
        (),
    ),
    (
        "telehealth_connection_problem",
        "Pt couldn't get audio working for 11:00 visit. Walked pt through browser "
        "permissions, fixed. Resolved.",
        ("verified_details", "escalation_status"),
    ),
    (
        "telehealth_connection_problem",
        "Pt dropped from 9:30 AM video visit 3/11, also mentioned chest tightness while we "
        "were on the phone. DOB verified. Reconnected pt to Dr. Lin. Done.",
        ("escalation_status",),
    ),
    (
        "no_show_recovery",
        "Pt missed 8/14 9 AM appt. Called 8/14 11:30 AM, LVM w/ rebooking info. Will try again.",
        ("action_taken", "promised_follow_up", "escalation_status"),
    ),
    (
        "no_show_recovery",
        "No-show 8/14 9 AM w/ Dr. Park. Called 11:30 AM, reached pt, DOB verified; forgot "
        "appt. Rebooked 8/21 9 AM, fee waived once. No clinical concerns. Reminder text 8/20.",
        (),
    ),
    (
        "no_show_recovery",
        "Pt no-showed 8/14 9 AM. Reached pt, DOB verified, rebooked 8/21 9 AM. Nothing "
        "clinical. Reminder 8/20.",
        ("contact_attempt",),
    ),
    (
        "no_show_recovery",
        "Paciente no se presentó a su cita del 9/3 a las 8 a. m. Llamé a las 10:15 a. m. y "
        "contestó; se verificó fecha de nacimiento. Se reagendó para el 9/10 a las 8 a. m. "
        "Sin preguntas clínicas. Recordatorio el 9/9.",
        (),
    ),
    (
        "other_admin",
        "Pt wants to update address. Updated in chart. Done.",
        ("verified_details", "escalation_status"),
    ),
    (
        "other_admin",
        "Pt asked to update her mailing address. DOB + phone confirmed. Address updated in "
        "chart 6/2. No clinical topics. No further action needed.",
        (),
    ),
    (
        "insurance_document",
        "Pt asked if we take Molina. Told yes. Will call back if needed.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "post_visit_next_steps",
        "Pt asked where to get the ultrasound Dr. Cruz ordered. Identity confirmed. Gave "
        "Valley Imaging address + phone 555-0177; order faxed to Valley 7/9. Pt also asked if"
        " her cough means she should stay home - sent to RN triage 10:40 AM. RN to call her "
        "today by 2 PM.",
        (),
    ),
    (
        "cancel",
        "La paciente canceló la cita del 3/28 a las 9 a. m. porque ya se siente mejor. "
        "Identidad confirmada. Cita cancelada. Nada clínico. Sin pendientes.",
        (),
    ),
    (
        "cancel",
        "Cita cancelada a petición de la paciente. Se le avisará después.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "appointment_request",
        "Pt requested new pt visit, prefers Tues afternoons. DOB verified, BCBS active. "
        "Booked 10/14 1:30 PM w/ Dr. Ames. Nothing clinical. Will send intake packet tmrw.",
        (),
    ),
    (
        "missed_call_callback",
        "Called pt back at 4:50 PM re: her question about directions; pt answered and got "
        "directions. No clinical questions. No further attempts needed.",
        (),
    ),
    (
        "appointment_time_question",
        "Pt asked if she should still come tomorrow since she has a fever of 102. DOB "
        "verified. Confirmed appt 4/9 10 AM. Told her we would let her know.",
        ("promised_follow_up", "escalation_status"),
    ),
    (
        "appointment_time_question",
        "Spoke to pt re: appt time, gave 5/14 10:40 AM. Verified DOB. No clinical q's. "
        "Nothing else needed.",
        (),
    ),
    (
        "missed_call_callback",
        "LVM 3:10p re: pt's referral question; next attempt Mon 5/12 AM. Nothing clinical.",
        (),
    ),
    (
        "other_admin",
        "Pt called asking for a refill of lisinopril. DOB verified. Told pt I'd pass it "
        "along. Will call back tmrw.",
        ("escalation_status",),
    ),
    (
        "other_admin",
        "Pt asked for refill of lisinopril - sent to Dr. Ames' inbox 10:15 AM for review. DOB"
        " verified. Pt aware refills take 48 h; I'll confirm w/ pharmacy Wed.",
        (),
    ),
    (
        "reschedule",
        "Pt frustrated by 3rd reschedule, asked for manager. DOB verified. Moved to 7/1 8 AM."
        " Complaint sent to practice manager 6/24. No clinical questions. Manager to call pt "
        "by 6/26.",
        (),
    ),
    (
        "reschedule",
        "Pt frustrated by 3rd reschedule. DOB verified. Moved to 7/1 8 AM. Apologized. No "
        "clinical questions. Closed.",
        ("escalation_status",),
    ),
    (
        "form_reminder",
        "Pt needs FMLA form completed. DOB verified; form received 6/2, with Dr. Kim for "
        "signature. No clinical questions. Pt will pick up.",
        ("promised_follow_up",),
    ),
    (
        "insurance_document",
        "Insurance card updated.",
        ("request", "verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "billing_question",
        "Pt asked re: copay for upcoming visit. Told $30 per Aetna plan. Verified DOB. No "
        "clinical topics. Done.",
        (),
    ),
    (
        "billing_question",
        "Pt called about bill. Explained. Will f/u.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "no_show_recovery",
        "Called pt 10:15 AM re: missed 9 AM appt today, no answer, mailbox full. Will try again.",
        (
            "verified_details",
            "action_taken",
            "promised_follow_up",
            "contact_attempt",
            "escalation_status",
        ),
    ),
    (
        "no_show_recovery",
        "Outreach for 3/4 2 PM no-show: called 3/4 4:05 PM, # disconnected, sent letter + "
        "portal msg w/ rebooking link 3/4. Not reached. No clinical info. Next attempt 3/6 10"
        " AM.",
        (),
    ),
    (
        "telehealth_connection_problem",
        "Pt says link not working for tmrw's VV. Resent link by text. Pt confirmed it opens "
        "now. No clinical concerns. Done.",
        ("verified_details",),
    ),
    (
        "telehealth_connection_problem",
        "Pt can't hear provider in 2 PM VV 5/8. Walked pt through audio settings, issue fixed"
        " by 2:06. DOB verified. No clinical questions raised with me. Resolved.",
        (),
    ),
    (
        "telehealth_connection_problem",
        "VV dropped at 10:12 AM 5/8; Dr. Lin called pt by phone to finish. DOB verified. Resolved.",
        ("escalation_status",),
    ),
    (
        "records_request",
        "Records request: pt wants her 2024 labs sent to new PCP Dr. Gomez at Eastside Family"
        " Health (fax 555-0199). Release signed 5/2. Faxed 5/3. No clinical questions. Will "
        "confirm receipt 5/6.",
        (),
    ),
    (
        "records_request",
        "Records sent.",
        ("request", "verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "records_request",
        "Pt wants copy of immunization record for school. DOB verified. Posted to portal. "
        "Nothing clinical.",
        ("promised_follow_up",),
    ),
    (
        "records_request",
        "Pt wants copy of immunization record for school. DOB verified. Posted to portal 8/2."
        " Nothing clinical. No further action.",
        (),
    ),
    (
        "reschedule",
        "La paciente llamó para cambiar su cita del jueves. Se le dio nueva fecha. Todo bien.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "telehealth_prep",
        "El paciente pidió su enlace para la videoconsulta del 6/5 a las 3 p. m. Identidad "
        "confirmada con fecha de nacimiento. Se reenvió el enlace por texto. Sin preguntas "
        "clínicas. Listo.",
        (),
    ),
    (
        "missed_call_callback",
        "Se llamó al paciente a las 9:30 a. m. por su recado sobre la factura; no contestó, "
        "buzón no configurado, se le mandó SMS. Nada clínico. Próximo intento el lunes a las "
        "10.",
        (),
    ),
    (
        "appointment_request",
        "Paciente con dolor de pecho desde ayer, quería cita. Se agendó para el 6/7 a las 9 "
        "a. m. Identidad confirmada. Sin pendientes.",
        ("escalation_status",),
    ),
    (
        "appointment_request",
        "Paciente con dolor de espalda pidió cita. Se pasó a enfermería a las 11:20 a. m.; se"
        " agendó 6/7 a las 9 a. m. Identidad confirmada. La enfermera llamará hoy antes de "
        "las 3 p. m.",
        (),
    ),
    (
        "other_admin",
        "Pt aware.",
        (
            "request",
            "verified_details",
            "action_taken",
            "promised_follow_up",
            "escalation_status",
        ),
    ),
    (
        "reschedule",
        "Pt informed of new time 5/3 9 AM. DOB verified. No clinical questions. Done.",
        ("request",),
    ),
    (
        "reschedule",
        "Rescheduled pt to 5/3 9 AM. DOB verified. Nothing clinical. Closed.",
        ("request",),
    ),
    (
        "missed_call_callback",
        "Returned call at 1:15 PM. Pt asked about parking; reached, gave directions. Nothing "
        "clinical. No more calls needed.",
        (),
    ),
    (
        "missed_call_callback",
        "1:15 PM callback - no answer, no VM set up. Reason for call not stated. Nothing "
        "clinical. Try again tomorrow.",
        ("contact_attempt",),
    ),
    (
        "appointment_time_question",
        "Pt texted re: fasting for labs 6/2 7:30 AM. Identity confirmed; told her 8 h fast, "
        "water ok. Pt also asked whether to hold her metformin - routed to RN pool 9:02 AM. "
        "I'll check RN replied by 2 PM today.",
        (),
    ),
    (
        "appointment_time_question",
        "Pt texted re: fasting for labs 6/2 7:30 AM. Identity confirmed; told her 8 h fast, "
        "water ok. Pt also asked whether to hold her metformin. Done.",
        ("escalation_status",),
    ),
    (
        "cancel",
        "Pt cx'd 7/22 1:45 PM physical - moving out of state. Name/DOB confirmed. Appt "
        "cancelled, offered records transfer, declined. No clinical concerns. Nothing further"
        " needed.",
        (),
    ),
    (
        "cancel",
        "Pt cx'd 7/22 physical - moving out of state. Appt cancelled. No clinical concerns.",
        ("verified_details", "promised_follow_up"),
    ),
    (
        "missed_call_callback",
        "Cb to pt @ 11:50a re her msg about a form - straight to VM, left callback #. No "
        "clinical content. 2nd attempt tmrw before noon.",
        (),
    ),
    (
        "missed_call_callback",
        "Cb to pt @ 11:50a re her msg about a form - straight to VM. No clinical content. 2nd"
        " attempt tmrw before noon.",
        ("contact_attempt",),
    ),
    (
        "missed_call_callback",
        "Returned call re: appointment question. Reached pt at 3:05 PM, answered question. Pt"
        " also said she has been coughing up blood - told her I'd let someone know.",
        ("promised_follow_up", "escalation_status"),
    ),
    (
        "post_visit_next_steps",
        "Pt wanted to know if MRI from 4/28 is read yet. DOB verified. Report finalized 4/30,"
        " pending Dr. Shah review; told pt to expect call from clinic by Fri 5/3. Results not"
        " discussed. No clinical questions asked of me. Will verify Dr. Shah called on 5/3.",
        (),
    ),
    (
        "post_visit_next_steps",
        "pt wanted MRI results, told her dr will call",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "form_reminder",
        "Outreach re: incomplete pre-visit questionnaire for 9/14 10:20 AM appt. Reached pt, "
        "DOB verified, she finished it on the phone with me. No clinical Qs. Item closed.",
        (),
    ),
    (
        "insurance_document",
        "Pt emailed new Medicaid card. Uploaded to chart. Will verify eligibility.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "telehealth_prep",
        "Pt asked if she needs an app for Thursday's video visit. Told her browser works. No "
        "clinical concerns. Done.",
        ("verified_details",),
    ),
    (
        "no_show_recovery",
        "Pt missed 10/2 3:30 PM visit. Texted rebooking link 10/2 4:00 PM; no reply yet. "
        "Nothing clinical known. Will call 10/3 at 10 AM if no booking.",
        (),
    ),
    (
        "no_show_recovery",
        "Pt missed 10/2 3:30 PM visit, $50 no-show fee applied. Pt upset about the fee when "
        "reached at 4 PM; told her policy. Rebooked 10/9 3:30 PM. Nothing clinical. Reminder "
        "10/8.",
        ("escalation_status",),
    ),
    (
        "billing_question",
        "Pt needs itemized statement for HSA. Acct #77120 verified w/ DOB. Itemized stmt "
        "mailed 3/12. No clinical issues. Pt to call if not received by 3/22.",
        (),
    ),
    (
        "records_request",
        "Sent pt's records to Mercy Ortho per request. Release on file. No clinical questions.",
        ("promised_follow_up",),
    ),
    (
        "referral_status",
        "Pt asked about PT referral. Checked - faxed to Core Physical Therapy 2/2, conf "
        "#8831. Informed pt. No clinical issues.",
        ("promised_follow_up",),
    ),
    (
        "other_admin",
        "Paciente pidió cambiar su farmacia a CVS de la calle Main. Se confirmó identidad. "
        "Farmacia actualizada en el expediente. No pidió medicamentos; nada clínico. Sin "
        "pendientes.",
        (),
    ),
    (
        "other_admin",
        "Paciente pidió su carta para el trabajo. Se la mandé por el portal.",
        ("verified_details", "promised_follow_up", "escalation_status"),
    ),
    (
        "appointment_request",
        "Pt wants appt asap for ankle pain after a fall last night, can't walk on it. DOB "
        "verified. Offered 6/4 8 AM, booked. Closed.",
        ("escalation_status",),
    ),
    (
        "appointment_request",
        "Pt wants appt for ankle pain after a fall last night. DOB verified. Triage question "
        "sent to RN pool 8:12 AM; booked 6/4 8 AM per RN. RN to call pt this morning.",
        (),
    ),
    (
        "telehealth_connection_problem",
        "Pt stuck in waiting room for 2 PM VV 8/8, provider not notified. DOB confirmed. "
        "Messaged Dr. Ortiz's MA at 2:07; provider joined 2:10. No clinical matters raised. "
        "Resolved.",
        (),
    ),
    (
        "reschedule",
        "Pt asked to switch 5/15 2 PM in-person to video. DOB verified. Changed to VV same "
        "time, link sent. Nothing clinical. Will remind pt the day before.",
        ("promised_follow_up",),
    ),
    (
        "missed_call_callback",
        "Pt called for results. Called back 1:30 PM, spoke to pt, routed results question to "
        "RN 1:35 PM. RN will call pt today by 4 PM. Closing.",
        (),
    ),
)


# --- Hardening rounds 1 and 2: one regression test per family ------------------------------


def test_stomach_upset_is_a_symptom_not_an_upset_patient() -> None:
    note = (
        "Pt asked if she should stop amoxicillin due to upset stomach. DOB verified. "
        "Sent to RN 1:10 PM. Will call pt tomorrow 9 AM."
    )
    assert _missing(note, "other_admin") == ()


def test_rn_message_sent_counts_as_routing() -> None:
    note = (
        "Pt asked whether to keep 5/9 9 AM appt with a sore throat. DOB verified. Appt held; "
        "RN task created 8:02 AM. Callback to pt by 11 AM."
    )
    assert _missing(note, "appointment_time_question") == ()


def test_routing_a_result_does_not_cover_a_new_symptom() -> None:
    note = (
        "Pt asked if the 3/2 x-ray is read and said her ankle is swelling more. DOB verified. "
        "X-ray report sent to Dr. Olsen for review. Will call pt 3/5 AM."
    )
    assert _missing(note, "post_visit_next_steps") == ("escalation_status",)


def test_second_attempt_with_a_day_is_a_follow_up() -> None:
    note = (
        "Intake incomplete for 9/1 visit; consent still missing. Resent intake link. "
        "No clinical questions. Second try Friday morning."
    )
    assert _missing(note, "form_reminder") == ()


@pytest.mark.parametrize(
    "note",
    [
        "Pt running late for 2:40 PM appt 4/4. DOB verified. Front desk notified. Nothing "
        "clinical. Done.",
        "Pt req'd copy of 1/9 visit summary. DOB verified. Uploaded to portal. No clin issues. "
        "Closed.",
    ],
)
def test_patient_situations_and_abbreviated_requests_name_the_request(note: str) -> None:
    lane = "appointment_time_question" if "late" in note else "records_request"
    assert _missing(note, lane) == ()


def test_spanish_passive_plural_and_moved_are_actions() -> None:
    note = (
        "Paciente pidió sus análisis del 2/2. Identidad verificada. Se enviaron por correo. "
        "Sin preguntas clínicas. Cerrado."
    )
    assert _missing(note, "records_request") == ()
    note = (
        "Paciente pidió mover su cita del 6/1 a las 9. Identidad verificada. Se movió al 6/8 a "
        "las 9. Nada clínico. Cerrado."
    )
    assert _missing(note, "reschedule") == ()


def test_no_show_abbreviation_and_rebook_text_with_time() -> None:
    note = (
        "NS for 3/3 10:30 AM f/u. Sent rebook text 3/3 11 AM. DOB on file checked. "
        "No clinical info. Retry 3/4 2 PM."
    )
    assert _missing(note, "no_show_recovery") == ()


def test_a_text_time_is_not_the_missed_visit_detail() -> None:
    note = "Pt missed 2/8 visit. Texted rebook link 2/8 3 PM. Nothing clinical. Retry 2/9 AM."
    assert "verified_details" in _missing(note, "no_show_recovery")


def test_left_at_the_desk_and_switched_to_phone_are_actions() -> None:
    note = (
        "Pt asked about sports form. Guardian verified; form signed 8/1. Left at front desk. "
        "No clinical questions. Closed."
    )
    assert _missing(note, "form_reminder") == ()
    note = (
        "Pt audio failed in 5/5 4 PM VV. DOB verified. Provider switched to phone. No clinical "
        "concerns. Resolved."
    )
    assert _missing(note, "telehealth_connection_problem") == ()


def test_third_party_voicemail_with_a_red_flag_still_needs_routing() -> None:
    note = (
        "Pt's daughter left VM saying pt is confused since this AM. Called back 1:05 PM, no "
        "answer, LVM. Retry 2 PM."
    )
    assert _missing(note, "missed_call_callback") == ("escalation_status",)


# --- Round 3: Spanish promises, promised times vs attempt times, wishes vs steps -----------


def test_a_promised_call_time_is_not_the_attempt_time() -> None:
    note = (
        "La paciente llamó por su factura. Le regresé la llamada, no contestó y dejé recado. "
        "Nada clínico. Vuelvo a llamar el viernes a las 10."
    )
    assert _missing(note, "missed_call_callback") == ("contact_attempt",)
    note = "Pt VM re: forms. Text sent. Nothing clinical. Next attempt Tue 11 AM."
    assert _missing(note, "missed_call_callback") == ("contact_attempt",)


def test_no_contesto_is_not_a_reached_patient() -> None:
    note = (
        "Llamé a las 4:10 p. m. por su duda del copago; no contestó. Nada clínico. Mañana 9 a. m."
    )
    assert "contact_attempt" in _missing(note, "missed_call_callback")


def test_spanish_present_tense_promises_and_retry_phrases_count() -> None:
    note = (
        "La paciente preguntó por su referido. Identidad confirmada; referido enviado 3/3 "
        "(#R-2210), se lo confirmé. Sin temas clínicos. Llamo a la clínica el 3/8."
    )
    assert _missing(note, "referral_status") == ()
    note = (
        "Recado por su pregunta sobre la cita. Llamé a las 1:20 p. m.; no contestó, dejé mensaje "
        "de voz. Nada clínico. Intento de nuevo el jueves a las 10."
    )
    assert _missing(note, "missed_call_callback") == ()


def test_next_step_with_a_qualifier_counts() -> None:
    note = (
        "Pt called 9 AM about a refill; request routed to RN pool 9:20 AM. Called back 9:25 AM, "
        "no answer, VM left. Next scheduling attempt 1 PM today."
    )
    assert _missing(note, "missed_call_callback") == ()


def test_a_date_before_a_test_is_not_a_follow_up() -> None:
    note = (
        "Pt asked about fasting for 6/2 bloodwork. DOB verified; read prep sheet. No med questions."
    )
    assert _missing(note, "appointment_time_question") == ("promised_follow_up",)


def test_new_slot_pinged_marked_and_opened_review_are_actions() -> None:
    note = (
        "La paciente pidió otra fecha. Fecha de nacimiento verificada. Nueva cita el 4/4 a las "
        "11 a. m. Sin preguntas clínicas. Listo."
    )
    assert _missing(note, "reschedule") == ()
    note = (
        "Pt stuck on a black screen at 2/2 1 PM VV. DOB verified. Pinged Dr. Ruiz, who called "
        "at 1:05. Nothing clinical raised. Resolved."
    )
    assert _missing(note, "telehealth_connection_problem") == ()
    note = (
        "Pt disputed $90 charge from 1/9. DOB verified; opened billing review case #BR-3301. "
        "No clinical questions. I'll check 1/20."
    )
    assert _missing(note, "billing_question") == ()


def test_the_patients_wish_is_not_a_step_taken() -> None:
    note = (
        "Pt wants her x-rays sent to Lake Ortho. Release signed 5/5. Nothing clinical. "
        "Will fax 5/6."
    )
    assert _missing(note, "records_request") == ("action_taken",)


def test_dropping_off_a_form_names_the_request() -> None:
    note = (
        "Dad dropping off camp form (guardian on file). Form placed with Dr. Lee 6/1. No clinical "
        "questions. I'll call dad 6/4."
    )
    assert "request" not in _missing(note, "form_reminder")


# --- The learned layer decides presence; the rules keep their veto ----------------------------


def test_an_unrouted_symptom_is_never_passed_by_the_learned_layer() -> None:
    note = (
        "Pt asked to move her 5/3 visit, says her back pain is worse. DOB verified. Moved to 5/6"
        " 10 AM. Nothing clinical. Done."
    )
    assert "escalation_status" in check_note(note, "reschedule").missing


def test_an_element_in_unfamiliar_wording_is_found_by_the_learned_layer() -> None:
    note = (
        "Caller: Denise Okafor. Reason: returning our call about lab appt. Outcome: called back"
        " 1015, reached pt, lab appt info given. Next: reached, no further attempt needed."
        " No clinical concerns."
    )
    verdict = check_note(note, "missed_call_callback")
    assert verdict.label == "actionable"


def test_lvm_alone_is_refused() -> None:
    verdict = check_note("LVM", "missed_call_callback")
    assert verdict.label == "vague"
    assert is_refused(verdict)
