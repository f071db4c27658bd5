"""Rule-level tests of escalation.triage, written in wording that is not in the dev sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escalation.triage import BOUNDARIES, LANES, TriageResult, fold, redflags, rules, triage
from escalation.triage.measures import measured_flags
from escalation.triage.text import Message

# The design errs loud: a clinical need may be raised to urgent by the learned red-flag
# detector (docs/TRIAGE.md), never lowered to administrative.
AT_LEAST_CLINICAL = {"clinical", "urgent"}
NEVER_URGENT = {"administrative", "clinical", "complaint", "identity_unclear"}


def _boundary(text: str) -> str:
    return triage(text).boundary


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
    assert _boundary(text) == "urgent"


def test_video_link_failure_with_blue_lips_is_urgent() -> None:
    result = triage("the video link won't load and my lips are turning blue")
    assert (result.lane, result.boundary) == ("telehealth_connection_problem", "urgent")


def test_fever_in_a_five_week_old_is_urgent_in_spanish() -> None:
    assert _boundary("mi bebe de 5 semanas tiene calentura, que hago") == "urgent"


def test_heavy_bleeding_after_a_procedure_is_urgent() -> None:
    assert _boundary("estoy sangrando mucho despues de la biopsia, ya empape dos gasas") == "urgent"


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
    assert _boundary(text) == "urgent"


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
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    ["ya no kiero bibir, soi una karga pa todos", "kiero morirme ya no aguanto", "me kiero matar"],
)
def test_self_harm_statements_spelled_as_they_sound_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


def test_inability_is_not_negation_and_because_ends_a_negation() -> None:
    text = "no me puedo acostar porque me falta el aire, duermo sentada. me dan cita?"
    assert _boundary(text) == "urgent"


# --- R3: negation covers only what it names; history is set aside -------------------


@pytest.mark.parametrize(
    "text",
    [
        "not suicidal, but my chest has been hurting bad for the last hour",
        "no pienso hacerme daño pero me duele el pecho fuerte ahorita",
    ],
)
def test_negation_covers_only_what_it_names(text: str) -> None:
    assert _boundary(text) == "urgent"


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
    assert _boundary(text) == "administrative"


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
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "this hold music is killing me lol, can I get a copy of my shot record",
        "dying to know if my referral to ortho went through",
        "me muero de ganas de saber si ya llego mi referencia",
    ],
)
def test_idioms_about_dying_are_not_self_harm(text: str) -> None:
    assert _boundary(text) == "administrative"


# --- R5 / R6: passing mentions versus attendance questions ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "can we push my appt to next week? I have a stomach bug",
        "cancelar mi cita del martes porfa, tengo gripa",
    ],
)
def test_illness_given_only_as_the_reason_stays_administrative(text: str) -> None:
    assert _boundary(text) == "administrative"


@pytest.mark.parametrize(
    "text",
    [
        "i need 2 reschedule, been throwing up all night and cant keep anything down",
        "quiero cambiar mi cita, tengo calentura desde hace una semana y no se me baja",
    ],
)
def test_severe_or_prolonged_illness_behind_a_request_is_clinical(text: str) -> None:
    assert _boundary(text) in AT_LEAST_CLINICAL


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
    assert _boundary("update my pharmacy to the walgreens on 5th st please") == "administrative"


def test_results_status_is_administrative_but_meaning_is_clinical() -> None:
    status = triage("ya salieron mis resultados de sangre?")
    meaning = triage("my A1c came back 8.2, what should i do")
    assert (status.lane, status.boundary) == ("post_visit_next_steps", "administrative")
    assert (meaning.lane, meaning.boundary) == ("post_visit_next_steps", "clinical")


def test_returning_the_nurses_call_about_results_is_clinical() -> None:
    result = triage("le devuelvo la llamada a la enfermera sobre mis analisis")
    assert (result.lane, result.boundary) == ("missed_call_callback", "clinical")


def test_standard_fasting_is_administrative_but_insulin_timing_is_clinical() -> None:
    assert _boundary("do I need to fast for my cholesterol test tomorrow?") in NEVER_URGENT
    assert _boundary("colonoscopy prep: I'm on insulin, do I take it the day before?") in (
        AT_LEAST_CLINICAL
    )


def test_work_note_is_clinical_but_proof_of_attendance_is_administrative() -> None:
    determination = "need a note for work saying I should be off until my back heals"
    attendance = "can I get a note showing I was seen today for my employer?"
    assert _boundary(determination) == "clinical"
    assert _boundary(attendance) == "administrative"


# --- R12 / R13: complaints ------------------------------------------------------------


def test_complaint_with_an_admin_request_is_complaint() -> None:
    result = triage("me cobraron dos veces la misma consulta, quiero mi reembolso")
    assert (result.lane, result.boundary) == ("billing_question", "complaint")


def test_complaint_about_an_unfilled_refill_is_clinical() -> None:
    assert _boundary("this is so frustrating, third time asking for my inhaler refill!!") == (
        "clinical"
    )


def test_mild_annoyance_is_not_a_complaint() -> None:
    assert _boundary("ugh sorry to bug you again, when is my follow up?") == "administrative"


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
    assert _boundary(text) == "identity_unclear"


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
    assert _boundary(text) == boundary


def test_parent_asking_about_a_teens_confidential_visit_is_identity_unclear() -> None:
    text = "my 17 yo went to see the dr about birth control, what did they prescribe her?"
    assert _boundary(text) == "identity_unclear"


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
    assert _boundary("my husband needs his cholesterol meds refilled") == "clinical"


def test_accompanying_relative_does_not_make_identity_unclear() -> None:
    text = "my husband is driving me so I need an afternoon slot, can you reschedule me?"
    assert _boundary(text) == "administrative"


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


# cJ to cO: scored at first sight, then the design changed for their misses (numbers read
# as thresholds, statements matched by sound, inability is not negation, onsets, negation in
# the direction it is written, quantities in words); cL to cO were never trained on. Every
# emergency in them must stay urgent.
LATER = [Path(__file__).resolve().parents[2] / f"corpus/messages/c{b}.jsonl" for b in "JKLMNO"]


def test_every_emergency_of_the_later_batches_stays_urgent() -> None:
    rows = [
        json.loads(line) for path in LATER for line in path.read_text(encoding="utf-8").splitlines()
    ]
    results = [(row, triage(row["text"])) for row in rows]
    missed = [row["id"] for row, got in results if row["boundary"] == "urgent" != got.boundary]
    admin = [got.boundary for row, got in results if row["boundary"] == "administrative"]
    assert len(rows) == 1800
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
    assert _boundary(text) == "urgent"


# --- Hardening round 1 and 2: one regression test per family of phrasings -----------------


@pytest.mark.parametrize(
    "text",
    [
        "mi tío tiene un dolor muy fuerte en el pecho desde la mañana",
        "my chest is killing me today, can I push my visit",
    ],
)
def test_chest_pain_with_filler_words_or_idiomatic_verb_is_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my aunt's smile went lopsided at dinner",
        "he keeps saying he can't find the words, started an hour ago",
        "her right hand is limp and she seems off",
        "his arm feels heavy on one side since this morning",
    ],
)
def test_stroke_signs_in_lay_words_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "can hardly talk, I'm that winded",
        "so out of breath I can't get through a sentence",
        "having an asthma attack, the inhaler is not helping",
    ],
)
def test_too_breathless_to_talk_is_urgent_even_with_a_medication_word(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "the gauze keeps soaking through after my tooth extraction",
        "blood is pouring out of the cut on my leg",
        "there's so much blood in the toilet, lots of clots",
    ],
)
def test_bleeding_volume_words_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


def test_puffing_throat_after_a_shot_is_urgent() -> None:
    assert _boundary("my throat is puffing up since the flu shot") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my kids would be better off without me honestly",
        "I gave away my cat and wrote letters to my family",
        "ya hice todos mis arreglos, cuiden a mis hijos",
        "no le encuentro sentido a la vida",
        "no quiero despertar nunca más",
        "mejor me muero",
        "me despido de todos ustedes",
        "I'm done with life",
        "cancel everything, I won't need it where I'm going",
        "no one would care if I was gone",
    ],
)
def test_goodbye_and_hopelessness_statements_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my son swallowed a handful of my advil",
        "I took a double dose of my seizure pills by mistake",
        "the toddler got into grandma's pill bottle",
        "took like 30 of my sleeping meds",
        "she mixed her pain pills with vodka",
    ],
)
def test_ingestions_and_extra_doses_are_urgent_not_clinical(text: str) -> None:
    assert _boundary(text) == "urgent"


def test_a_dose_in_milligrams_is_not_an_overdose() -> None:
    text = "I took 10 mg of my lisinopril this morning, is that the right dose?"
    assert _boundary(text) in AT_LEAST_CLINICAL


@pytest.mark.parametrize(
    "text",
    [
        "she collapsed in the hallway",
        "he's not responding to us at all",
        "my dad is barely awake and mumbling",
        "his whole body is shaking all over and he won't answer",
    ],
)
def test_collapse_and_unresponsiveness_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "newborn, 2 weeks, feels really hot to me",
        "my baby is 7 weeks and her temp is one hundred point four",
    ],
)
def test_infant_fever_without_the_word_old_or_a_digit_reading_is_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


def test_organ_removal_with_fever_and_bad_pain_is_urgent_post_visit() -> None:
    result = triage("got my appendix out friday, now fever and the pain is really bad")
    assert (result.lane, result.boundary) == ("post_visit_next_steps", "urgent")


def test_threat_with_a_knife_in_spanish_is_urgent() -> None:
    assert _boundary("mi exesposo me amenaza con una navaja") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my manager is gonna kill me if I miss work again, any early slots?",
        "this line is killing me lol, is my referral done",
    ],
)
def test_killing_idioms_are_not_violence_or_self_harm(text: str) -> None:
    assert _boundary(text) == "administrative"


@pytest.mark.parametrize(
    "text",
    [
        "the antidepressant makes me numb, can we try another one",
        "need to cancel, I can't hold anything down since last night",
        "my sugar has been in the 400s all week",
        "the incision looks red and there's green stuff leaking",
    ],
)
def test_drug_classes_dehydration_readings_and_wound_signs_are_clinical(text: str) -> None:
    assert _boundary(text) in AT_LEAST_CLINICAL


def test_numbers_is_not_numbness() -> None:
    assert _boundary("can you send my numbers from the lab to my email") == "administrative"


def test_fasting_hours_before_a_blood_test_are_standard_prep() -> None:
    result = triage("how many hours do I fast before the blood draw? is water ok?")
    assert result.boundary == "administrative"


@pytest.mark.parametrize(
    "text",
    [
        "oh great job guys, double billed me again",
        "that no-show fee is wrong, you cancelled on me, take it off",
        "quiero mi dinero de vuelta, ni me revisó",
        "let me talk to whoever is in charge there",
    ],
)
def test_sarcasm_refunds_and_fee_removal_are_complaints(text: str) -> None:
    assert _boundary(text) == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "this is the school counselor, can you send Ana's shot record",
        "we're writing from St. Mark's church about one of our members' appointment",
        "signed in to my wife's portal, can I book myself a physical",
        "there are two Luis Ortega at our home and the statement is mixed up",
        "new phone, what time is my appt again",
        "me llegó un recordatorio de una cita que no es mía",
    ],
)
def test_identity_cues_roles_borrowed_accounts_same_name_new_phone(text: str) -> None:
    assert _boundary(text) == "identity_unclear"


def test_a_plain_number_update_is_administrative() -> None:
    assert _boundary("nuevo numero: 555-0177, actualicenlo porfa") == "administrative"


@pytest.mark.parametrize(
    ("text", "lane"),
    [
        ("can I do a phone visit instead? my car is in the shop", "reschedule"),
        ("need to push my 2pm to the morning", "reschedule"),
        ("can't come wed, can we do friday", "reschedule"),
        ("cancel my visit please, I'll reschedule later", "cancel"),
        ("tengo que reagendar mi consulta", "reschedule"),
        ("the video waiting room has been empty 20 min", "telehealth_connection_problem"),
        ("it says the link expired, the visit is now", "telehealth_connection_problem"),
        ("se me cortó la videollamada", "telehealth_connection_problem"),
        ("mi papá se cayó en el baño, ahora está confundido", "other_admin"),
        ("I have my endoscopy monday and take metformin, hold it?", "appointment_time_question"),
        ("tengo covid, todavía voy mañana?", "appointment_time_question"),
        ("need the DMV form filled out by the dr", "form_reminder"),
        ("mande el record de vacunas de mi hijo porfa", "records_request"),
        ("my employer needs proof I was at the clinic on monday", "other_admin"),
        ("did insurance approve my knee MRI yet", "referral_status"),
        ("post-op day 3, can I shower yet", "post_visit_next_steps"),
    ],
)
def test_lane_families(text: str, lane: str) -> None:
    # The rules layer's lane (R17). The model may overrule it when it is sure, which helps on
    # whole batches (docs/TRIAGE.md) but not on every sentence: "did insurance approve my knee
    # MRI yet" goes to insurance_document with it. The combined lane is measured on batches.
    assert rules(text)[0].lane == lane


# --- Round 3: misspellings, lay words and voicemail fillers -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "sorry to bug u, my chesst is real tight since breakfast",
        "there's a crushing weight behind my sternum",
        "me duele el pexo desde anoche",
        "mi pecho se siente como que me lo aprietan",
        "um so my dad he's uh got uh pressure in his uh chest",
    ],
)
def test_chest_pain_with_typos_lay_words_and_fillers_is_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "having trouble brething since last night, barely get the words out",
        "I can't lay flat, I have to prop myself up to sleep",
        "feels like I'm drowning when I lie down",
        "ando muy agitada, no me alcanza el aire",
        "mi niño respira rapidísimo y se le marcan las costillas",
        "my daughter is turning blue around the mouth",
    ],
)
def test_breathing_trouble_variants_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


def test_cant_breathe_from_laughing_is_an_idiom() -> None:
    result = triage("can't breathe from laughing at the reminder lol, what time tmrw?")
    assert result.boundary in NEVER_URGENT


@pytest.mark.parametrize(
    "text",
    [
        "se le durmió la mitad del cuerpo a mi tía",
        "half of her face went numb out of nowhere",
        "grandpa suddenly doesn't recognize any of us",
        "mi abuela de repente no me reconoce",
        "my husband is saying nonsense words all of a sudden",
        "mi esposo está hablando sin sentido desde hace rato",
        "de repente no puede ver del ojo derecho",
        "her face feels heavy on the right side",
    ],
)
def test_stroke_signs_in_new_lay_words_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my brother keeps saying he wants to kill himself",
        "she's been cutting again, her arms are covered",
        "mi hermana se cortó las venas",
        "quiero acabar con todo ya",
        "this is my last message, you won't hear from me again",
        "thinking about ending it all lately",
        "i might jump off the bridge by my house",
        "me trague una caja de pastillas para dormir",
        "my toddler ate some of grandpa's blood pressure pills",
        "took all my klonopin an hour ago",
        "I think I gave him his insulin twice",
    ],
)
def test_self_harm_goodbye_and_ingestion_families_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "sangrado muy abundante, ya empapé tres toallas",
        "the gauze fills with blood every 20 minutes",
        "went through 2 pads in an hour",
        "está tirando sangre por la boca",
        "tengo 28 semanas y me está bajando sangre",
        "he cut his hand and it won't stop bleeding",
        "passing huge clots since this morning",
    ],
)
def test_bleeding_volume_families_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


def test_a_pad_every_few_hours_is_clinical_not_urgent() -> None:
    assert _boundary("periods are heavier lately, a pad every 4 hours") == "clinical"


@pytest.mark.parametrize(
    "text",
    [
        "le dio un ataque, se puso rígido y no responde",
        "my son is having a fit and foaming at the mouth",
        "se privó mi abuelita en la misa",
        "he keeled over in the yard",
        "siento la garganta cerrada desde la inyección",
        "had to use my epipen, still feel weird",
    ],
)
def test_seizure_collapse_and_allergy_lay_words_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "worst hedache ive ever had, hit all at once",
        "el peor dolor de cabeza de mi vida",
        "this headache came on out of nowhere and I've never had one like it",
        "mi dolor de cabeza es el más fuerte que he tenido",
    ],
)
def test_worst_headache_in_other_words_is_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "our 9 day old feels warm to the touch",
        "my 5 week old is at 38.3",
        "two days after my knee replacement, fever of 102 and the pain is unbearable",
        "post op day 2, fever 101.5 and severe pain at the incision",
    ],
)
def test_infant_warmth_and_post_op_fever_with_pain_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my son's friend is threatening to stab the teacher",
        "mi cuñado trae una pistola y está amenazando a todos",
        "someone is breaking into my house right now",
    ],
)
def test_threats_to_other_people_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "passed out a few weeks ago, I'm fine now, should I still get checked?",
        "la semana pasada me dolió el pecho, ya se me quitó, me deben ver?",
    ],
)
def test_a_cleared_episode_weeks_ago_is_clinical_not_urgent(text: str) -> None:
    assert _boundary(text) == "clinical"


@pytest.mark.parametrize(
    "text",
    [
        "I've been feeling really low and can't sleep",
        "ando triste y sin ganas de nada",
        "third nosebleed this week",
        "are my thyroid results good or bad?",
        "salieron bien o mal mis análisis?",
        "sugars running in the 300s",
        "so wiped out since the infusion, is that normal",
        "the bowel prep is making me throw up, should I still go through with it",
        "my heart keeps pounding out of nowhere",
        "my dad is more forgetful lately, should he see someone?",
        "need a school note, my son had strep and missed 3 days",
        "my asthma is acting up this week",
        "there's blood in my urine",
    ],
)
def test_new_clinical_families(text: str) -> None:
    assert _boundary(text) in AT_LEAST_CLINICAL


@pytest.mark.parametrize(
    ("text", "lane"),
    [
        ("can I move Friday's video visit to next week", "reschedule"),
        ("la puedo adelantar para el lunes?", "reschedule"),
        ("no sé si ir el lunes a mi cita", "appointment_time_question"),
        ("can we book for tomorrow?", "appointment_request"),
        ("anything open this afternoon?", "appointment_request"),
        ("zoom keeps freezing on me", "telehealth_connection_problem"),
        ("the app says the visit ended but I never got in", "telehealth_connection_problem"),
        ("the nurse called about my labs, calling her back", "missed_call_callback"),
        ("what does a high ALT on my labs mean", "post_visit_next_steps"),
        ("do I need to bring my inhaler to the visit", "appointment_time_question"),
        ("they overcharged me for the flu shot", "billing_question"),
        ("I'd like to schedule an intake with the therapist", "appointment_request"),
    ],
)
def test_round_three_lane_families(text: str, lane: str) -> None:
    assert triage(text).lane == lane


def test_senior_living_staff_are_a_third_party() -> None:
    assert _boundary("calling from Oak Grove Senior Living about a resident's visit") == (
        "identity_unclear"
    )


# --- Round 4: safety net (composites and families for unlisted wording) ---------------


@pytest.mark.parametrize(
    "text",
    [
        "feels like a rubber band is squeezing my ribcage and I'm soaked in sweat",
        "my heart feels clenched like a fist for the last half hour",
        "siento el corazon apretado como con un costal encima",
        "he's ashen and sweaty and says there's pressure right in the middle",
        "dull ache in my chest and my jaw keeps tingling",
    ],
)
def test_net_cardiac_pressure_in_new_words_is_urgent(text: str) -> None:
    result = triage(text)
    assert result.boundary == "urgent"
    assert any("safety net" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "my daughter's tummy is sucking in hard with every breath",
        "it's like breathing through a coffee stirrer, my rescue puff isn't working",
        "mi papa respira muy agitado y tiene los labios grises",
        "her fingernails look dusky blue",
        "I wake up gasping whenever I lie down flat",
        "oxygen on the finger thing says 87",
    ],
)
def test_net_breathing_failure_in_new_words_is_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my left leg just went heavy and clumsy out of nowhere",
        "grandpa's right cheek is sagging and he's dribbling",
        "de repente se le torcio la boca de un lado",
        "my wife is jumbling her words since about twenty minutes ago",
        "it's like a shade came down over my right eye",
        "out of the blue mom can't keep her balance",
    ],
)
def test_net_stroke_signs_in_new_words_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "honestly just want to never wake up again",
        "ojala pudiera dormirme para siempre, quiero desaparecer",
        "whats the point of living like this",
        "the kids would be better off if I wasn't here",
        "my brother says he wants to die and won't open his door",
        "thinking of swerving into oncoming traffic on the way home",
        "how many of my sleeping pills would it take",
        "this is my final message, thank you all",
        "i'm sitting on the ledge of the rooftop right now",
        "se despidio de todos por whatsapp y no contesta",
        "been stockpiling my pain pills for a while",
    ],
)
def test_net_self_harm_families_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "the baby chewed on one of grandpa's patches",
        "he took his heart pill four times today by mistake",
        "I gave her twice the dose of motrin",
        "swallowed a whole pack of benadryl",
    ],
)
def test_net_ingestion_families_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "sliced my thumb and it keeps spurting through the paper towels",
        "throwing up stuff that looks like coffee grounds",
        "my stool is black like tar and I feel so weak",
        "I'm 6 months pregnant and bleeding bright red",
        "7 months along and the baby hasn't moved since yesterday",
        "fell down the stairs and now there's blood coming from his ear",
    ],
)
def test_net_bleeding_and_pregnancy_families_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "ate a granola bar with nuts and my tongue is getting huge",
        "after the new antibiotic my eyes are puffing shut",
        "her throat feels like it's closing up",
        "my uncle went limp in his chair",
        "she's not responding when we shake her",
        "he hit the floor in the kitchen",
        "son is twitching and staring, not answering us for 3 minutes",
        "bumped my head on a cabinet and now I keep throwing up",
        "sudden pain in the back of my head like I got hit with a hammer",
        "my ex keeps texting that he'll kill me, I'm hiding in the closet",
    ],
)
def test_net_airway_collapse_head_and_threat_families_are_urgent(text: str) -> None:
    assert _boundary(text) == "urgent"


@pytest.mark.parametrize(
    ("text", "boundary"),
    [
        # idioms and logistics that borrow vital words
        ("the hold music is slowly killing me, any update on my referral?", "administrative"),
        ("me muero de ganas de que me den cita ya", "administrative"),
        ("I'd kill for a Saturday slot, any openings?", "administrative"),
        ("passed out on the couch and missed your call, call me back", "administrative"),
        ("my head exploded when I saw the bill, can I get a payment plan?", "administrative"),
        ("double booked my eye appointment by accident, cancel one please", "administrative"),
        (
            "I won't be around next week, moving to Ohio, cancel all my appointments",
            "administrative",
        ),
        ("my heart sank at the copay, do you take Medicaid?", "administrative"),
        # shared vocabulary that is clinical, not urgent
        ("sore throat and swollen glands for a week, should I come in?", "clinical"),
        ("my chest is a bit sore from the gym on Monday, ok to take ibuprofen?", "clinical"),
        ("right hand goes numb at night for months now, carpal tunnel?", "clinical"),
        (
            "short of breath on stairs, been like that for two years, need an asthma check",
            "clinical",
        ),
        ("lips a little swollen from a cold sore, what cream can I use?", "clinical"),
        (
            "nosebleed this morning stopped after a few minutes, is my aspirin the cause?",
            "clinical",
        ),
    ],
)
def test_net_leaves_idioms_and_non_emergencies_alone(text: str, boundary: str) -> None:
    # A benign reading never makes a red-flag candidate administrative: at most it goes to a
    # clinician to check (fail loud); it never raises the emergency alert.
    assert _boundary(text) in ({boundary, "clinical"} if boundary != "urgent" else {boundary})


def test_net_respects_negation_and_notes_what_it_set_aside() -> None:
    result = triage("no chest pressure and no sweating, just want to book a physical")
    assert result.boundary in NEVER_URGENT
    result = triage("my left arm isn't numb anymore, it went away")
    assert result.boundary != "urgent"


def test_net_reasons_name_both_parts_of_a_composite() -> None:
    result = triage("my ticker feels squeezed like a sponge")
    assert result.boundary == "urgent"
    assert any('"ticker" + "squeezed"' in reason for reason in result.reasons)


def test_the_learned_detector_alone_never_decides_quietly() -> None:
    # A known over-escalation of the learned red-flag detector (docs/TRIAGE.md: about 1% of
    # administrative messages): when it alone says urgent, the item says "check the boundary".
    result = triage("cancel my appt on the 12th, feeling much better now thanks")
    if result.boundary == "urgent" and result.reasons[0].startswith("urgent (learned"):
        assert result.unsure
    else:
        assert result.boundary == "administrative"
