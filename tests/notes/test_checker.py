"""Behaviour of notes.checker, without Django or a database.

The hand-written cases use wording that is not in the dev sample. EXTRA_NOTES
(tests/fixtures/notes) is a self-written generalization set, English and Spanish.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes.checker import ELEMENTS, NoteVerdict, check_note, is_refused, required_elements

HELD_OUT = Path(__file__).resolve().parents[2] / "corpus/notes/nD.jsonl"
# A self-written generalization set, English and Spanish, with many borderline notes.
EXTRA_NOTES = Path(__file__).resolve().parents[1] / "fixtures/notes/extra_notes.jsonl"


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
    rows = [
        (row["lane"], row["text"], tuple(row["missing"]))
        for row in map(json.loads, EXTRA_NOTES.read_text(encoding="utf-8").splitlines())
    ]
    assert len(rows) == 93
    accuracy, vague_recall = _figures(rows)
    assert accuracy >= 0.9
    assert vague_recall >= 0.95


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
