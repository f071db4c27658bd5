"""State changes of the playbook: the default copy, template versions, moments, channel rules
and the consent ledger. The pages' read-only helpers are in templates_lib.reading.
"""

import hashlib
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from queue_app.access import PLAYBOOK, user_can
from queue_app.audit import record_service_action
from queue_app.lanes import NOTE_ELEMENTS
from queue_app.models import (
    AuditEvent,
    CommunicationMoment,
    Consent,
    Patient,
    Practice,
    WorkItem,
)
from templates_lib.default_playbook import (
    CHANNELS,
    DEFAULT_MOMENTS,
    LANGUAGES,
    RHYTHM_BLOCKS,
    ROUTES,
    VERIFICATION_FIELDS,
)
from templates_lib.lint import LintIssue, lint_template
from templates_lib.models import ChannelRule, Purpose, ResponseTemplate, TemplateChannel
from templates_lib.rendering import (
    Problem,
    render,
    validate_template,
)
from templates_lib.values import item_values

MOMENT_FIELDS = (
    "name",
    "likely_question",
    "verification_fields",
    "verification_checks",
    "note_elements",
    "note_example",
    "escalation_point",
    "escalation_route",
    "allowed_channels",
    "consent_required_channels",
    "live_call_required",
    "first_response_minutes",
    "rhythm_block",
    "delegated",
)


@transaction.atomic
def install_default_playbook(*, practice: Practice, now: datetime) -> int:
    """Give a practice its own copy of the default playbook; moments it has are kept as they are.

    Returns the number of moments created. Shipped templates are approved as they come, in
    the practice's languages only.
    """
    existing = set(practice.moments.values_list("key", flat=True))
    specs = [spec for spec in DEFAULT_MOMENTS if spec["key"] not in existing]
    # Three inserts in all, whatever the number of moments (PostgreSQL returns the new ids).
    moments = CommunicationMoment.objects.bulk_create(
        CommunicationMoment(
            practice=practice, key=spec["key"], **{f: spec[f] for f in MOMENT_FIELDS}
        )
        for spec in specs
    )
    ChannelRule.objects.bulk_create(
        ChannelRule(
            moment=moment,
            channel=channel,
            allowed=channel in spec["allowed_channels"],
            consent_required=channel in spec["consent_required_channels"],
            # A portal message or an email waits in its inbox; it wakes nobody.
            respects_quiet_hours=channel not in (TemplateChannel.PORTAL, TemplateChannel.EMAIL),
        )
        for moment, spec in zip(moments, specs, strict=True)
        for channel in TemplateChannel.values
    )
    ResponseTemplate.objects.bulk_create(
        ResponseTemplate(
            practice=practice,
            moment=moment,
            language=t["language"],
            channel=t["channel"],
            purpose=t["purpose"],
            version=1,
            body=t["body"],
            status=ResponseTemplate.Status.APPROVED,
            approved_at=now,
            created=now,
        )
        for moment, spec in zip(moments, specs, strict=True)
        for t in spec["templates"]
        if t["language"] in practice.languages
    )
    return len(moments)


def approved_template(
    *, moment: CommunicationMoment, language: str, channel: str, purpose: str = "first_response"
) -> ResponseTemplate | None:
    """The version the queue may offer. A bilingual practice needs every language approved."""
    approved = {
        t.language: t
        for t in ResponseTemplate.objects.filter(
            moment=moment, channel=channel, purpose=purpose, status=ResponseTemplate.Status.APPROVED
        )
    }
    if any(lang not in approved for lang in moment.practice.languages):
        return None
    return approved.get(language)


def approved_templates(
    *, moment: CommunicationMoment, language: str, channels: tuple[str, ...]
) -> dict[tuple[str, str], ResponseTemplate]:
    """Every (purpose, channel) slot the queue may offer in one language, in one query, by
    the rule of `approved_template` (a bilingual practice needs every language approved)."""
    slots: dict[tuple[str, str], dict[str, ResponseTemplate]] = {}
    for template in ResponseTemplate.objects.filter(
        moment=moment, channel__in=channels, status=ResponseTemplate.Status.APPROVED
    ):
        slots.setdefault((template.purpose, template.channel), {})[template.language] = template
    return {
        slot: approved[language]
        for slot, approved in slots.items()
        if language in approved and all(lang in approved for lang in moment.practice.languages)
    }


