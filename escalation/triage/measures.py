"""Red flags that are quantities: a temperature, a pain score, a baby's age; and how long ago
a symptom began.

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
RECENT_DAYS = 3  # an onset this recent makes a red flag current (R2)
ONSET_WINDOW = 120  # characters read on each side of a red flag for its onset
AFTER_PROCEDURE = "severe pain with fever after a procedure"

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
# A temperature in words: "a hundred and three", "one oh two", "ciento tres", "hundred point
# four"; "treinta y nueve", "thirty-nine", "cuarenta" (Celsius).
_ONES = (
    r"(one|two|three|four|five|six|seven|eight|nine"
    r"|uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)"
)
_SPELLED_HUNDREDS = re.compile(
    rf"\b(?:(?:(?:a|one|one\W+a)\W+)?hundred(?:\W+(?:and\W+)?{_ONES})?|one\W+(?:oh|o|zero)\W+{_ONES}"
    rf"|ciento\W+{_ONES})(?:\W+(?:point|punto)\W+{_ONES})?\b"
    r"(?!\W+(?:years?|anos|dollars|dolares|bucks|pesos|pounds|libras|lbs)\b)"
)
_SPELLED_CELSIUS = re.compile(
    r"\b(?:(?:treinta\W+y|thirty)\W+(ocho|nueve|eight|nine)|(cuarenta|forty))\b"
)
# What makes a number a body temperature: said within a few words before it.
# A word naming the temperature may stand a few words off ("thermometer said one oh three",
# "la fiebre le llegó a 39"); a verb or preposition only right before the number.
_TEMPERATURE_CUE = re.compile(
    r"\b(?:temp\w*|fever\w*|fiebre|calentura|febr\w*|thermometer|termometro)\W+(?:\w+\W+){0,3}$"
    r"|\b(?:rectal\w*|recto|oral\w*|axila\w*|ear|oido|forehead|frente|reading|read|marca\w*"
    r"|marco|runs?|running|ran|spiked?|hit|is|was|at|of|de|con|tiene|tenia)\W*$"
)
# ...or right after it ("39.1 de temperatura", "101 fever").
_TEMPERATURE_AFTER = re.compile(r"^\W*(?:de\W+)?(?:temp\w*|fever\w*|fiebre|calentura|febr\w*)\b")
_FEVER_WORD = re.compile(r"\b(?:fever\w*|febrile|fiebre|calentura|febril)\b")
# A pain score: "9/10", "8 out of 10", "9 de 10", "pain is a 10".
_PAIN_SCORE = re.compile(
    r"(?<![\d/])(10|\d)\s*(?:/|out\W+of|de|over|sobre)\s*10\b"
    r"|\b(?:pain|dolor)\W+(?:\w+\W+){0,3}?(?:is|es|at|en|a|level)\W+(?:a\W+|an\W+)?(10|[7-9])\b"
)
# A baby's age: "2 months old", "3-week-old", "cumple 2 meses", "mi nena de 2 meses" (not "hace",
# not a pregnancy). "de" and "tiene" also give how long a thing has lasted ("la tos ya tiene tres
# semanas"), so with them the age is a child's only when a child is named just before.
_CHILD = (
    r"(?:baby|babies|bebe\w*|newborn|infant|son|daughter|grand(?:son|daughter|baby)|nin[oa]\w*"
    r"|nen[ae]\w*|hij[oa]\w*|niet[oa]\w*|recien\W+nacid[oa]|chiquit[oa]|twins|gemel[oa]s)"
)
_AGE = re.compile(
    rf"\b{_COUNT}[\s-]*{_UNIT}[\s-]*old\b"
    rf"|(?:(?<!hace )(?<!desde )\b(?:cumple|cumplio|turned|just)"
    rf"|\b{_CHILD}\W+(?:\w+\W+){{0,2}}?(?:de|tiene))\s+{_COUNT}\s+{_UNIT}\b"
    r"(?!\W+(?:de\W+)?(?:embarazo|pregnan\w*|along|ago|atras))"
)
_PROCEDURE = re.compile(rf"\b{PROCEDURE}\b")
# Pain said to be severe in words rather than as a score ("super painful", "dolor insoportable").
_SEVERE = (
    r"(?:severe|extreme\w*|excruciating|unbearabl\w*|horribl\w*|terribl\w*|awful|intense|agoniz\w*"
    r"|worst|super|so|very|really|incredibly|insoportable|fuertisimo|muy\W+fuerte|terrible|intenso"
    r"|horrible|muchisimo|mucho|a\W+lot\W+of|lots\W+of)"
)
_PAIN_IN_WORDS = re.compile(
    rf"\b{_SEVERE}\W+(?:\w+\W+)?(?:pain\w*|sore|hurts?|tender|dolor\w*)\b"
    rf"|\b(?:pain|hurts?|hurting|dolor|duele)\W+(?:\w+\W+)?{_SEVERE}\b"
    r"|\bhurts?\W+(?:so\W+bad|like\W+hell|a\W+lot)|\bme\W+duele\W+(?:mucho|muchisimo|horrible)"
    # much worse counts as severe: "belly pain is way worse today"
    r"|\b(?:pain|dolor)\W+(?:\w+\W+){0,2}?(?:way|much|a\W+lot|so\W+much|mucho)\W+(?:worse|peor)\b"
)
# Confusion, which is an emergency when it began within days ("since noon she's been confused").
_CONFUSION = re.compile(
    r"\b(?:confused|disoriented|confundid[oa]|desorientad[oa])\b"
    r"(?!\W+(?:about|by|with|on|why|what|how|if|as|because|bc|regarding|con|sobre|por|de)\b)"
)
# When a symptom began, said as a time of day, a day, or a count of minutes, hours or days.
_ONSET_ANCHOR = re.compile(
    r"\b(?:right\W+now|just\W+now|just\W+(?:started|happened|began)|today|tonight|this\W+(?:morning"
    r"|afternoon|evening)|last\W+night|yesterday|overnight|since\W+(?:about\W+|around\W+)?(?:lunch|breakfast|noon|dinner"
    r"|\d{1,2}(?::\d\d)?\W*(?:am|pm)?)|(?:a\W+)?(?:few|couple\W+(?:of\W+)?)(?:min\w*|hours|days)"
    r"|half\W+an\W+hour|media\W+hora|ahorita|ahora\W+mismo|hoy|esta\W+(?:manana|tarde|noche)|anoche"
    r"|ayer|desde\W+(?:temprano|la\W+manana)|hace\W+(?:un\W+)?rato|hace\W+poco"
    r"|un\W+par\W+de\W+(?:dias|horas))\b"
)
_SPAN_UNIT = r"(min\w*|hours?|hrs?|horas?|days?|dias?)"
_ONSET_COUNT = re.compile(
    rf"\b(?:for|past|last|hace|desde\W+hace)\W+(?:the\W+)?(?:past\W+|last\W+)?(?:like\W+|about\W+"
    rf"|como\W+)?{_COUNT}\W+{_SPAN_UNIT}\b|\b{_COUNT}\W+{_SPAN_UNIT}\W+(?:ago|atras)\b"
)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _said_as_temperature(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 40) : start]
    after = folded[end : end + 20]
    return bool(_TEMPERATURE_CUE.search(before) or _TEMPERATURE_AFTER.search(after))


def _is_fever(value: float, unit: str | None) -> bool:
    fahrenheit = unit == "f" or (unit is None and value > 50)
    return (fahrenheit and FEVER_F <= value <= 108) or (not fahrenheit and FEVER_C <= value <= 43)


def _spelled_readings(folded: str) -> list[tuple[float, tuple[int, int]]]:
    """Temperatures said in words, as voicemail transcripts and some patients write them."""
    found = []
    for match in _SPELLED_HUNDREDS.finditer(folded):
        ones = next((group for group in match.groups()[:3] if group), None)
        tenths = match.group(4)
        value = 100 + (_NUMBER_WORDS[ones] if ones else 0)
        value += _NUMBER_WORDS[tenths] / 10 if tenths else 0
        found.append((value, match.span()))
    for match in _SPELLED_CELSIUS.finditer(folded):
        value = 40.0 if match.group(2) else 30 + _NUMBER_WORDS[match.group(1)]
        found.append((value, match.span()))
    return found


def _fever_readings(folded: str) -> list[tuple[int, int]]:
    found = []
    for match in _READING.finditer(folded):
        value = float(match.group(1).replace(",", "."))
        unit = match.group(2)
        if not unit and not _said_as_temperature(folded, *match.span()):
            continue
        if _is_fever(value, unit):
            found.append(match.span())
    for value, span in _spelled_readings(folded):
        if _said_as_temperature(folded, *span) and _is_fever(value, None):
            found.append(span)
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


def _severe_pain(folded: str) -> list[tuple[int, int]]:
    """Pain at 7 of 10 or more, or said to be severe in words."""
    found = []
    for match in _PAIN_SCORE.finditer(folded):
        group = 1 if match.group(1) else 2
        if int(match.group(group)) >= SEVERE_PAIN:
            found.append((match.start(group), match.end()))
    return found + [match.span() for match in _PAIN_IN_WORDS.finditer(folded)]


def recent_onset(folded: str, spans: tuple[tuple[int, int], ...]) -> str | None:
    """The words saying that a symptom at `spans` began within the last RECENT_DAYS days
    ("since yesterday", "hace media hora", "for 2 hours"), read in its sentence's
    neighbourhood; None when no such onset is said."""
    start = max(0, min(s for s, _ in spans) - ONSET_WINDOW)
    end = max(e for _, e in spans) + ONSET_WINDOW
    if anchor := _ONSET_ANCHOR.search(folded, start, end):
        return anchor.group()
    for match in _ONSET_COUNT.finditer(folded, start, end):
        count, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        days = unit.startswith(("day", "dia"))
        if not days or _count(count) <= RECENT_DAYS:
            return match.group()
    return None


_SINCE = re.compile(r"\b(?:since|desde)\b")


def without_onsets(folded: str) -> str:
    """The text with every "since yesterday", "hace media hora", "for 2 hours" blanked: what the
    learned urgent detector reads. When a symptom began is the rules' to judge (R2, above); a
    model that reads the words learns "since yesterday" as an emergency from batches whose
    emergencies began yesterday, and raises an earache begun yesterday to urgent."""
    for pattern in (_ONSET_ANCHOR, _ONSET_COUNT, _SINCE):
        folded = pattern.sub(lambda match: " " * len(match.group()), folded)
    return folded


def measured_flags(msg: Message) -> list[tuple[str, tuple[tuple[int, int], ...], str, bool]]:
    """(red-flag label, the spans ConText judges, the words to quote, whether its fever is a
    reading) for each threshold the message's numbers cross, and for confusion begun within days.

    A reading is a fact, not a statement a "not" nearby could negate ("9/10 and not touched by
    the oxycodone"); a fever word can be ("no fever"). The procedure is quoted, not judged: it
    is in the past by nature ("surgery last week"), the fever and the pain are what is now.
    """
    folded = msg.folded
    flags = []
    for match in _CONFUSION.finditer(folded):
        if onset := recent_onset(folded, (match.span(),)):
            quote = f'"{msg.quote(*match.span())}" + "{onset}"'
            flags.append(("sudden confusion", (match.span(),), quote, False))
            break
    readings = _fever_readings(folded)
    fevers = readings or [m.span() for m in _FEVER_WORD.finditer(folded)]
    if not fevers:
        return flags
    if ages := _infant_ages(folded):
        spans = (ages[0], fevers[0])
        flags.append(("fever in a baby under 3 months", spans, _quote(msg, spans), bool(readings)))
    if (pain := _severe_pain(folded)) and (procedure := _PROCEDURE.search(folded)):
        quote = _quote(msg, (procedure.span(), fevers[0], pain[0]))
        flags.append((AFTER_PROCEDURE, (fevers[0], pain[0]), quote, bool(readings)))
    return flags


def _quote(msg: Message, spans) -> str:
    return " + ".join(f'"{msg.quote(*span)}"' for span in spans)
