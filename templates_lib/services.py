"""State changes of the playbook: installing the default, drafting and approving templates."""

from datetime import datetime

from django.db import transaction

from queue_app.models import CommunicationMoment, Practice, WorkItem
from templates_lib.default_playbook import DEFAULT_MOMENTS
from templates_lib.models import ChannelRule, ResponseTemplate, TemplateChannel
from templates_lib.rendering import render
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
    created = 0
    for spec in DEFAULT_MOMENTS:
        if spec["key"] in existing:
            continue
        moment = CommunicationMoment.objects.create(
            practice=practice, key=spec["key"], **{f: spec[f] for f in MOMENT_FIELDS}
        )
        ChannelRule.objects.bulk_create(
            ChannelRule(
                moment=moment,
                channel=channel,
                allowed=channel in spec["allowed_channels"],
                consent_required=channel in spec["consent_required_channels"],
                respects_quiet_hours=channel != TemplateChannel.PORTAL,
            )
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
            for t in spec["templates"]
            if t["language"] in practice.languages
        )
        created += 1
    return created


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


def render_for_item(*, template: ResponseTemplate, item: WorkItem, now: datetime) -> str:
    """The template filled for this item; raises MissingValueError naming what is missing."""
    return render(template.body, item_values(item, now))