def render_for_item(*, template: ResponseTemplate, item: WorkItem, now: datetime) -> str:
    """The template filled for this item; raises MissingValueError naming what is missing."""
    return render(template.body, item_values(item, now))


# --------------------------------------------------------------------------- editing
# Every change below is made by an admin of the practice and leaves an AuditEvent naming
# them. Template versions are themselves the history of a template's wording.


class PlaybookError(Exception):
    """A playbook change was refused; str(error) is the message shown to the admin."""


class TemplateRejected(PlaybookError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "; ".join(problem.message for problem in problems)
        super().__init__(f"The template was not saved. {lines}")


class TemplateNotEditable(PlaybookError):
    """An approved or retired version: a change is a new draft."""


class EditConflict(PlaybookError):
    """Someone saved the draft after this form was opened: both versions are kept for a choice."""

    def __init__(self, *, current: ResponseTemplate, submitted_body: str) -> None:
        self.current = current
        self.submitted_body = submitted_body
        super().__init__(
            "This draft was changed by someone else after you opened it. Nothing was "
            "overwritten: compare both versions and save again to keep yours."
        )


class ApprovalRefused(PlaybookError):
    """Self-approval, a non-admin approver, or a version that is not a draft."""


class LintFailed(ApprovalRefused):
    def __init__(self, issues: list[LintIssue]) -> None:
        self.issues = issues
        listed = "; ".join(f"{issue.rule}: {issue.message}" for issue in issues)
        super().__init__(f"The draft can't be approved until its lint errors are fixed. {listed}")


class InvalidPlaybookChange(PlaybookError):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        listed = "; ".join(f"{field}: {message}" for field, message in errors.items())
        super().__init__(f"Nothing was saved. {listed}")


NOT_EDITABLE = {
    ResponseTemplate.Status.APPROVED: "Approved versions can't be edited; a change is a new draft.",
    ResponseTemplate.Status.RETIRED: "Retired versions can't be edited; a change is a new draft.",
}


def version_token(template: ResponseTemplate) -> str:
    """What an edit form carries to prove it was rendered from the current draft."""
    raw = f"{template.pk}:{template.status}:{template.body}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def _audit(
    *, actor: User, practice: Practice, action: str, obj: object, now: datetime, patient_ids=()
) -> None:
    code = getattr(obj, "code", None) or getattr(obj, "key", "")
    AuditEvent.objects.create(
        actor=actor,
        practice=practice,
        action=action,
        object_type=type(obj).__name__,
        object_code=str(code)[:64],
        patient_ids=sorted(set(patient_ids)),
        created=now,
    )


@transaction.atomic
def draft_template(
    *,
    moment: CommunicationMoment,
    language: str,
    channel: str,
    purpose: str,
    body: str,
    author: User,
    now: datetime,
) -> ResponseTemplate:
    """A new draft version of a slot; a body with an unknown placeholder is never stored."""
    errors = _slot_errors(moment=moment, language=language, channel=channel, purpose=purpose)
    if errors:
        raise InvalidPlaybookChange(errors)
    body = _clean_body(body)
    # Serialise version numbering per moment: two admins drafting at once get v2 and v3.
    CommunicationMoment.objects.select_for_update().filter(pk=moment.pk).first()
    latest = ResponseTemplate.objects.filter(
        moment=moment, language=language, channel=channel, purpose=purpose
    ).aggregate(latest=Max("version"))["latest"]
    template = ResponseTemplate.objects.create(
        practice=moment.practice,
        moment=moment,
        language=language,
        channel=channel,
        purpose=purpose,
        version=(latest or 0) + 1,
        body=body,
        status=ResponseTemplate.Status.DRAFT,
        author=author,
        created=now,
    )
    _audit(actor=author, practice=moment.practice, action="template.draft", obj=template, now=now)
    return template


