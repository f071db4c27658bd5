"""Read-only helpers of the playbook pages: live preview, go-live slots and version diffs.

Nothing here changes state; the changes are in templates_lib.services.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from queue_app.models import CommunicationMoment, Language
from templates_lib.lint import LintIssue, lint_template
from templates_lib.models import Purpose, ResponseTemplate, TemplateChannel
from templates_lib.rendering import SAMPLE_VALUES, MissingValueError, PlaceholderError, render
from templates_lib.segments import SegmentInfo, count_segments

SPANISH_SAMPLE_VALUES: dict[str, str] = {
    **SAMPLE_VALUES,
    "appointment_date": "mar 9 jun",
    "appointment_time": "10:30 a. m.",
    "provider_name": "Dra. Patel",
    "missing_items": "una foto de su tarjeta de seguro",
    "next_update": "hoy antes de las 3:00 p. m.",
    "callback_window": "entre la 1 y las 3 p. m.",
    "location": "200 Main St, Suite 4",
}


def sample_values(language: str) -> dict[str, str]:
    return dict(SPANISH_SAMPLE_VALUES if language == "es" else SAMPLE_VALUES)


@dataclass(frozen=True)
class Preview:
    rendered: str
    render_error: str
    issues: list[LintIssue]
    segments: SegmentInfo | None

    @property
    def errors(self) -> list[LintIssue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[LintIssue]:
        return [issue for issue in self.issues if issue.severity != "error"]


def preview_template(*, body: str, language: str, channel: str, purpose: str) -> Preview:
    """The body rendered for a sample patient, its lint and (for SMS) its segments."""
    body = body.replace("\r\n", "\n")
    issues = lint_template(body, language=language, channel=channel, purpose=purpose)
    try:
        rendered, render_error = render(body, sample_values(language)), ""
    except (PlaceholderError, MissingValueError) as error:
        rendered, render_error = "", str(error)
    segments = count_segments(rendered or body) if channel == TemplateChannel.SMS else None
    return Preview(rendered, render_error, issues, segments)


@dataclass
class Slot:
    """One moment × channel × purpose, with its versions per language."""

    channel: str
    purpose: str
    approved: dict[str, ResponseTemplate]
    drafts: dict[str, list[ResponseTemplate]]
    languages: list[str]

    @property
    def missing_languages(self) -> list[str]:
        return [lang for lang in self.languages if lang not in self.approved]

    @property
    def is_live(self) -> bool:
        """The bilingual go-live rule of approved_template, for display."""
        return bool(self.approved) and not self.missing_languages

    @property
    def label(self) -> str:
        return f"{TemplateChannel(self.channel).label} · {Purpose(self.purpose).label}"

    @property
    def missing_labels(self) -> list[str]:
        return [Language(lang).label for lang in self.missing_languages]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Per practice language: its approved version and open drafts."""
        return [
            {
                "language": lang,
                "label": Language(lang).label,
                "approved": self.approved.get(lang),
                "drafts": self.drafts.get(lang, []),
            }
            for lang in self.languages
        ]


def moment_slots(moment: CommunicationMoment, templates: list[ResponseTemplate]) -> list[Slot]:
    """Group a moment's (prefetched) templates into slots, in channel and purpose order."""
    languages = list(moment.practice.languages)
    slots: dict[tuple[str, str], Slot] = {}
    for template in templates:
        slot = slots.setdefault(
            (template.channel, template.purpose),
            Slot(template.channel, template.purpose, {}, {}, languages),
        )
        if template.status == ResponseTemplate.Status.APPROVED:
            slot.approved[template.language] = template
        elif template.status == ResponseTemplate.Status.DRAFT:
            slot.drafts.setdefault(template.language, []).append(template)
    order = {c: i for i, c in enumerate(TemplateChannel.values)}
    purposes = {p: i for i, p in enumerate(Purpose.values)}
    return sorted(slots.values(), key=lambda s: (order[s.channel], purposes[s.purpose]))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs, op in equal/insert/delete: a word-level diff of two bodies.

    Text is returned raw; the page's autoescaping makes it safe HTML.
    """
    a, b = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            runs.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("insert", "".join(b[j1:j2])))
        if op == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
    return runs
