"""Placeholder validation and rendering for approved response templates.

A template body is data: `{first_name}`-style placeholders from a fixed vocabulary are
replaced in one regex pass. Never str.format or the Django template engine, which would give
a template author (or a patient whose text ends up in a value) attribute access such as
`{0.__class__}` and re-expansion of placeholders inside values.
"""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDERS: dict[str, str] = {
    "first_name": "Patient's first name (preferred name if recorded)",
    "practice_name": "Practice name as patients know it",
    "practice_phone": "Practice callback number",
    "appointment_date": "Appointment date, short form (Wed, Sep 30)",
    "appointment_time": "Appointment time with AM/PM",
    "provider_name": "Provider the visit is with",
    "telehealth_link": "Join link for the video visit",
    "missing_items": "Exactly what is still needed from the patient",
    "next_update": "When the patient hears from the practice next (by 3 PM today)",
    "callback_window": "When the practice will call (between 1 PM and 3 PM)",
    "location": "Where the visit takes place",
}

# Realistic values for previews.
SAMPLE_VALUES: dict[str, str] = {
    "first_name": "Ana",
    "practice_name": "Lakeside Family Medicine",
    "practice_phone": "(555) 555-0142",
    "appointment_date": "Tue, Jun 9",
    "appointment_time": "10:30 AM",
    "provider_name": "Dr. Patel",
    "telehealth_link": "https://visit.example.com/j/4821",
    "missing_items": "a photo of your insurance card",
    "next_update": "by 3 PM today",
    "callback_window": "between 1 PM and 3 PM",
    "location": "200 Main St, Suite 4",
}

# The longest plausible values, used for SMS length budgets. Plain ASCII on purpose: a
# budget measures the template's own characters, and an accent here would force UCS-2.
LONGEST_VALUES: dict[str, str] = {
    "first_name": "Maria Fernanda",
    "practice_name": "Riverside Family Medicine",
    "practice_phone": "(555) 555-0123",
    "appointment_date": "Wed, Sep 30",
    "appointment_time": "10:45 AM",
    "provider_name": "Dr. Alexandra Montgomery",
    "telehealth_link": "https://telehealth.example.com/v/AB12CD34EF",
    "missing_items": "photo ID and both sides of your insurance card",
    "next_update": "tomorrow by 12 PM",
    "callback_window": "between 11 AM and 1 PM",
    "location": "1200 Riverside Medical Plaza, Suite 310",
}

NAME = r"[a-z_][a-z0-9_]*"
# A well-formed placeholder: single braces around a plain lowercase name.
PLACEHOLDER_RE = re.compile(r"\{(" + NAME + r")\}")
# Everything brace- or dollar-shaped, in priority order, so each token is judged once.
_TOKEN_RE = re.compile(
    r"(?P<django>\{\{.*?\}\}|\{%.*?%\})"
    r"|(?P<dollar>\$\{[^{}\n]*\}|\$[A-Za-z_]\w*)"
    r"|(?P<field>\{[^{}\n]*\})"
    r"|(?P<brace>[{}])"
)
# Attribute access, indexing, conversion and format specs all mean str.format-style syntax.
_FORMAT_SYNTAX = re.compile(r"[.\[\]!:]")


@dataclass(frozen=True)
class Problem:
    line: int
    name: str
    message: str


class PlaceholderError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


class MissingValueError(ValueError):
    def __init__(self, names: list[str]) -> None:
        self.names = names
        listed = ", ".join("{" + name + "}" for name in names)
        super().__init__(f"No value for {listed}; a message with a blank is never sent")


def find_placeholders(body: str) -> list[tuple[int, str]]:
    """(line, name) of every well-formed single-brace placeholder, known or not."""
    found = []
    for line_no, line in enumerate(body.splitlines(), start=1):
        for match in _TOKEN_RE.finditer(line):
            field = match.group("field")
            if field and PLACEHOLDER_RE.fullmatch(field):
                found.append((line_no, field[1:-1]))
    return found


def validate_template(body: str) -> list[Problem]:
    """Every placeholder problem in a template body, one per offending token."""
    problems = []
    for line_no, line in enumerate(body.splitlines(), start=1):
        for match in _TOKEN_RE.finditer(line):
            problem = _judge(line_no, match)
            if problem:
                problems.append(problem)
    return problems


def render(body: str, values: Mapping[str, str]) -> str:
    """Fill a template's placeholders in one pass; refuse invalid templates and blanks."""
    problems = validate_template(body)
    if problems:
        raise PlaceholderError(problems)
    used = list(dict.fromkeys(name for _, name in find_placeholders(body)))
    missing = [name for name in used if not (values.get(name) or "").strip()]
    if missing:
        raise MissingValueError(missing)
    # Braces in a value (patient-typed text) become parentheses, so the body that leaves
    # can never carry anything placeholder-shaped.
    safe = {name: values[name].replace("{", "(").replace("}", ")") for name in used}
    rendered = _substitute(body, safe)
    # Defence in depth for the send path: validation above should make this unreachable.
    if "{" in rendered or "}" in rendered:
        raise PlaceholderError([Problem(0, "", "Rendered text still contains a brace")])
    return rendered


def _substitute(body: str, values: Mapping[str, str]) -> str:
    """Fill placeholders; a value that ends a sentence itself ("10:00 a. m.") absorbs the
    template's own period after it, so no text reads "a. m..".
    """
    parts, position = [], 0
    for match in PLACEHOLDER_RE.finditer(body):
        value = values[match.group(1)]
        parts.append(body[position : match.start()] + value)
        position = match.end()
        if value.endswith(".") and body.startswith(".", position):
            position += 1
    parts.append(body[position:])
    return "".join(parts)


def _judge(line_no: int, match: re.Match[str]) -> Problem | None:
    token = match.group(0)
    kind = match.lastgroup
    if kind == "django":
        inner = token[2:-2].strip(" %")
        return _problem(line_no, inner, f"{token} is Django template syntax; write {{{inner}}}")
    if kind == "dollar":
        inner = token.strip("${}")
        return _problem(line_no, inner, f"{token} is $-style; write {{{inner}}}")
    if kind == "brace":
        return _problem(line_no, token, f"unbalanced {token!r}; placeholders look like {{name}}")
    inner = token[1:-1]
    if inner in PLACEHOLDERS:
        return None
    if not inner.strip():
        return _problem(line_no, inner, "empty placeholder {}")
    if _FORMAT_SYNTAX.search(inner):
        return _problem(
            line_no,
            inner,
            f"{token} is not allowed: placeholders are plain names, without attributes, "
            "indexes, conversions or format specs",
        )
    return _problem(line_no, inner, f"unknown placeholder {token}{_suggestion(inner)}")


def _problem(line_no: int, name: str, text: str) -> Problem:
    allowed = ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS))
    return Problem(line=line_no, name=name, message=f"Line {line_no}: {text}; allowed: {allowed}")


def _suggestion(name: str) -> str:
    close = difflib.get_close_matches(name.strip().lower(), PLACEHOLDERS, n=1)
    return f" (did you mean {{{close[0]}}}?)" if close else ""