@transaction.atomic
def edit_draft(
    *,
    template: ResponseTemplate,
    body: str,
    author: User,
    expected_version_token: str,
    now: datetime,
) -> ResponseTemplate:
    """Change a draft's wording; approved versions stay as approved, stale forms never win."""
    current = ResponseTemplate.objects.select_for_update().get(pk=template.pk)
    if current.status in NOT_EDITABLE:
        raise TemplateNotEditable(NOT_EDITABLE[current.status])
    if version_token(current) != expected_version_token:
        raise EditConflict(current=current, submitted_body=body)
    body = _clean_body(body)
    updated = ResponseTemplate.objects.filter(
        pk=current.pk, status=ResponseTemplate.Status.DRAFT
    ).update(body=body)
    if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
        raise TemplateNotEditable("The draft changed state while saving; reload it.")
    current.body = body
    _audit(actor=author, practice=current.practice, action="template.edit", obj=current, now=now)
    return current


@transaction.atomic
def approve_template(
    *, template: ResponseTemplate, approver: User, now: datetime
) -> ResponseTemplate:
    """Four eyes and a clean lint; the slot's previous approved version retires in the same step."""
    current = ResponseTemplate.objects.select_for_update().get(pk=template.pk)
    if current.status != ResponseTemplate.Status.DRAFT:
        raise ApprovalRefused(f"Only a draft can be approved; this version is {current.status}.")
    if not user_can(approver, current.practice, PLAYBOOK):
        raise ApprovalRefused("Only an admin of the practice can approve its templates.")
    if approver.pk in template_contributors(current):
        raise ApprovalRefused(
            "You wrote or edited this draft, so you can't approve it: another admin must."
        )
    issues = [
        issue
        for issue in lint_template(
            current.body,
            language=current.language,
            channel=current.channel,
            purpose=current.purpose,
        )
        if issue.severity == "error"
    ]
    if issues:
        raise LintFailed(issues)
    slot = {
        "moment": current.moment,
        "language": current.language,
        "channel": current.channel,
        "purpose": current.purpose,
    }
    previous = list(
        ResponseTemplate.objects.select_for_update().filter(
            **slot, status=ResponseTemplate.Status.APPROVED
        )
    )
    # Retire first: the database allows one approved version per slot at any instant.
    ResponseTemplate.objects.filter(pk__in=[t.pk for t in previous]).update(
        status=ResponseTemplate.Status.RETIRED, retired_at=now
    )
    ResponseTemplate.objects.filter(pk=current.pk, status=ResponseTemplate.Status.DRAFT).update(
        status=ResponseTemplate.Status.APPROVED, approved_by=approver, approved_at=now
    )
    current.refresh_from_db()
    for old in previous:
        _audit(actor=approver, practice=old.practice, action="template.retire", obj=old, now=now)
    _audit(
        actor=approver, practice=current.practice, action="template.approve", obj=current, now=now
    )
    return current


@transaction.atomic
def retire_template(*, template: ResponseTemplate, actor: User, now: datetime) -> ResponseTemplate:
    """Take a draft or an approved version out of use; a retired version is kept, never deleted."""
    updated = ResponseTemplate.objects.filter(
        pk=template.pk,
        status__in=[ResponseTemplate.Status.DRAFT, ResponseTemplate.Status.APPROVED],
    ).update(status=ResponseTemplate.Status.RETIRED, retired_at=now)
    if updated != 1:
        raise TemplateNotEditable("This version is already retired.")
    template.refresh_from_db()
    _audit(actor=actor, practice=template.practice, action="template.retire", obj=template, now=now)
    return template


def template_contributors(template: ResponseTemplate) -> set[int]:
    """Ids of everyone who wrote or edited this draft: none of them may approve it."""
    editors = AuditEvent.objects.filter(
        object_type="ResponseTemplate",
        object_code=str(template.code),
        action__in=["template.draft", "template.edit"],
        actor__isnull=False,
    ).values_list("actor_id", flat=True)
    return {template.author_id, *editors} - {None}


