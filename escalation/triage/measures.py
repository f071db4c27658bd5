"""Red flags that are quantities: a temperature, a pain score, a baby's age.

Two of the README's emergencies are thresholds, not words: fever in a baby under three months,
and severe pain with fever after a procedure. The phrase tables know how their authors wrote
them; people write the numbers ("100.6 en el recto", "temp is 101.9", "a 9/10", "mi nena de 2
meses"). Here the number and its unit are read and compared with the threshold, however the
sentence around them is worded, and the result is a red-flag candidate judged by ConText like
any other (so "if she ever runs 100.4" stays a question for a clinician).
"""

from __future__ import annotations

import re

from .text import PROCEDURE, Message

# Fever: 100.4 °F or 38.0 °C, the pediatric and post-operative threshold.
FEVER_F = 100.4
FEVER_C = 38.0
SEVERE_PAIN = 7  # of 10
INFANT_DAYS = 90  # "under 3 months"

_NUMBER_WORDS = {
    "one": 1, "un": 1, "una": 1, "uno": 1, "a": 1, "two": 2, "dos": 2, "three": 3, "tres": 3,
    "four": 4, "cuatro": 4, "five": 5, "cinco": 5, "six": 6, "seis": 6, "seven": 7, "siete": 7,
    "eight": 8, "ocho": 8, "nine": 9, "nueve": 9, "ten": 10, "diez": 10, "eleven": 11, "once": 11,
    "twelve": 12, "doce": 12,
}  # fmt: skip
_COUNT = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT_DAYS = {"day": 1, "dia": 1, "week": 7, "wk": 7, "semana": 7, "month": 30, "mo": 30, "mes": 30}
_UNIT = r"(days?|dias?|weeks?|wks?|semanas?|months?|mos?|mes(?:es)?)"

# A reading: a number, then maybe a degree sign or word and a unit.
_READING = re.compile(
    r"(?<![\d.,/$])(\d{2,3}(?:[.,]\d{1,2})?)\s*(?:°|º|degrees?|grados?)?\s*([fc])?(?![\d/%])\b"
)
# What makes a number a body temperature: said within a few words before it.
_TEMPERATURE_CUE = re.compile(
    r"\b(?:temp\w*|fever\w*|fiebre|calentura|febr\w*|thermometer|termometro|rectal\w*|recto"
    r"|oral\w*|axila\w*|ear|oido|forehead|frente|reading|read|marca\w*|marco|runs?|running"
    r"|ran|spiked?|hit|is|was|at|of|de|con|tiene|tenia)\W*$"
)
# ...or right after it ("39.1 de temperatura", "101 fever").
_TEMPERATURE_AFTER = re.compile(r"^\W*(?:de\W+)?(?:temp\w*|fever\w*|fiebre|calentura|febr\w*)\b")
_FEVER_WORD = re.compile(r"\b(?:fever\w*|febrile|fiebre|calentura|febril)\b")
# A pain score: "9/10", "8 out of 10", "9 de 10", "pain is a 10".
_PAIN_SCORE = re.compile(
    r"(?<![\d/])(10|\d)\s*(?:/|out\W+of|de|over|sobre)\s*10\b"
    r"|\b(?:pain|dolor)\W+(?:\w+\W+){0,3}?(?:is|es|at|en|a|level)\W+(?:a\W+|an\W+)?(10|[7-9])\b"
)
# A baby's age: "2 months old", "3-week-old", "de 2 meses" (not "hace", not a pregnancy).
_AGE = re.compile(
    rf"\b{_COUNT}[\s-]*{_UNIT}[\s-]*old\b"
    rf"|(?<!hace )(?<!desde )\b(?:de|tiene|cumple|cumplio|turned|just)\s+{_COUNT}\s+{_UNIT}\b"
    r"(?!\W+(?:de\W+)?(?:embarazo|pregnan\w*|along|ago|atras))"
)
_PROCEDURE = re.compile(rf"\b{PROCEDURE}\b")


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _fever_readings(folded: str) -> list[tuple[int, int]]:
    found = []
    for match in _READING.finditer(folded):
        value = float(match.group(1).replace(",", "."))
        unit = match.group(2)
        before = folded[max(0, match.start() - 40) : match.start()]
        after = folded[match.end() : match.end() + 20]
        said = _TEMPERATURE_CUE.search(before) or _TEMPERATURE_AFTER.search(after)
        if not unit and not said:
            continue
        fahrenheit = unit == "f" or (unit is None and value > 50)
        if (fahrenheit and FEVER_F <= value <= 108) or (not fahrenheit and FEVER_C <= value <= 43):
            found.append(match.span())
    return found


def _infant_ages(folded: str) -> list[tuple[int, int]]:
    found = []
    for match in _AGE.finditer(folded):
        count = match.group(1) or match.group(3)
        unit = (match.group(2) or match.group(4)).rstrip("s")
        unit = "mes" if unit.startswith("mes") else unit
        if 0 < _count(count) * _UNIT_DAYS[unit] < INFANT_DAYS:
            found.append(match.span())
    return found


def _severe_pain_scores(folded: str) -> list[tuple[int, int]]:
    found = []
    for match in _PAIN_SCORE.finditer(folded):
        group = 1 if match.group(1) else 2
        if int(match.group(group)) >= SEVERE_PAIN:
            found.append((match.start(group), match.end()))
    return found


def measured_flags(msg: Message) -> list[tuple[str, tuple[tuple[int, int], ...], str, bool]]:
    """(red-flag label, the spans ConText judges, the words to quote, whether its fever is a
    reading) for each threshold the message's numbers cross.

    A reading is a fact, not a statement a "not" nearby could negate ("9/10 and not touched by
    the oxycodone"); a fever word can be ("no fever"). The procedure is quoted, not judged: it
    is in the past by nature ("surgery last week"), the fever and the pain are what is now.
    """
    folded = msg.folded
    readings = _fever_readings(folded)
    fevers = readings or [m.span() for m in _FEVER_WORD.finditer(folded)]
    if not fevers:
        return []
    flags = []
    if ages := _infant_ages(folded):
        spans = (ages[0], fevers[0])
        flags.append(("fever in a baby under 3 months", spans, _quote(msg, spans), bool(readings)))
    if (pain := _severe_pain_scores(folded)) and (procedure := _PROCEDURE.search(folded)):
        quote = _quote(msg, (procedure.span(), fevers[0], pain[0]))
        label = "severe pain with fever after a procedure"
        flags.append((label, (fevers[0], pain[0]), quote, bool(readings)))
    return flags


def _quote(msg: Message, spans) -> str:
    return " + ".join(f'"{msg.quote(*span)}"' for span in spans)
