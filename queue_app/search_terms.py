"""What staff type into a search box, read into terms: names, dates of birth, phones, MRNs and
item references, in any order ("gomez 3/14/1961", "(555) 123-4567", "March 14 1961").

Pure functions: nothing here reads the database.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import phonenumbers

from queue_app.search import fold

MAX_TERMS = 6
# A name word shorter than this is not searched: "%a%" would match every patient.
MIN_NAME_LENGTH = 2
# An item reference as shown on screen: the first 8 hex digits of the item's code.
REFERENCE_LENGTH = 8

MONTHS = {
    **dict.fromkeys(("january", "jan", "enero", "ene"), 1),
    **dict.fromkeys(("february", "feb", "febrero"), 2),
    **dict.fromkeys(("march", "mar", "marzo"), 3),
    **dict.fromkeys(("april", "apr", "abril", "abr"), 4),
    **dict.fromkeys(("may", "mayo"), 5),
    **dict.fromkeys(("june", "jun", "junio"), 6),
    **dict.fromkeys(("july", "jul", "julio"), 7),
    **dict.fromkeys(("august", "aug", "agosto", "ago"), 8),
    **dict.fromkeys(("september", "sep", "sept", "septiembre", "setiembre"), 9),
    **dict.fromkeys(("october", "oct", "octubre"), 10),
    **dict.fromkeys(("november", "nov", "noviembre"), 11),
    **dict.fromkeys(("december", "dec", "diciembre", "dic"), 12),
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    ("iso", re.compile(r"(?<![\w/.-])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\w/.-])")),
    ("numeric", re.compile(r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\w/.-])")),
    ("month_first", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b")),
    ("day_first", re.compile(rf"\b{_DAY}(?:\s+de)?\s+{_MONTH},?(?:\s+de(?:l)?)?\s+(\d{{4}})\b")),
)
# Digits with the separators people type in phone numbers; dates are taken out first.
PHONE_PATTERN = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().-]{5,}\d(?![\w/])")
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
REFERENCE_PATTERN = re.compile(rf"^#?(?=[0-9a-f]*\d)[0-9a-f]{{{REFERENCE_LENGTH}}}$")


@dataclass(frozen=True)
class Word:
    """A word that is a name's part, or an MRN exactly as typed, or an item's reference."""

    folded: str
    typed: str
    code: tuple[UUID, UUID] | None = None


@dataclass(frozen=True)
class SearchTerms:
    words: tuple[Word, ...] = ()
    # Each date typed, as the dates it can mean (two for "3/4/1961", none for "13/13/1961").
    dates: tuple[tuple[date, ...], ...] = ()
    phones: tuple[str, ...] = ()  # E.164
    # Item codes: (lowest, highest) of each reference typed.
    codes: tuple[tuple[UUID, UUID], ...] = ()
    # How something typed was read, when it could be read more than one way.
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.words or self.dates or self.phones or self.codes)


def _year(text: str, today: date) -> int:
    if len(text) == 4:
        return int(text)
    # "3/14/61": a birth date is never in the future.
    century = 2000 if int(text) <= today.year % 100 else 1900
    return century + int(text)


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _readings(kind: str, groups: tuple[str, ...], today: date) -> list[date]:
    if kind == "iso":
        found = [_date_or_none(int(groups[0]), int(groups[1]), int(groups[2]))]
    elif kind == "numeric":
        first, second, year = int(groups[0]), int(groups[1]), _year(groups[2], today)
        # Month first (the US way) before day first; both are searched when both are dates.
        found = [_date_or_none(year, first, second), _date_or_none(year, second, first)]
    elif kind == "month_first":
        found = [_date_or_none(int(groups[2]), MONTHS[groups[0]], int(groups[1]))]
    else:
        found = [_date_or_none(int(groups[2]), MONTHS[groups[1]], int(groups[0]))]
    return list(dict.fromkeys(d for d in found if d is not None))


def _take_dates(text: str, today: date) -> tuple[str, list[tuple[date, ...]], list[str]]:
    dates, notes = [], []
    for kind, pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            readings = _readings(kind, match.groups(), today)
            dates.append(tuple(readings))
            if len(readings) > 1:
                spelled = " or ".join(f"{d:%-d %B %Y}" for d in readings)
                notes.append(f"{match.group(0)} can be {spelled}: both are searched.")
            elif not readings:
                notes.append(f"{match.group(0)} is not a date: nobody matches it.")
        text = pattern.sub(" ", text)
    return text, dates, notes


def _take_phones(text: str, region: str) -> tuple[str, list[str]]:
    phones = []

    def replace(match: re.Match) -> str:
        candidate = match.group(0)
        if not 7 <= sum(c.isdigit() for c in candidate) <= 15:
            return candidate
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            return candidate
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
            return candidate  # maybe an MRN: left to the words
        phones.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        return " "

    return PHONE_PATTERN.sub(replace, text), phones


def _code_range(token: str) -> tuple[UUID, UUID] | None:
    hex_digits = token.replace("-", "").lstrip("#")
    if UUID_PATTERN.match(token):
        return UUID(hex_digits), UUID(hex_digits)
    if REFERENCE_PATTERN.match(token):
        rest = 32 - REFERENCE_LENGTH
        return UUID(hex_digits + "0" * rest), UUID(hex_digits + "f" * rest)
    return None


def parse_query(query: str, *, region: str = "US", today: date | None = None) -> SearchTerms:
    """Read a search box's text into terms. Every term must match (AND); a word matches a
    name (accents, case and position ignored) or an MRN as typed."""
    today = today or date.today()
    text = fold(query.strip())[:200]
    text, dates, notes = _take_dates(text, today)
    text, phones = _take_phones(text, region)
    words, codes = [], []
    typed = {fold(t): t for t in query.split()}
    for token in text.replace(",", " ").split():
        code = _code_range(token)
        if code is not None and not REFERENCE_PATTERN.match(token):
            codes.append(code)
        elif len(token) >= MIN_NAME_LENGTH or code is not None:
            words.append(Word(folded=token, typed=typed.get(token, token), code=code))
    return SearchTerms(
        words=tuple(words[:MAX_TERMS]),
        dates=tuple(dates[:MAX_TERMS]),
        phones=tuple(phones[:MAX_TERMS]),
        codes=tuple(codes[:MAX_TERMS]),
        notes=tuple(notes),
    )


def reference(code: UUID) -> str:
    """How an item's code is shown to staff, and typed back into the search."""
    return code.hex[:REFERENCE_LENGTH].upper()