def _clean_body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise TemplateRejected([Problem(line=1, name="", message="The template is empty.")])
    problems = validate_template(body)
    if problems:
        raise TemplateRejected(problems)
    return body


def _slot_errors(
    *, moment: CommunicationMoment, language: str, channel: str, purpose: str
) -> dict[str, str]:
    errors = {}
    if language not in moment.practice.languages:
        errors["language"] = f"{language!r} is not one of the practice's languages."
    if channel not in TemplateChannel.values:
        errors["channel"] = f"Unknown channel {channel!r}."
    if purpose not in Purpose.values:
        errors["purpose"] = f"Unknown purpose {purpose!r}."
    return errors


# --------------------------------------------------------------------------- moments

TEXT_FIELDS = (
    "name",
    "likely_question",
    "verification_checks",
    "note_example",
    "escalation_point",
)
# Texts a moment cannot work without, in every language the practice offers.
REQUIRED_TEXT_FIELDS = ("name", "likely_question", "escalation_point")
MAX_FIRST_RESPONSE_MINUTES = 7 * 24 * 60
MAX_TEXT_LENGTH = 2000


@transaction.atomic
def update_moment(
    *, moment: CommunicationMoment, fields: dict[str, Any], actor: User, now: datetime
) -> list[str]:
    """Change a moment's playbook; every value is checked, and channel rules follow channels.

    Returns the names of the fields that changed.
    """
    cleaned = clean_moment_fields(fields, languages=moment.practice.languages)
    locked = CommunicationMoment.objects.select_for_update().get(pk=moment.pk)
    changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, cleaned[name])
    locked.save(update_fields=changed)
    if {"allowed_channels", "consent_required_channels"} & set(changed):
        _sync_rules_from_moment(locked)
    for name in changed:
        setattr(moment, name, cleaned[name])
    _audit(actor=actor, practice=moment.practice, action="moment.update", obj=moment, now=now)
    return changed


