from itertools import product
from pathlib import Path

import pytest

from messaging.keywords import Keyword, classify_reply, is_opt_in_word, looks_like_revocation

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "keywords"
OPT_OUT_WORDS = [
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "OPT OUT",
    "OPT-OUT",
    "PARAR",
    "DETENER",
    "CANCELAR",
    "BAJA",
    "ALTO",
    "NO MAS",
    "NO MÁS",
]
SPELLINGS = [str.upper, str.lower, str.title, lambda word: f"  {word}\n", lambda word: f"{word}!"]
HAND_WRITTEN_OPT_OUTS = [
    "Stop.",
    "stop!!!",
    " STOP ",
    "Stop 🛑",
    "STOP 😡",
    "¡Alto!",
    "¡ALTO!",
    "no más.",
    "No Mas!",
    "opt out.",
    "Opt-Out",
    "Unsubscribe.",
    "cancel!",
    "Quit.",
    "end.",
    "STOP?",
    "stop all",
    "Stopall",
    "Detener.",
    "cancelar!",
    "Baja",
    "revoke.",
    "optout!",
    "STOP\t",
]


def corpus(name: str) -> list[str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def opt_out_variants() -> list[str]:
    generated = [spell(word) for word, spell in product(OPT_OUT_WORDS, SPELLINGS)]
    return generated + HAND_WRITTEN_OPT_OUTS


def test_the_opt_out_corpus_is_large_enough() -> None:
    assert len(set(opt_out_variants())) >= 60


@pytest.mark.parametrize("body", opt_out_variants())
def test_opt_out_variants_are_opt_outs(body: str) -> None:
    assert classify_reply(body) is Keyword.OPT_OUT
    assert looks_like_revocation(body)


@pytest.mark.parametrize(
    "body", ["C", "Y", "1", "yes", "YES!", "sí", "Si", "confirmo", "ok", "OK.", "👍", "👍🏽"]
)
def test_what_patients_type_to_confirm_is_a_confirmation(body: str) -> None:
    assert classify_reply(body) is Keyword.CONFIRM


@pytest.mark.parametrize("body", ["yes please", "ok thanks", "Confirm please", "Sí, gracias"])
def test_a_few_polite_confirmation_phrases_are_confirmations(body: str) -> None:
    assert classify_reply(body) is Keyword.CONFIRM


@pytest.mark.parametrize(
    "body",
    ["maybe", "no", "yes but can we make it 3?", "ok what time", "I'll be there", "C U then", ""],
)
def test_anything_else_goes_to_a_person(body: str) -> None:
    assert classify_reply(body) is Keyword.NONE


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        ("START", Keyword.OPT_IN),
        ("unstop", Keyword.OPT_IN),
        ("Subscribe", Keyword.OPT_IN),
        ("iniciar", Keyword.OPT_IN),
        ("comenzar", Keyword.OPT_IN),
        ("HELP", Keyword.HELP),
        ("info?", Keyword.HELP),
        ("Ayuda", Keyword.HELP),
        ("R", Keyword.RESCHEDULE),
        ("reschedule", Keyword.RESCHEDULE),
        ("Cambiar", Keyword.RESCHEDULE),
        ("reprogramar", Keyword.RESCHEDULE),
        ("change", Keyword.RESCHEDULE),
    ],
)
def test_other_keywords_are_recognised(body: str, keyword: Keyword) -> None:
    assert classify_reply(body) is keyword


@pytest.mark.parametrize(("body", "expected"), [("START", True), ("Unstop", True), ("yes", True)])
def test_twilio_opt_in_words_are_recognised(body: str, expected: bool) -> None:
    assert is_opt_in_word(body) is expected


@pytest.mark.parametrize("body", ["Y", "sí", "iniciar", "yes please", "start my appointment"])
def test_words_twilio_does_not_act_on_are_not_opt_in_words(body: str) -> None:
    assert not is_opt_in_word(body)


def test_a_sentence_asking_to_stop_is_no_keyword_but_a_revocation() -> None:
    assert classify_reply("stop texting me please") is Keyword.NONE
    assert looks_like_revocation("stop texting me please")


def test_every_free_text_revocation_is_flagged() -> None:
    revocations = corpus("revocations.txt")
    missed = [body for body in revocations if not looks_like_revocation(body)]
    assert len(revocations) >= 100
    assert missed == []


def test_ordinary_messages_are_rarely_flagged() -> None:
    ordinary = corpus("ordinary.txt")
    flagged = [body for body in ordinary if looks_like_revocation(body)]
    assert len(ordinary) >= 200
    assert len(flagged) / len(ordinary) < 0.02, flagged


@pytest.mark.parametrize(
    "body",
    [
        "can I stop my blood pressure pill?",
        "I need to cancel my appointment",
        "the bleeding won't stop",
        "stop by the office tomorrow",
        "I'll stop by",
        "end of the month",
        "please cancel my 3pm",
        "no me llamen antes de las 10",
        "sáquenme de la lista de espera",
        "I called the wrong number, sorry",
    ],
)
def test_everyday_uses_of_stop_words_are_not_revocations(body: str) -> None:
    assert not looks_like_revocation(body)
