"""Rule-level tests of escalation.triage, written in wording that is not in the dev sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escalation.triage import BOUNDARIES, LANES, TriageResult, fold, redflags, triage
from escalation.triage.measures import measured_flags
from escalation.triage.text import Message
from tests.escalation.triage_helpers import AT_LEAST_CLINICAL, NEVER_URGENT, boundary_of


def test_public_constants_list_every_label_in_precedence_order() -> None:
    assert BOUNDARIES == ("urgent", "clinical", "complaint", "identity_unclear", "administrative")
    assert len(LANES) == 15 and "other_admin" in LANES


def test_folding_keeps_length_and_strips_accents() -> None:
    assert fold("Mañana TENGO Cita") == "manana tengo cita"
    assert len(fold("¿Qué pasó?")) == len("¿Qué pasó?")


# --- R2: urgency is about the present, whatever the workflow wrapper -------------------


@pytest.mark.parametrize(
    "text",
    [
        "can we push my appt to friday? some chest pressure since this morning, prob nothing",
        "necesito cambiar mi cita pq tengo un dolor de pecho muy fuerte desde anoche",
    ],
)
def test_chest_pain_inside_a_reschedule_is_urgent(text: str) -> None:
    result = triage(text)
    assert (result.lane, result.boundary) == ("reschedule", "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "my husband's words are all jumbled and one side of his face is drooping",
        "mi esposo no puede hablar bien y tiene la boca chueca desde hace rato",
    ],
)
def test_stroke_signs_reported_by_a_spouse_are_urgent_not_identity(text: str) -> None:
    assert boundary_of(text) == "urgent"


def test_video_link_failure_with_blue_lips_is_urgent() -> None:
    result = triage("the video link won't load and my lips are turning blue")
    assert (result.lane, result.boundary) == ("telehealth_connection_problem", "urgent")


def test_fever_in_a_five_week_old_is_urgent_in_spanish() -> None:
    assert boundary_of("mi bebe de 5 semanas tiene calentura, que hago") == "urgent"


def test_heavy_bleeding_after_a_procedure_is_urgent() -> None:
    assert (
        boundary_of("estoy sangrando mucho despues de la biopsia, ya empape dos gasas") == "urgent"
    )


# --- Thresholds read from numbers, statements read by sound -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "la nena tiene 7 semanas y el termometro marca 38.3, no se si esperar a la cita",
        "baby is 10 days old, rectal temp 100.8 tonight. do we still come Thursday?",
        "3 days after my hernia repair, temp 101.6 and the pain is 8 out of 10",
        "knee replacement last week, pain is a 9 de 10 y 39.1 de temperatura",
    ],
)
def test_a_reading_over_the_threshold_is_urgent_however_it_is_worded(text: str) -> None:
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my 2 month old is due for shots, can we do 10:30 instead of 9?",
        "after my knee surgery the pain is 8/10 but no fever at all, can I get a refill",
        "mi hija tiene 6 meses y 38.5 de calentura, la puedo llevar hoy?",
        "2 weeks ago my son had 101.5 after his ear tubes, pain 7/10, all gone now",
        "the baby is 5 weeks old, temp 99.1, just fussy",
    ],
)
def test_a_reading_below_the_threshold_negated_or_over_raises_no_urgent_measured_flag(
    text: str,
) -> None:
    message = Message(text, fold(text))
    urgent = " ".join(redflags.judge(message).urgent)
    assert not any(label in urgent for label, *_ in measured_flags(message))


def test_a_reading_is_not_negated_by_a_not_about_something_else() -> None:
    text = "day 4 post op, temp 102.2 and pain 9/10, not helped by the pills they gave me"
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    ["ya no kiero bibir, soi una karga pa todos", "kiero morirme ya no aguanto", "me kiero matar"],
)
def test_self_harm_statements_spelled_as_they_sound_are_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"


def test_inability_is_not_negation_and_because_ends_a_negation() -> None:
    text = "no me puedo acostar porque me falta el aire, duermo sentada. me dan cita?"
    assert boundary_of(text) == "urgent"


# --- R3: negation covers only what it names; history is set aside -------------------


@pytest.mark.parametrize(
    "text",
    [
        "not suicidal, but my chest has been hurting bad for the last hour",
        "no pienso hacerme daño pero me duele el pecho fuerte ahorita",
    ],
)
def test_negation_covers_only_what_it_names(text: str) -> None:
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "no chest pain or shortness of breath, just need my lisinopril refilled before Monday",
        "sin dolor de pecho ni nada, solo necesito que me resurtan la receta de la presion",
    ],
)
def test_refill_with_a_negated_red_flag_is_clinical_not_urgent(text: str) -> None:
    result = triage(text)
    assert result.boundary == "clinical"
    assert any("negated" in reason for reason in result.reasons)


def test_negation_inside_the_phrase_is_recognised() -> None:
    text = "my throat is not swollen or anything, where's the link for my video visit tomorrow?"
    assert boundary_of(text) == "administrative"


def test_evaluated_past_event_with_current_wellness_stays_administrative() -> None:
    text = "I had a stroke back in 2018, fully recovered, just need my records sent to neurology"
    result = triage(text)
    assert (result.lane, result.boundary) == ("records_request", "administrative")


# --- R4: slang self-harm is urgent, idioms are not -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ngl kms if this insurance thing isnt fixed",
        "going to unalive myself fr",
        "ya no quiero vivir, perdon por escribir aqui",
        "bro i swear im gonna end it tonight",
    ],
)
def test_slang_or_joking_self_harm_is_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "this hold music is killing me lol, can I get a copy of my shot record",
        "dying to know if my referral to ortho went through",
        "me muero de ganas de saber si ya llego mi referencia",
    ],
)
def test_idioms_about_dying_are_not_self_harm(text: str) -> None:
    assert boundary_of(text) == "administrative"


# --- R5 / R6: passing mentions versus attendance questions ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "can we push my appt to next week? I have a stomach bug",
        "cancelar mi cita del martes porfa, tengo gripa",
    ],
)
def test_illness_given_only_as_the_reason_stays_administrative(text: str) -> None:
    assert boundary_of(text) == "administrative"


@pytest.mark.parametrize(
    "text",
    [
        "i need 2 reschedule, been throwing up all night and cant keep anything down",
        "quiero cambiar mi cita, tengo calentura desde hace una semana y no se me baja",
    ],
)
def test_severe_or_prolonged_illness_behind_a_request_is_clinical(text: str) -> None:
    assert boundary_of(text) in AT_LEAST_CLINICAL


@pytest.mark.parametrize(
    "text",
    [
        "i have covid, should i still come in for my physical on tuesday?",
        "tengo cita el lunes pero me siento muy mal con diarrea, voy o me quedo en casa?",
    ],
)
def test_should_i_still_come_because_of_illness_is_clinical(text: str) -> None:
    result = triage(text)
    assert (result.lane, result.boundary) == ("appointment_time_question", "clinical")


# --- R8 - R11: medication, results, prep, determinations ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "need refil on my zoloft pls",
        "se me olvido tomar la pastilla de la presion anoche, me tomo dos hoy?",
    ],
)
def test_any_medication_request_is_clinical(text: str) -> None:
    result = triage(text)
    assert (result.lane, result.boundary) == ("other_admin", "clinical")


def test_changing_the_preferred_pharmacy_alone_is_administrative() -> None:
    assert boundary_of("update my pharmacy to the walgreens on 5th st please") == "administrative"


def test_results_status_is_administrative_but_meaning_is_clinical() -> None:
    status = triage("ya salieron mis resultados de sangre?")
    meaning = triage("my A1c came back 8.2, what should i do")
    assert (status.lane, status.boundary) == ("post_visit_next_steps", "administrative")
    assert (meaning.lane, meaning.boundary) == ("post_visit_next_steps", "clinical")


def test_returning_the_nurses_call_about_results_is_clinical() -> None:
    result = triage("le devuelvo la llamada a la enfermera sobre mis analisis")
    assert (result.lane, result.boundary) == ("missed_call_callback", "clinical")


def test_standard_fasting_is_administrative_but_insulin_timing_is_clinical() -> None:
    assert boundary_of("do I need to fast for my cholesterol test tomorrow?") in NEVER_URGENT
    assert boundary_of("colonoscopy prep: I'm on insulin, do I take it the day before?") in (
        AT_LEAST_CLINICAL
    )


def test_work_note_is_clinical_but_proof_of_attendance_is_administrative() -> None:
    determination = "need a note for work saying I should be off until my back heals"
    attendance = "can I get a note showing I was seen today for my employer?"
    assert boundary_of(determination) == "clinical"
    assert boundary_of(attendance) == "administrative"


# --- R12 / R13: complaints ------------------------------------------------------------


def test_complaint_with_an_admin_request_is_complaint() -> None:
    result = triage("me cobraron dos veces la misma consulta, quiero mi reembolso")
    assert (result.lane, result.boundary) == ("billing_question", "complaint")


def test_complaint_about_an_unfilled_refill_is_clinical() -> None:
    assert boundary_of("this is so frustrating, third time asking for my inhaler refill!!") == (
        "clinical"
    )


def test_mild_annoyance_is_not_a_complaint() -> None:
    assert boundary_of("ugh sorry to bug you again, when is my follow up?") == "administrative"


# --- R14 - R16: identity ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "My wife wants to know if her mammogram results are back",
        "soy el esposo de Maria Lopez, ella quiere cancelar su cita de mañana",
        "my 19 year old daughter needs her appointment moved, she's at college",
    ],
)
def test_third_party_acting_for_an_adult_is_identity_unclear(text: str) -> None:
    assert boundary_of(text) == "identity_unclear"


@pytest.mark.parametrize(
    "text, boundary",
    [
        (
            "my son (9) needs a sports physical before soccer starts, any openings this week?",
            "administrative",
        ),
        (
            "my 7 year old has had an earache since yesterday, do we bring her in or wait?",
            "clinical",
        ),
        ("mi hija de 6 años necesita su cartilla de vacunacion para la escuela", "administrative"),
    ],
)
def test_parent_of_a_minor_is_labeled_by_content(text: str, boundary: str) -> None:
    assert boundary_of(text) == boundary


def test_parent_asking_about_a_teens_confidential_visit_is_identity_unclear() -> None:
    text = "my 17 yo went to see the dr about birth control, what did they prescribe her?"
    assert boundary_of(text) == "identity_unclear"


@pytest.mark.parametrize(
    "text",
    [
        "these texts about a colonoscopy aren't for me, I think you have the wrong number",
        "me llegan recordatorios para otra persona, numero equivocado",
    ],
)
def test_wrong_recipient_is_identity_unclear(text: str) -> None:
    result = triage(text)
    assert (result.lane, result.boundary) == ("other_admin", "identity_unclear")


def test_third_party_with_a_medication_question_is_clinical() -> None:
    assert boundary_of("my husband needs his cholesterol meds refilled") == "clinical"


def test_accompanying_relative_does_not_make_identity_unclear() -> None:
    text = "my husband is driving me so I need an afternoon slot, can you reschedule me?"
    assert boundary_of(text) == "administrative"


# --- Reasons ----------------------------------------------------------------------------


def test_reasons_name_the_trigger_and_the_lane() -> None:
    result = triage("hey can I move my appt? my chest feels tight since lunch")
    assert isinstance(result, TriageResult)
    urgent = [reason for reason in result.reasons if reason.startswith("urgent")]
    assert any("chest feels tight" in reason for reason in urgent)
    assert any(reason.startswith("lane reschedule") for reason in result.reasons)


@pytest.mark.parametrize("text", ["", "ok", "gracias!!", "👍"])
def test_every_result_has_a_boundary_and_lane_reason(text: str) -> None:
    result = triage(text)
    assert result.lane in LANES and result.boundary in BOUNDARIES
    assert any(reason.startswith("lane ") for reason in result.reasons)
    assert len(result.reasons) >= 2


# --- Regression guard on batches the shipped model never saw -------------------------
# cH and cI (corpus/messages) were written last and kept out of every rule and training
# step (bench/train_triage.py --holdout cH --holdout cI); docs/TRIAGE.md has their figures.

HELD_OUT = [Path(__file__).resolve().parents[2] / f"corpus/messages/c{b}.jsonl" for b in "HI"]


def test_held_out_batches_keep_their_safety_figures() -> None:
    rows = [
        json.loads(line)
        for path in HELD_OUT
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    results = [(row, triage(row["text"])) for row in rows]
    urgent = [got.boundary == "urgent" for row, got in results if row["boundary"] == "urgent"]
    admin = [got.boundary for row, got in results if row["boundary"] == "administrative"]
    accuracy = sum(row["boundary"] == got.boundary for row, got in results) / len(results)
    assert len(rows) == 600
    assert sum(urgent) / len(urgent) >= 0.94
    assert admin.count("urgent") / len(admin) <= 0.02
    assert accuracy >= 0.88


# cJ to cQ: scored at first sight, then the design changed for their misses (numbers read
# as thresholds, statements matched by sound, inability is not negation, onsets, negation in
# the direction it is written, quantities in words, statements as two-part frames, the R18
# lean); cP and cQ were never trained on. Every emergency in them must stay urgent.
LATER = [Path(__file__).resolve().parents[2] / f"corpus/messages/c{b}.jsonl" for b in "JKLMNOPQ"]


def test_every_emergency_of_the_later_batches_stays_urgent() -> None:
    rows = [
        json.loads(line) for path in LATER for line in path.read_text(encoding="utf-8").splitlines()
    ]
    results = [(row, triage(row["text"])) for row in rows]
    missed = [row["id"] for row, got in results if row["boundary"] == "urgent" != got.boundary]
    admin = [got.boundary for row, got in results if row["boundary"] == "administrative"]
    assert len(rows) == 2400
    assert missed == []
    assert admin.count("urgent") / len(admin) <= 0.05


@pytest.mark.parametrize(
    "text",
    [
        "necesito cambiar la cita de mi hijo, tiene calentura y no respira bien",
        "me cuesta mucho respirar desde hace rato",
        "can't feel the right side of my face, is this a pinched nerve?",
    ],
)
def test_breathing_and_one_sided_numbness_in_plain_words_are_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"
