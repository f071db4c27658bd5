"""Playbook services: versions, four eyes, optimistic locking, moments, rules and consent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from queue_app.models import AuditEvent, Consent, Message, Role
from templates_lib import reading, services
from templates_lib.models import ChannelRule, ResponseTemplate
from templates_lib.services import approved_template
from tests import factories

GOOD_FOLLOW_UP = {
    "en": "Hi {first_name}, this is {practice_name}. Your new time is set. "
    "Call {practice_phone} with any questions.",
    "es": "Hola {first_name}, le escribe {practice_name}. Su nueva hora quedó lista. "
    "Llame al {practice_phone} si tiene preguntas.",
}


@pytest.fixture
def admin_b(practice_a):
    return factories.make_user("admin-b", practice_a, Role.ADMIN)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def reschedule(practice_a):
    return factories.moment(practice_a, "reschedule")


def current_sms(moment, language="en"):
    return approved_template(moment=moment, language=language, channel="sms")


def draft(moment, author, now, *, language="en", body=None, purpose="first_response"):
    body = body or current_sms(moment, language).body.replace("Hi ", "Hello ")
    return services.draft_template(
        moment=moment,
        language=language,
        channel="sms",
        purpose=purpose,
        body=body,
        author=author,
        now=now,
    )


def test_a_draft_with_an_unknown_placeholder_is_refused_with_its_line_and_name(
    reschedule, admin_user, now
):
    body = "Hi {first_name},\nyour visit with {doctor} is moved."
    with pytest.raises(services.TemplateRejected) as caught:
        draft(reschedule, admin_user, now, body=body)
    (problem,) = caught.value.problems
    assert (problem.line, problem.name) == (2, "doctor")
    assert "Line 2" in str(caught.value) and "{doctor}" in str(caught.value)
    assert not reschedule.templates.filter(status="draft").exists()


def test_a_draft_is_the_next_version_of_its_slot_and_is_audited(reschedule, admin_user, now):
    first = draft(reschedule, admin_user, now)
    second = draft(reschedule, admin_user, now)
    assert (first.version, second.version) == (2, 3)
    assert first.status == second.status == ResponseTemplate.Status.DRAFT
    assert current_sms(reschedule).version == 1  # drafts are never offered
    event = AuditEvent.objects.get(object_code=str(first.code))
    assert (event.actor, event.action) == (admin_user, "template.draft")


def test_a_draft_in_a_language_the_practice_does_not_offer_is_refused(practice_b, now):
    admin = factories.make_user("admin-bravo", practice_b, Role.ADMIN)
    moment = factories.moment(practice_b, "reschedule")
    with pytest.raises(services.InvalidPlaybookChange, match="language"):
        draft(moment, admin, now, language="es", body="Hola {first_name}.")


def test_an_approved_version_is_never_edited_in_place(reschedule, admin_user, now):
    approved = current_sms(reschedule)
    with pytest.raises(services.TemplateNotEditable) as caught:
        services.edit_draft(
            template=approved,
            body="Changed",
            author=admin_user,
            expected_version_token=services.version_token(approved),
            now=now,
        )
    assert str(caught.value) == "Approved versions can't be edited; a change is a new draft."
    approved.refresh_from_db()
    assert approved.body != "Changed"


def test_a_stale_edit_conflicts_and_keeps_both_versions(reschedule, admin_user, admin_b, now):
    template = draft(reschedule, admin_user, now)
    opened_token = services.version_token(template)  # both tabs opened the same draft
    services.edit_draft(
        template=template,
        body=template.body + " Thanks!",
        author=admin_user,
        expected_version_token=opened_token,
        now=now,
    )
    with pytest.raises(services.EditConflict) as caught:
        services.edit_draft(
            template=template,
            body="Second tab {first_name}",
            author=admin_b,
            expected_version_token=opened_token,
            now=now,
        )
    assert caught.value.current.body.endswith("Thanks!")
    assert caught.value.submitted_body == "Second tab {first_name}"
    template.refresh_from_db()
    assert template.body.endswith("Thanks!")  # nothing silently overwritten


def test_an_edit_keeps_the_draft_and_records_the_editor(reschedule, admin_user, admin_b, now):
    template = draft(reschedule, admin_user, now)
    services.edit_draft(
        template=template,
        body="Hi {first_name}!",
        author=admin_b,
        expected_version_token=services.version_token(template),
        now=now,
    )
    template.refresh_from_db()
    assert (template.body, template.status, template.author) == (
        "Hi {first_name}!",
        "draft",
        admin_user,
    )
    assert admin_b.pk in services.template_contributors(template)


def test_the_author_cannot_approve_their_own_draft(reschedule, admin_user, now):
    template = draft(reschedule, admin_user, now)
    with pytest.raises(services.ApprovalRefused, match="another admin must"):
        services.approve_template(template=template, approver=admin_user, now=now)
    template.refresh_from_db()
    assert template.status == ResponseTemplate.Status.DRAFT
    assert current_sms(reschedule).version == 1


def test_an_admin_who_edited_the_draft_cannot_approve_it_either(
    reschedule, admin_user, admin_b, now
):
    template = draft(reschedule, admin_user, now)
    services.edit_draft(
        template=template,
        body=template.body + " Thanks!",
        author=admin_b,
        expected_version_token=services.version_token(template),
        now=now,
    )
    with pytest.raises(services.ApprovalRefused):
        services.approve_template(template=template, approver=admin_b, now=now)


def test_someone_without_the_playbook_role_cannot_approve(reschedule, admin_user, manager, now):
    template = draft(reschedule, admin_user, now)
    with pytest.raises(services.ApprovalRefused, match="Only an admin"):
        services.approve_template(template=template, approver=manager, now=now)


def test_a_draft_with_lint_errors_is_not_approved(reschedule, admin_user, admin_b, now):
    template = draft(reschedule, admin_user, now, body="Hi {first_name}, reply CANCEL to cancel.")
    with pytest.raises(services.LintFailed) as caught:
        services.approve_template(template=template, approver=admin_b, now=now)
    assert {issue.rule for issue in caught.value.issues} >= {"opt_out_command", "four_parts"}
    template.refresh_from_db()
    assert template.status == ResponseTemplate.Status.DRAFT


def test_approval_retires_the_previous_version_and_the_queue_offers_the_new_one(
    reschedule, admin_user, admin_b, now
):
    previous = current_sms(reschedule)
    template = draft(reschedule, admin_user, now)
    approved = services.approve_template(template=template, approver=admin_b, now=now)
    previous.refresh_from_db()
    assert previous.status == ResponseTemplate.Status.RETIRED and previous.retired_at == now
    assert (approved.status, approved.approved_by, approved.approved_at) == (
        "approved",
        admin_b,
        now,
    )
    assert current_sms(reschedule) == approved
    actions = set(AuditEvent.objects.filter(actor=admin_b).values_list("action", flat=True))
    assert actions == {"template.approve", "template.retire"}


def test_a_sent_message_names_the_template_version_it_came_from(
    practice_a, reschedule, admin_user, admin_b, now
):
    services.approve_template(
        template=draft(reschedule, admin_user, now), approver=admin_b, now=now
    )
    template = current_sms(reschedule)
    message = Message.objects.create(
        practice=practice_a,
        direction="out",
        channel="sms",
        body="rendered",
        template=template,
        status="queued",
        idempotency_key="test-1",
        created=now,
    )
    assert (message.template.version, message.template.status) == (2, "approved")


def test_a_bilingual_template_goes_live_only_when_both_languages_are_approved(
    reschedule, admin_user, admin_b, now
):
    slot = {"moment": reschedule, "channel": "sms", "purpose": "follow_up"}
    english = draft(reschedule, admin_user, now, purpose="follow_up", body=GOOD_FOLLOW_UP["en"])
    services.approve_template(template=english, approver=admin_b, now=now)
    assert approved_template(**slot, language="en") is None
    spanish = draft(
        reschedule, admin_user, now, language="es", purpose="follow_up", body=GOOD_FOLLOW_UP["es"]
    )
    services.approve_template(template=spanish, approver=admin_b, now=now)
    assert approved_template(**slot, language="en").pk == english.pk
    assert approved_template(**slot, language="es").pk == spanish.pk
    (live,) = [
        s
        for s in reading.moment_slots(reschedule, list(reschedule.templates.all()))
        if s.purpose == "follow_up"
    ]
    assert live.is_live


def test_retiring_takes_a_version_out_of_use_once(reschedule, admin_user, now):
    approved = current_sms(reschedule)
    services.retire_template(template=approved, actor=admin_user, now=now)
    assert current_sms(reschedule) is None
    with pytest.raises(services.TemplateNotEditable, match="already retired"):
        services.retire_template(template=approved, actor=admin_user, now=now)


def test_moment_changes_are_checked_and_all_errors_reported_at_once(reschedule, admin_user, now):
    with pytest.raises(services.InvalidPlaybookChange) as caught:
        services.update_moment(
            moment=reschedule,
            fields={
                "verification_fields": ["full_name", "shoe_size"],
                "escalation_route": "nowhere",
                "first_response_minutes": 0,
                "likely_question": {"en": "When?", "es": ""},
                "note_elements": [],
                "color": "blue",
            },
            actor=admin_user,
            now=now,
        )
    assert set(caught.value.errors) == {
        "verification_fields",
        "escalation_route",
        "first_response_minutes",
        "likely_question",
        "note_elements",
        "color",
    }
    assert "shoe_size" in caught.value.errors["verification_fields"]


def test_a_moment_change_is_saved_audited_and_moves_the_channel_rules(reschedule, admin_user, now):
    changed = services.update_moment(
        moment=reschedule,
        fields={
            "likely_question": {"en": "Can I move my visit?", "es": "¿Puedo cambiar mi cita?"},
            "verification_fields": ["date_of_birth", "full_name"],
            "allowed_channels": ["portal", "voice"],
            "delegated": False,
            "first_response_minutes": 45,
        },
        actor=admin_user,
        now=now,
    )
    reschedule.refresh_from_db()
    assert set(changed) >= {"likely_question", "allowed_channels", "delegated"}
    assert reschedule.verification_fields == ["full_name", "date_of_birth"]
    assert reschedule.delegated is False and reschedule.first_response_minutes == 45
    assert not ChannelRule.objects.get(moment=reschedule, channel="sms").allowed
    assert AuditEvent.objects.filter(actor=admin_user, action="moment.update").count() == 1


def test_an_unchanged_moment_writes_nothing(reschedule, admin_user, now):
    fields = {"rhythm_block": reschedule.rhythm_block}
    assert services.update_moment(moment=reschedule, fields=fields, actor=admin_user, now=now) == []
    assert not AuditEvent.objects.filter(action="moment.update").exists()


def test_a_channel_rule_change_updates_the_moment_channel_lists(reschedule, admin_user, now):
    rule = ChannelRule.objects.get(moment=reschedule, channel="portal")
    services.update_channel_rule(
        rule=rule,
        fields={"allowed": False, "consent_required": True, "live_call_after_attempts": 2},
        actor=admin_user,
        now=now,
    )
    reschedule.refresh_from_db()
    rule.refresh_from_db()
    assert "portal" not in reschedule.allowed_channels
    assert "portal" in reschedule.consent_required_channels
    assert rule.live_call_after_attempts == 2
    with pytest.raises(services.InvalidPlaybookChange, match="between 1 and"):
        services.update_channel_rule(
            rule=rule, fields={"live_call_after_attempts": 0}, actor=admin_user, now=now
        )


def test_consent_is_recorded_with_when_how_and_who(patient, assistant, now):
    consent = services.record_consent(
        patient=patient,
        channel="portal",
        granted=True,
        source="  signed at the front desk ",
        recorded_by=assistant,
        now=now,
    )
    assert (consent.source, consent.recorded_at, consent.recorded_by) == (
        "signed at the front desk",
        now,
        assistant,
    )
    event = AuditEvent.objects.get(action="consent.grant")
    assert event.patient_ids == [patient.pk]
    with pytest.raises(services.InvalidPlaybookChange, match="how the consent"):
        services.record_consent(
            patient=patient, channel="sms", granted=False, source=" ", recorded_by=None, now=now
        )
    later = services.record_consent(
        patient=patient,
        channel="sms",
        granted=False,
        source="patient asked by phone",
        recorded_by=None,
        now=now + timedelta(minutes=1),
    )
    assert later.granted is False
    assert Consent.objects.filter(patient=patient).count() == 3


def test_the_preview_renders_a_sample_patient_in_the_template_language():
    preview = reading.preview_template(
        body="Hola {first_name}, su cita es el {appointment_date} a las {appointment_time}. ñ",
        language="es",
        channel="sms",
        purpose="reminder",
    )
    assert preview.rendered.startswith("Hola Ana, su cita es el mar 9 jun a las 10:30 a. m.")
    assert preview.segments.encoding == "GSM-7"  # ñ is in the GSM basic table
    emoji = reading.preview_template(
        body="Hi {first_name} 🙂", language="en", channel="sms", purpose="follow_up"
    )
    assert emoji.segments.encoding == "UCS-2" and emoji.segments.non_gsm_chars == ("🙂",)
    broken = reading.preview_template(
        body="Hi {frist_name}", language="en", channel="portal", purpose="follow_up"
    )
    assert "did you mean {first_name}" in broken.render_error
    assert broken.segments is None and broken.errors


def test_the_word_diff_marks_insertions_and_deletions():
    assert reading.word_diff("see you <b>soon</b>", "see you today") == [
        ("equal", "see you "),
        ("delete", "<b>soon</b>"),
        ("insert", "today"),
    ]
