"""The composer: the responses the assistant may send at this moment of an item, and sending
the one they chose (an approved template, the escalation's holding script, or their own words).

Every choice goes the one way a send goes (`working.queue_outbound`: under the item's lock,
one message per compose token, the channel rules, the outbox). What the playbook did not
approve word for word, free text and values typed in for a blank, is judged by the templates'
own lint (`templates_lib.lint`) and refused where it refuses.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from escalation.services import open_escalation
from queue_app.clock import zone
from queue_app.models import Message, WorkItem
from queue_app.services.shared import ActionRefused, locked
from queue_app.services.working import (
    NOT_GONE,
    REPEAT_WINDOW,
    Outbound,
    SendResult,
    already_sent,
    channel_decision,
    queue_outbound,
    require_sendable,
    send_key,
)
from templates_lib.channel_rules import check_send_channels
from templates_lib.lint import LintIssue, has_errors, lint_template
from templates_lib.models import Purpose, ResponseTemplate
from templates_lib.rendering import MissingValueError, render
from templates_lib.segments import SegmentInfo, count_segments
from templates_lib.services import approved_templates
from templates_lib.values import format_date, format_time, item_values, value_names

WRITTEN = (Message.Channel.SMS, Message.Channel.PORTAL, Message.Channel.EMAIL)
FREE = "free"
SCRIPT = "script"
# Message.purpose of the composer's sends that are not an approved template; QA samples
# every item with a free-text send (notes.services).
FREE_TEXT_PURPOSE = Message.FREE_TEXT
HOLDING_PURPOSE = "holding_script"
# Free text is judged as a follow-up: every safety rule, without the first response's parts.
LINT_PURPOSE = "follow_up"
MAX_TEXT = 1000
# Any link, with or without its scheme: "https://...", "www....", "portal-help.com/x".
LINK_RE = re.compile(
    r"https?://|\bwww\.|\b[a-z0-9-]+\.(com|org|net|ly|io|co|us|gov|edu|info|me|link|health)\b",
    re.IGNORECASE,
)
# Playbook order: what a routine item needs first comes first.
PURPOSE_ORDER = [
    Purpose.FIRST_RESPONSE,
    Purpose.FOLLOW_UP,
    Purpose.FORM_REMINDER,
    Purpose.CONFIRMATION_REQUEST,
    Purpose.REMINDER,
    Purpose.TELEHEALTH_LINK,
    Purpose.CALLBACK_FALLBACK,
]
CHANNEL_NAMES = {
    Message.Channel.SMS: "SMS",
    Message.Channel.PORTAL: "Portal",
    Message.Channel.EMAIL: "Email",
}
# Values an assistant may type in for one message when none is on file, and the longest each
# may be. The practice's own values and the next update always exist.
TYPED_VALUES = {
    "first_name": 40,
    "appointment_date": 10,
    "appointment_time": 8,
    "provider_name": 80,
    "telehealth_link": 200,
    "missing_items": 200,
    "callback_window": 80,
    "location": 120,
}
INPUT_TYPES = {"appointment_date": "date", "appointment_time": "time", "telehealth_link": "url"}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
TIME_FORMATS = ("%H:%M", "%I:%M %p", "%I:%M%p", "%I %p")


@dataclass
class Option:
    """One response the picker offers, with its preview for this patient."""

    key: str
    label: str
    channel: str
    template: ResponseTemplate | None = None
    script: str = ""
    body: str = ""  # filled for this patient, once identity is verified
    missing: list[str] = field(default_factory=list)
    refusal: str = ""
    not_before: datetime | None = None
    sent: Message | None = None
    inputs: list[dict] = field(default_factory=list)  # missing_inputs with what was typed

    @property
    def sendable(self) -> bool:
        return self.sent is None and (not self.refusal or self.not_before is not None)

    @property
    def missing_inputs(self) -> list[dict]:
        # Inputs are named by position (value:<choice>:<n>): no placeholder key in the page.
        return [
            {
                "index": index,
                "name": name,
                "label": value_names([name]).removeprefix("an ").removeprefix("a ").capitalize(),
                "type": INPUT_TYPES.get(name, "text"),
                "maxlength": TYPED_VALUES.get(name, 80),
            }
            for index, name in enumerate(self.missing)
        ]


@dataclass(frozen=True)
class Composition:
    """What the assistant chose in the composer."""

    choice: str
    channel: str = ""  # free text only: a template or script names its own
    text: str = ""
    values: dict[str, str] = field(default_factory=dict)  # typed in for blank number "0", "1"…


class ComposeRefused(ActionRefused):
    """Refused with the reasons shown beside the box (lint issues) or the inputs (values)."""

    def __init__(
        self, message: str, *, issues: list[LintIssue] | None = None, fields: dict | None = None
    ) -> None:
        super().__init__(message)
        self.issues = issues or []
        self.fields = fields or {}


def offered_channels(item: WorkItem) -> tuple[str, ...]:
    """The written channels the composer offers: email only to a patient with an address."""
    has_email = item.patient is not None and bool(item.patient.email)
    return tuple(c for c in WRITTEN if c != Message.Channel.EMAIL or has_email)


def offered_templates(item: WorkItem) -> list[ResponseTemplate]:
    """The moment's approved written templates in the item's language, in playbook order."""
    channels = offered_channels(item)
    slots = approved_templates(moment=item.moment, language=item.language, channels=channels)
    return [
        slots[(purpose, channel)]
        for purpose in PURPOSE_ORDER
        for channel in channels
        if (purpose, channel) in slots
    ]


def holding_script(item: WorkItem) -> str:
    """What the route asks the assistant to tell the patient while the item is escalated."""
    escalation = open_escalation(item)
    return escalation.route.script(item.language).strip() if escalation else ""


def composer_options(*, item: WorkItem, now: datetime, sent: list[Message]) -> list[Option]:
    """Every response the picker offers now, each previewed for this patient."""
    options = []
    script = holding_script(item)
    if script:
        options += [
            Option(
                key=f"{SCRIPT}:{channel}",
                label=f"While escalated: tell the patient · {CHANNEL_NAMES[channel]}",
                channel=channel,
                script=script,
            )
            for channel in offered_channels(item)
        ]
    options += [
        Option(
            key=f"template:{template.code}",
            label=f"{template.get_purpose_display()} · {CHANNEL_NAMES[template.channel]}",
            channel=template.channel,
            template=template,
        )
        for template in offered_templates(item)
    ]
    values = item_values(item, now) if item.patient is not None else {}
    recent = [m for m in sent if m.created >= now - REPEAT_WINDOW and m.status not in NOT_GONE]
    decisions = (
        check_send_channels(item=item, channels=[o.channel for o in options], now=now)
        if item.patient is not None
        else {}
    )
    for option in options:
        if item.patient is None:
            option.refusal = "No patient on file to write to."
            continue
        decision = decisions[option.channel]
        option.refusal, option.not_before = decision.reason, decision.not_before
        if item.identity_verified_at is None:
            continue
        option.body, option.missing = preview(option, values)
        option.sent = next(
            (m for m in recent if (m.channel, m.body) == (option.channel, option.body)), None
        )
    return options


def preview(option: Option, values: dict[str, str]) -> tuple[str, list[str]]:
    """The body filled with what is on file; blanks stay as placeholders and are named."""
    if option.template is None:
        return option.script, []
    try:
        return render(option.template.body, values), []
    except MissingValueError as exc:
        # The blanks read as words in brackets until the assistant fills them in.
        shown = {name: f"[{value_names([name])}]" for name in exc.names}
        return render(option.template.body, {**values, **shown}), list(exc.names)


def default_choice(options: list[Option], item: WorkItem) -> str:
    """The choice a routine send needs: the holding script while escalated, otherwise the
    first response on the channel the patient used (SMS for a call), complete ones first."""
    usable = [o for o in options if o.sendable]
    # A first response goes once: after one went by either channel, the other is no default.
    if any(o.sent and _purpose(o) == Purpose.FIRST_RESPONSE for o in options):
        usable = [o for o in usable if _purpose(o) != Purpose.FIRST_RESPONSE]
    preferred = item.channel if item.channel in WRITTEN else Message.Channel.SMS
    # A response with a blank still beats free text: its inputs ask for the value inline.
    ranked = sorted(
        usable, key=lambda o: (o.template is not None, bool(o.missing), o.channel != preferred)
    )
    return ranked[0].key if ranked else FREE


def _purpose(option: Option) -> str:
    return option.template.purpose if option.template is not None else ""


@dataclass(frozen=True)
class TextCheck:
    """The lint of a text as typed: issues, and what it costs as an SMS."""

    issues: list[LintIssue]
    segments: SegmentInfo | None

    @property
    def refused(self) -> bool:
        return has_errors(self.issues)


def check_text(*, text: str, channel: str, language: str) -> TextCheck:
    """The templates' lint on free text: PHI on SMS, clinical advice, promises, links, opt-out
    words, length; placeholders are for templates, so braces are refused here."""
    text = text.replace("\r\n", "\n").strip()
    if channel not in WRITTEN:
        channel = Message.Channel.SMS
    issues = lint_template(text, language=language, channel=channel, purpose=LINT_PURPOSE)
    issues = [issue for issue in issues if issue.rule != "placeholders"]
    if re.search(r"[{}]", text):
        issues.insert(
            0,
            LintIssue(
                "placeholders",
                "error",
                "Write the words out: placeholders such as {first_name} belong to templates",
            ),
        )
    if LINK_RE.search(text) and not any(issue.rule == "links" for issue in issues):
        issues.append(
            LintIssue(
                "links",
                "error",
                "No links in your own words: a link goes to a patient only in an approved "
                "template (the video visit link), so they can trust where it leads",
            )
        )
    if len(text) > MAX_TEXT:
        issues.append(LintIssue("length", "error", f"Keep it under {MAX_TEXT} characters"))
    segments = count_segments(text) if channel == Message.Channel.SMS and text else None
    return TextCheck(issues, segments)


def clean_value(name: str, raw: str, *, tz_name: str, language: str) -> str:
    """A value typed for one message, checked and written the way the playbook writes it.
    Dates and times are read in the practice's time zone. Raises ValueError in plain words."""
    raw = " ".join(raw.split())
    if not raw:
        raise ValueError("Fill this in, or choose another response.")
    if name not in TYPED_VALUES:
        raise ValueError("This value can't be typed in.")
    if len(raw) > TYPED_VALUES[name] or re.search(r"[{}<>]", raw):
        raise ValueError("That is not a value this message can carry.")
    if name == "appointment_date":
        day = _parse(raw, DATE_FORMATS, lambda text, fmt: datetime.strptime(text, fmt).date())
        at = datetime.combine(day, time(12), tzinfo=zone(tz_name))
        return format_date(at, tz_name, language)
    if name == "appointment_time":
        clock = _parse(
            raw.upper(), TIME_FORMATS, lambda text, fmt: datetime.strptime(text, fmt).time()
        )
        at = datetime.combine(date(2026, 1, 1), clock, tzinfo=zone(tz_name))
        return format_time(at, tz_name, language)
    if name == "telehealth_link":
        try:
            URLValidator(schemes=["https"])(raw)
        except ValidationError as exc:
            raise ValueError("Give the full link, starting with https://") from exc
    return raw