def clean_moment_fields(fields: dict[str, Any], *, languages: list[str]) -> dict[str, Any]:
    """Check every value against the playbook's vocabularies; raise with all errors at once."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        try:
            cleaned[name] = _clean_moment_field(name, value, languages)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise InvalidPlaybookChange(errors)
    return cleaned


def _clean_moment_field(name: str, value: Any, languages: list[str]) -> Any:
    if name in TEXT_FIELDS:
        return _clean_texts(value, languages, required=name in REQUIRED_TEXT_FIELDS)
    vocabularies = {
        "verification_fields": tuple(VERIFICATION_FIELDS),
        "note_elements": NOTE_ELEMENTS,
        "allowed_channels": CHANNELS,
        "consent_required_channels": CHANNELS,
    }
    if name in vocabularies:
        return _clean_choices(value, vocabularies[name], allow_empty=name != "note_elements")
    if name == "escalation_route":
        return _clean_choice(value, ROUTES)
    if name == "rhythm_block":
        return _clean_choice(value, RHYTHM_BLOCKS)
    if name in ("live_call_required", "delegated"):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if name == "first_response_minutes":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number of minutes")
        if not 1 <= value <= MAX_FIRST_RESPONSE_MINUTES:
            raise ValueError(f"must be between 1 and {MAX_FIRST_RESPONSE_MINUTES} minutes")
        return value
    raise ValueError("is not a field of a moment that can be edited")


def _clean_texts(value: Any, languages: list[str], *, required: bool) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError("must give a text per language")
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        raise ValueError(f"unknown language {', '.join(sorted(unknown))}")
    texts = {lang: text.strip() for lang, text in value.items() if text.strip()}
    if any(len(text) > MAX_TEXT_LENGTH for text in texts.values()):
        raise ValueError(f"keep it under {MAX_TEXT_LENGTH} characters")
    missing = [lang for lang in languages if lang not in texts]
    if required and missing:
        raise ValueError(f"is required in every language of the practice (missing: {missing[0]})")
    return texts


def _clean_choices(value: Any, allowed: tuple[str, ...], *, allow_empty: bool) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValueError(f"unknown value {unknown[0]!r}; choose from {', '.join(allowed)}")
    if not value and not allow_empty:
        raise ValueError("choose at least one")
    return [v for v in allowed if v in value]  # the vocabulary's order, no duplicates


def _clean_choice(value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"unknown value {value!r}; choose from {', '.join(allowed)}")
    return value


def _sync_rules_from_moment(moment: CommunicationMoment) -> None:
    # check_send reads ChannelRule; the moment's channel lists are the admin's summary of it.
    for channel in TemplateChannel.values:
        ChannelRule.objects.update_or_create(
            moment=moment,
            channel=channel,
            defaults={
                "allowed": channel in moment.allowed_channels,
                "consent_required": channel in moment.consent_required_channels,
            },
        )


# --------------------------------------------------------------------------- channel rules

RULE_FIELDS = ("allowed", "consent_required", "respects_quiet_hours", "live_call_after_attempts")
MAX_WRITTEN_ATTEMPTS = 10


@transaction.atomic
def update_channel_rule(
    *, rule: ChannelRule, fields: dict[str, Any], actor: User, now: datetime
) -> list[str]:
    """Change one moment's rule for one channel; the moment's channel lists follow it."""
    errors = {}
    for name, value in fields.items():
        if name not in RULE_FIELDS:
            errors[name] = "is not a field of a channel rule"
        elif name == "live_call_after_attempts":
            if isinstance(value, bool) or not isinstance(value, int):
                errors[name] = "must be a whole number"
            elif not 1 <= value <= MAX_WRITTEN_ATTEMPTS:
                errors[name] = f"must be between 1 and {MAX_WRITTEN_ATTEMPTS}"
        elif not isinstance(value, bool):
            errors[name] = "must be true or false"
    if errors:
        raise InvalidPlaybookChange(errors)
    locked = ChannelRule.objects.select_for_update().select_related("moment").get(pk=rule.pk)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, fields[name])
        setattr(rule, name, fields[name])
    locked.save(update_fields=changed)
    moment = CommunicationMoment.objects.select_for_update().get(pk=locked.moment_id)
    moment.allowed_channels = _with(moment.allowed_channels, rule.channel, locked.allowed)
    moment.consent_required_channels = _with(
        moment.consent_required_channels, rule.channel, locked.consent_required
    )
    moment.save(update_fields=["allowed_channels", "consent_required_channels"])
    _audit(actor=actor, practice=moment.practice, action="channel_rule.update", obj=moment, now=now)
    return changed


def _with(channels: list[str], channel: str, present: bool) -> list[str]:
    wanted = set(channels) | {channel} if present else set(channels) - {channel}
    return [c for c in CHANNELS if c in wanted]


# --------------------------------------------------------------------------- consent


@transaction.atomic
def record_consent(
    *,
    patient: Patient,
    channel: str,
    granted: bool,
    source: str,
    recorded_by: User | None,
    now: datetime,
) -> Consent:
    """Add a grant or a withdrawal to the consent ledger, saying when and how it was given."""
    if channel not in Consent.Channel.values:
        raise InvalidPlaybookChange({"channel": f"Unknown channel {channel!r}."})
    source = source.strip()
    if not source:
        raise InvalidPlaybookChange({"source": "Say how the consent was given (e.g. intake form)."})
    consent = Consent.objects.create(
        patient=patient,
        channel=channel,
        granted=granted,
        source=source[:120],
        recorded_at=now,
        recorded_by=recorded_by,
    )
    action = "consent.grant" if granted else "consent.withdraw"
    if recorded_by is None:
        record_service_action(
            service="consent", action=action, practice=patient.practice, patient_ids=[patient.pk]
        )
    else:
        _audit(
            actor=recorded_by,
            practice=patient.practice,
            action=action,
            obj=patient,
            now=now,
            patient_ids=[patient.pk],
        )
    return consent
