"""Triage hardening rounds 1 to 4: one regression test per family of phrasings, written in
wording that is not in the corpus (docs/TRIAGE.md, "Generalization")."""

from __future__ import annotations

import pytest

from escalation.triage import rules, triage
from tests.escalation.triage_helpers import AT_LEAST_CLINICAL, NEVER_URGENT, boundary_of

# --- Hardening round 1 and 2: one regression test per family of phrasings -----------------


@pytest.mark.parametrize(
    "text",
    [
        "mi tío tiene un dolor muy fuerte en el pecho desde la mañana",
        "my chest is killing me today, can I push my visit",
    ],
)
def test_chest_pain_with_filler_words_or_idiomatic_verb_is_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "can hardly talk, I'm that winded",
        "so out of breath I can't get through a sentence",
        "having an asthma attack, the inhaler is not helping",
    ],
)
def test_too_breathless_to_talk_is_urgent_even_with_a_medication_word(text: str) -> None:
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "the gauze keeps soaking through after my tooth extraction",
        "blood is pouring out of the cut on my leg",
        "there's so much blood in the toilet, lots of clots",
    ],
)
def test_bleeding_volume_words_are_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"


def test_puffing_throat_after_a_shot_is_urgent() -> None:
    assert boundary_of("my throat is puffing up since the flu shot") == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


def test_a_dose_in_milligrams_is_not_an_overdose() -> None:
    text = "I took 10 mg of my lisinopril this morning, is that the right dose?"
    assert boundary_of(text) in AT_LEAST_CLINICAL


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
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "newborn, 2 weeks, feels really hot to me",
        "my baby is 7 weeks and her temp is one hundred point four",
    ],
)
def test_infant_fever_without_the_word_old_or_a_digit_reading_is_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"


def test_organ_removal_with_fever_and_bad_pain_is_urgent_post_visit() -> None:
    result = triage("got my appendix out friday, now fever and the pain is really bad")
    assert (result.lane, result.boundary) == ("post_visit_next_steps", "urgent")


def test_threat_with_a_knife_in_spanish_is_urgent() -> None:
    assert boundary_of("mi exesposo me amenaza con una navaja") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my manager is gonna kill me if I miss work again, any early slots?",
        "this line is killing me lol, is my referral done",
    ],
)
def test_killing_idioms_are_not_violence_or_self_harm(text: str) -> None:
    assert boundary_of(text) == "administrative"


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
    assert boundary_of(text) in AT_LEAST_CLINICAL


def test_numbers_is_not_numbness() -> None:
    assert boundary_of("can you send my numbers from the lab to my email") == "administrative"


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
    assert boundary_of(text) == "complaint"


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
    assert boundary_of(text) == "identity_unclear"


def test_a_plain_number_update_is_administrative() -> None:
    assert boundary_of("nuevo numero: 555-0177, actualicenlo porfa") == "administrative"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


def test_a_pad_every_few_hours_is_no_red_flag() -> None:
    # The rules judge it clinical; the learned detector may still raise it (it errs urgent).
    assert rules("periods are heavier lately, a pad every 4 hours")[0].boundary == "clinical"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my son's friend is threatening to stab the teacher",
        "mi cuñado trae una pistola y está amenazando a todos",
        "someone is breaking into my house right now",
    ],
)
def test_threats_to_other_people_are_urgent(text: str) -> None:
    assert boundary_of(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "passed out a few weeks ago, I'm fine now, should I still get checked?",
        "la semana pasada me dolió el pecho, ya se me quitó, me deben ver?",
    ],
)
def test_a_cleared_episode_weeks_ago_is_clinical_not_urgent(text: str) -> None:
    assert boundary_of(text) == "clinical"


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
    assert boundary_of(text) in AT_LEAST_CLINICAL


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
    assert boundary_of("calling from Oak Grove Senior Living about a resident's visit") == (
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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) == "urgent"


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
    assert boundary_of(text) in ({boundary, "clinical"} if boundary != "urgent" else {boundary})


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