def _parse(raw: str, formats: tuple[str, ...], parse) -> object:
    for fmt in formats:
        try:
            return parse(raw, fmt)
        except ValueError:
            continue
    raise ValueError("Not a date or time this understands (e.g. 2026-03-09, 14:30).")


def typed_values(
    *, option: Option, item: WorkItem, composition: Composition, on_file: dict[str, str]
) -> dict[str, str]:
    """The blanks of this template filled from what was typed; every bad value at once."""
    try:
        render(option.template.body, on_file)
    except MissingValueError as exc:
        blanks = exc.names  # in order of first use: the order the inputs were rendered in
    else:
        return {}
    cleaned, errors = {}, {}
    for index, name in enumerate(blanks):
        try:
            cleaned[name] = clean_value(
                name,
                composition.values.get(str(index), ""),
                tz_name=item.practice.timezone,
                language=item.language,
            )
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ComposeRefused(
            f"This response needs {value_names(list(errors))}; nothing was sent.", fields=errors
        )
    return cleaned


def outbound_for(*, item: WorkItem, composition: Composition, now: datetime) -> Outbound:
    """The text the composition stands for, checked; raises ComposeRefused saying why."""
    if composition.choice == FREE:
        check = check_text(
            text=composition.text, channel=composition.channel, language=item.language
        )
        text = composition.text.replace("\r\n", "\n").strip()
        if not text:
            raise ComposeRefused("Write the message first.")
        if composition.channel not in offered_channels(item):
            raise ComposeRefused("Choose SMS, portal or email for your message.")
        if check.refused:
            raise ComposeRefused(
                "Your message was not sent: fix what is marked below.", issues=check.issues
            )
        return Outbound(
            channel=composition.channel,
            body=text,
            language=item.language,
            purpose=FREE_TEXT_PURPOSE,
        )
    option = next(
        (o for o in composer_options(item=item, now=now, sent=[]) if o.key == composition.choice),
        None,
    )
    if option is None:
        raise ComposeRefused("That response is no longer offered; choose another.")
    if option.template is None:
        check = check_text(text=option.script, channel=option.channel, language=item.language)
        if check.refused:
            raise ComposeRefused(
                "The route's script can't go by this channel: " + check.issues[0].message
            )
        return Outbound(
            channel=option.channel,
            body=option.script,
            language=item.language,
            purpose=HOLDING_PURPOSE,
        )
    on_file = item_values(item, now)
    typed = typed_values(option=option, item=item, composition=composition, on_file=on_file)
    body = render(option.template.body, {**on_file, **typed})
    if typed:
        issues = lint_template(
            body, language=item.language, channel=option.channel, purpose=option.template.purpose
        )
        if has_errors(issues):
            raise ComposeRefused(
                "With the values typed in, this message breaks the playbook's rules; "
                "nothing was sent.",
                issues=[i for i in issues if i.severity == "error"],
            )
    return Outbound(
        channel=option.channel,
        body=body,
        language=option.template.language,
        template=option.template,
        details={"typed": sorted(typed)} if typed else {},
    )


@transaction.atomic
def send_composition(
    *, item: WorkItem, actor: User, composition: Composition, token: UUID, now: datetime
) -> SendResult:
    """Send what the composer holds, once per compose token, through the one send path."""
    fresh = locked(item)
    key = send_key(item, token)
    first = already_sent(key)
    if first is not None:
        return first
    require_sendable(fresh, actor)
    outbound = outbound_for(item=fresh, composition=composition, now=now)
    decision = channel_decision(fresh, outbound.channel, now)
    result = queue_outbound(
        item=fresh, actor=actor, outbound=outbound, decision=decision, key=key, now=now
    )
    item.refresh_from_db()
    return result
