"""Playbook pages: admins only, mutations by POST, HTMX preview fragment, conflicts shown."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from queue_app.models import AuditEvent, Role
from templates_lib import services
from templates_lib.models import ChannelRule, ResponseTemplate
from tests import factories
from tests.factories import verified_login as login


@pytest.fixture
def admin_b(practice_a):
    return factories.make_user("admin-b", practice_a, Role.ADMIN)


@pytest.fixture
def reschedule(practice_a):
    return factories.moment(practice_a, "reschedule")


@pytest.fixture
def sms_v1(reschedule):
    return services.approved_template(moment=reschedule, language="en", channel="sms")


@pytest.fixture
def a_draft(reschedule, sms_v1, admin_user):
    from django.utils import timezone

    return services.draft_template(
        moment=reschedule,
        language="en",
        channel="sms",
        purpose="first_response",
        body=sms_v1.body.replace("Hi ", "Hello "),
        author=admin_user,
        now=timezone.now(),
    )


def url(name, *args):
    return reverse(f"playbook:{name}", args=args)


def test_the_home_lists_the_practices_the_admin_keeps(client, admin_user, practice_a, practice_b):
    login(client, admin_user)
    response = client.get(url("home"))
    assert response.status_code == 200
    assert practice_a.name in response.text and practice_b.name not in response.text


def test_the_nav_links_to_the_playbook_for_admins(client, admin_user):
    login(client, admin_user)
    assert f'href="{url("home")}"' in client.get(url("home")).text


@pytest.mark.parametrize(
    "name,args",
    [
        ("moments", ()),
        ("moment", ("reschedule",)),
        ("moment-templates", ("reschedule",)),
        ("template-new", ("reschedule",)),
    ],
)
def test_admin_pages_render_for_the_admin(client, admin_user, practice_a, name, args):
    login(client, admin_user)
    response = client.get(url(name, practice_a.slug, *args))
    assert response.status_code == 200


def test_the_moment_list_stays_within_a_fixed_number_of_queries(
    client, admin_user, practice_a, django_assert_max_num_queries
):
    login(client, admin_user)
    with django_assert_max_num_queries(25):
        response = client.get(url("moments", practice_a.slug))
    assert response.status_code == 200 and "Reschedule" in response.text


def test_a_templates_page_costs_the_same_queries_with_a_long_version_history(
    client, admin_user, admin_b, practice_a, reschedule, a_draft, django_assert_max_num_queries
):
    login(client, admin_user)
    client.get(url("template", practice_a.slug, a_draft.code))  # the session's first request
    # Ten: session, user and device, the practice and its check, the template, its slot's
    # versions in one query, who edited it (the audit trail), the nav's roles, admin alerts.
    with django_assert_max_num_queries(10) as short:
        assert client.get(url("template", practice_a.slug, a_draft.code)).status_code == 200
    draft = a_draft
    for n in range(8):  # eight more versions, each approved by the other admin, then a draft
        services.approve_template(template=draft, approver=admin_b, now=timezone.now())
        draft = services.draft_template(
            moment=reschedule, language="en", channel="sms", purpose="first_response",
            body=f"{draft.body} {n}", author=admin_user, now=timezone.now(),
        )  # fmt: skip
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(url("template", practice_a.slug, draft.code))
    shown = sorted(int(v) for v in re.findall(r">v(\d+)</a>", response.text))
    assert shown == list(range(1, 11))  # v1, the first draft and the eight versions after


def test_an_outsider_gets_404(client, outsider, practice_a, sms_v1):
    login(client, outsider)
    assert client.get(url("moments", practice_a.slug)).status_code == 404
    assert client.get(url("template", practice_a.slug, sms_v1.code)).status_code == 404
    assert client.get(url("training", practice_a.slug)).status_code == 404
    response = client.post(url("template-new-draft", practice_a.slug, sms_v1.code))
    assert response.status_code == 404


def test_an_assistant_gets_403_on_edits(client, assistant, practice_a, sms_v1):
    login(client, assistant)
    assert client.get(url("moment", practice_a.slug, "reschedule")).status_code == 403
    response = client.post(url("template-new-draft", practice_a.slug, sms_v1.code))
    assert response.status_code == 403
    response = client.post(url("moment-update", practice_a.slug, "reschedule"), {})
    assert response.status_code == 403
    assert not ResponseTemplate.objects.filter(status="draft").exists()


def test_an_admin_of_another_practice_cannot_reach_this_one(client, practice_b, sms_v1):
    other_admin = factories.make_user("admin-bravo", practice_b, Role.ADMIN)
    login(client, other_admin)
    assert client.get(url("template", sms_v1.practice.slug, sms_v1.code)).status_code == 404
    # Nor through its own practice's URL.
    assert client.get(url("template", practice_b.slug, sms_v1.code)).status_code == 404


@pytest.mark.parametrize(
    "name", ["template-save", "template-new-draft", "template-approve", "template-retire"]
)
def test_get_on_a_template_mutation_is_405(client, admin_user, practice_a, sms_v1, name):
    login(client, admin_user)
    assert client.get(url(name, practice_a.slug, sms_v1.code)).status_code == 405


def test_get_on_moment_mutations_and_preview_is_405(client, admin_user, practice_a):
    login(client, admin_user)
    assert client.get(url("moment-update", practice_a.slug, "reschedule")).status_code == 405
    assert client.get(url("template-create", practice_a.slug, "reschedule")).status_code == 405
    assert (
        client.get(url("channel-rule-update", practice_a.slug, "reschedule", "sms")).status_code
        == 405
    )
    assert client.get(url("preview", practice_a.slug)).status_code == 405


def test_htmx_preview_returns_a_fragment_with_render_segments_and_lint(
    client, admin_user, practice_a
):
    login(client, admin_user)
    response = client.post(
        url("preview", practice_a.slug),
        {
            "body": "Hola {first_name}, reply CANCEL to cancel 🙂 {frist_name}",
            "language": "es",
            "channel": "sms",
            "purpose": "follow_up",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="preview"' in response.text
    assert "did you mean {first_name}?" in response.text
    assert "opt_out_command" in response.text
    assert "UCS-2" in response.text


def test_htmx_preview_renders_the_sample_patient(client, admin_user, practice_a):
    login(client, admin_user)
    response = client.post(
        url("preview", practice_a.slug),
        {"body": "Hi {first_name} <b>", "language": "en", "channel": "sms", "purpose": "follow_up"},
        headers={"HX-Request": "true"},
    )
    assert "Hi Ana &lt;b&gt;" in response.text  # patient-facing text is escaped, never markup
    assert "GSM-7" in response.text


def test_preview_without_javascript_gets_a_full_page(client, admin_user, practice_a):
    login(client, admin_user)
    response = client.post(
        url("preview", practice_a.slug),
        {"body": "Hi {first_name}", "language": "en", "channel": "portal", "purpose": "follow_up"},
    )
    assert response.status_code == 200 and "<html" in response.text and "Hi Ana" in response.text


def test_starting_a_new_draft_from_an_approved_version(client, admin_user, practice_a, sms_v1):
    login(client, admin_user)
    response = client.post(url("template-new-draft", practice_a.slug, sms_v1.code))
    new = ResponseTemplate.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == url("template", practice_a.slug, new.code)
    assert (new.version, new.body, new.author) == (2, sms_v1.body, admin_user)
    assert AuditEvent.objects.filter(actor=admin_user, action="template.draft").exists()


def test_saving_a_draft_changes_its_body(client, admin_user, practice_a, a_draft):
    login(client, admin_user)
    body = a_draft.body + " Thank you."
    response = client.post(
        url("template-save", practice_a.slug, a_draft.code),
        {"body": body, "version_token": services.version_token(a_draft)},
    )
    assert response.status_code == 302
    a_draft.refresh_from_db()
    assert a_draft.body == body
    assert AuditEvent.objects.filter(actor=admin_user, action="template.edit").count() == 1


def test_an_unknown_placeholder_is_refused_on_save_with_line_and_name(
    client, admin_user, practice_a, a_draft
):
    login(client, admin_user)
    response = client.post(
        url("template-save", practice_a.slug, a_draft.code),
        {
            "body": "Hi {first_name}\nSee {dr_name}",
            "version_token": services.version_token(a_draft),
        },
    )
    assert response.status_code == 200
    assert "Line 2: unknown placeholder {dr_name}" in response.text
    before = a_draft.body
    a_draft.refresh_from_db()
    assert a_draft.body == before


def test_saving_an_approved_version_is_refused(client, admin_user, practice_a, sms_v1):
    login(client, admin_user)
    response = client.post(
        url("template-save", practice_a.slug, sms_v1.code),
        {"body": "Changed {first_name}", "version_token": services.version_token(sms_v1)},
    )
    assert response.status_code == 200
    assert (
        '<div class="alert-error" role="alert" data-action-error>Approved versions can&#x27;t '
        "be edited; a change is a new draft.</div>" in response.text
    )
    sms_v1.refresh_from_db()
    assert sms_v1.body != "Changed {first_name}"


def test_a_stale_form_gets_a_conflict_page_with_both_versions(
    client, admin_user, admin_b, practice_a, a_draft
):
    stale_token = services.version_token(a_draft)
    login(client, admin_b)
    client.post(
        url("template-save", practice_a.slug, a_draft.code),
        {"body": "First tab saved {first_name}", "version_token": stale_token},
    )
    login(client, admin_user)
    response = client.post(
        url("template-save", practice_a.slug, a_draft.code),
        {"body": "Second tab text {first_name}", "version_token": stale_token},
    )
    assert response.status_code == 409
    assert "First tab saved" in response.text and "Second tab text" in response.text
    a_draft.refresh_from_db()
    assert a_draft.body == "First tab saved {first_name}"


def test_the_author_sees_the_approve_button_disabled_and_is_refused(
    client, admin_user, practice_a, a_draft
):
    login(client, admin_user)
    page = client.get(url("template", practice_a.slug, a_draft.code))
    assert "another admin of" in page.text
    response = client.post(url("template-approve", practice_a.slug, a_draft.code))
    assert response.status_code == 200
    assert "another admin must" in response.text
    a_draft.refresh_from_db()
    assert a_draft.status == "draft"


def test_a_second_admin_approves_and_the_old_version_retires(
    client, admin_b, practice_a, a_draft, sms_v1, reschedule
):
    login(client, admin_b)
    response = client.post(url("template-approve", practice_a.slug, a_draft.code))
    assert response.status_code == 302
    a_draft.refresh_from_db()
    sms_v1.refresh_from_db()
    assert (a_draft.status, a_draft.approved_by) == ("approved", admin_b)
    assert sms_v1.status == "retired"
    live = services.approved_template(moment=reschedule, language="en", channel="sms")
    assert live == a_draft
    assert AuditEvent.objects.filter(actor=admin_b, action="template.approve").exists()


def test_retiring_an_approved_version_shows_it_is_not_live(
    client, admin_user, practice_a, sms_v1, reschedule
):
    login(client, admin_user)
    response = client.post(url("template-retire", practice_a.slug, sms_v1.code))
    assert response.status_code == 302
    sms_v1.refresh_from_db()
    assert sms_v1.status == "retired"
    page = client.get(url("moment-templates", practice_a.slug, "reschedule"))
    assert "English has no approved version" in page.text


def test_a_new_template_is_created_as_a_draft(client, admin_user, practice_a, reschedule):
    login(client, admin_user)
    response = client.post(
        url("template-create", practice_a.slug, "reschedule"),
        {
            "language": "es",
            "channel": "portal",
            "purpose": "follow_up",
            "body": "Hola {first_name}",
        },
    )
    template = ResponseTemplate.objects.get(moment=reschedule, purpose="follow_up", language="es")
    assert response.status_code == 302 and template.status == "draft" and template.version == 1
    page = client.get(url("moment-templates", practice_a.slug, "reschedule"))
    assert "Not offered in the queue" in page.text


def test_the_diff_page_escapes_and_marks_changes(client, admin_user, practice_a, a_draft, sms_v1):
    login(client, admin_user)
    response = client.get(
        url("template-diff", practice_a.slug, a_draft.code) + f"?against={sms_v1.code}"
    )
    assert response.status_code == 200
    assert "<del>Hi </del>" in response.text or "<del>Hi</del>" in response.text
    assert "<ins>Hello" in response.text


def test_editing_a_moment_saves_it(client, admin_user, practice_a, reschedule):
    login(client, admin_user)
    page = client.get(url("moment", practice_a.slug, "reschedule"))
    form = page.context["form"]
    data = {}
    for name, value in form.initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.pop("delegated", None)  # turn delegation off
    data["first_response_minutes"] = 30
    data["likely_question_es"] = "¿Puedo cambiar mi cita?"
    response = client.post(url("moment-update", practice_a.slug, "reschedule"), data)
    assert response.status_code == 302
    reschedule.refresh_from_db()
    assert reschedule.delegated is False and reschedule.first_response_minutes == 30
    assert reschedule.likely_question["es"] == "¿Puedo cambiar mi cita?"
    assert AuditEvent.objects.filter(actor=admin_user, action="moment.update").exists()


def test_an_invalid_moment_form_is_shown_again_with_its_errors(
    client, admin_user, practice_a, reschedule
):
    login(client, admin_user)
    response = client.post(
        url("moment-update", practice_a.slug, "reschedule"),
        {"first_response_minutes": "soon", "escalation_route": "nowhere"},
    )
    assert response.status_code == 200
    assert "Enter a whole number" in response.text
    reschedule.refresh_from_db()
    assert reschedule.escalation_route != "nowhere"


def test_a_channel_rule_is_saved_from_the_moment_page(client, admin_user, practice_a, reschedule):
    login(client, admin_user)
    response = client.post(
        url("channel-rule-update", practice_a.slug, "reschedule", "sms"),
        {"sms-consent_required": "on", "sms-live_call_after_attempts": "2"},
    )
    assert response.status_code == 302
    rule = ChannelRule.objects.get(moment=reschedule, channel="sms")
    assert (rule.allowed, rule.live_call_after_attempts) == (False, 2)
    reschedule.refresh_from_db()
    assert "sms" not in reschedule.allowed_channels


def test_the_training_page_is_read_only_for_assistants_and_lists_delegated_moments(
    client, assistant, admin_user, practice_a, reschedule, django_assert_max_num_queries
):
    services.update_moment(
        moment=factories.moment(practice_a, "billing_question"),
        fields={"delegated": False},
        actor=admin_user,
        now=reschedule.practice.created,
    )
    login(client, assistant)
    with django_assert_max_num_queries(25):
        response = client.get(url("training", practice_a.slug))
    assert response.status_code == 200
    text = response.text
    assert escape(reschedule.likely_question["en"]) in text
    assert escape(reschedule.likely_question["es"]) in text
    assert "Billing question" not in text
    assert escape(reschedule.note_example["en"]) in text
    assert "Route:" in text and "Channel rules" in text
    assert "<form" not in text.split("<main")[1]  # nothing to change here


def test_clinical_staff_without_work_or_playbook_gets_403_on_training(client, clinical, practice_a):
    login(client, clinical)
    assert client.get(url("training", practice_a.slug)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, practice_a):
    response = client.get(url("moments", practice_a.slug))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_django_admin_lists_only_the_templates_of_kept_practices_read_only(
    client, practice_a, practice_b
):
    staff_admin = factories.make_user("staff-admin", practice_a, Role.ADMIN)
    staff_admin.is_staff = True
    staff_admin.save()
    login(client, staff_admin)
    response = client.get(reverse("admin:templates_lib_responsetemplate_changelist"))
    assert response.status_code == 200
    shown = response.context["cl"].queryset
    assert shown.exists() and set(shown.values_list("practice", flat=True)) == {practice_a.pk}
    template = shown.first()
    page = client.get(reverse("admin:templates_lib_responsetemplate_change", args=[template.pk]))
    assert page.status_code == 200 and 'type="submit"' not in page.text.split("<main")[-1]
    other = ResponseTemplate.objects.filter(practice=practice_b).first()
    assert (
        client.get(
            reverse("admin:templates_lib_responsetemplate_change", args=[other.pk])
        ).status_code
        == 302  # Django admin answers a missing object with a redirect to the index
    )


def test_the_admin_sets_the_sending_rules_and_the_change_is_audited(client, admin_user, practice_a):
    login(client, admin_user)
    page = client.get(url("sending", practice_a.slug))
    assert page.status_code == 200 and 'value="20:00"' in page.text
    assert "Days between two follow-up questions to a patient" in page.text
    moments = client.get(url("moments", practice_a.slug)).text
    assert f'href="{url("sending", practice_a.slug)}"' in moments

    rules = {"quiet_start": "21:30", "quiet_end": "07:30", "automated_daily_limit": "2",
             "automated_weekly_limit": "5", "survey_interval_days": "45"}  # fmt: skip
    response = client.post(url("sending", practice_a.slug), rules, follow=True)

    assert "Sending rules saved." in response.text
    practice_a.refresh_from_db()
    assert (practice_a.automated_daily_limit, practice_a.automated_weekly_limit) == (2, 5)
    assert practice_a.quiet_start.strftime("%H:%M") == "21:30"
    audit = AuditEvent.objects.get(action="practice.sending_rules")
    assert audit.actor == admin_user and "automated_daily_limit: 3 → 2" in audit.detail
    assert practice_a.survey_interval_days == 45 and "survey_interval_days: 30 → 45" in audit.detail
    again = client.post(url("sending", practice_a.slug), rules, follow=True)
    assert "Nothing changed." in again.text
    assert AuditEvent.objects.filter(action="practice.sending_rules").count() == 1


def test_the_admin_sees_each_sending_number_with_its_type_and_rate(client, admin_user, practice_a):
    practice_a.numbers.create(number="+18005550142")
    login(client, admin_user)
    page = client.get(url("sending", practice_a.slug)).text
    assert re.search(rf"{re.escape(practice_a.phone)}</td><td>long code</td><td>1 segment a", page)
    assert re.search(r"\+18005550142</td><td>toll-free</td><td>3 segments a second", page)


@pytest.mark.parametrize(
    "changes,said",
    [
        ({"automated_weekly_limit": "2"}, "can&#x27;t be lower than the daily limit"),
        ({"automated_daily_limit": "0"}, "greater than or equal to 1"),
        ({"quiet_end": "20:00"}, "must start and end at different times"),
        ({"quiet_start": "8 pm-ish"}, "Enter a valid time"),
        ({"survey_interval_days": "0"}, "greater than or equal to 1"),
        ({"survey_interval_days": "400"}, "less than or equal to 365"),
    ],
)
def test_sending_rules_that_make_no_sense_are_refused_with_the_reason(
    client, admin_user, practice_a, changes, said
):
    login(client, admin_user)
    rules = {"quiet_start": "20:00", "quiet_end": "08:00", "automated_daily_limit": "3",
             "automated_weekly_limit": "8", "survey_interval_days": "30", **changes}  # fmt: skip
    response = client.post(url("sending", practice_a.slug), rules)
    assert response.status_code == 200 and said in response.text
    practice_a.refresh_from_db()
    assert (practice_a.automated_daily_limit, practice_a.automated_weekly_limit) == (3, 8)
    assert not AuditEvent.objects.filter(action="practice.sending_rules").exists()


def test_only_the_practices_playbook_admins_set_its_sending_rules(
    client, assistant, practice_a, practice_b
):
    login(client, assistant)
    assert client.get(url("sending", practice_a.slug)).status_code == 403
    rules = {"quiet_start": "20:00", "quiet_end": "08:00", "automated_daily_limit": "9",
             "automated_weekly_limit": "9", "survey_interval_days": "30"}  # fmt: skip
    assert client.post(url("sending", practice_a.slug), rules).status_code == 403
    other_admin = factories.make_user("admin-charlie", practice_b, Role.ADMIN)
    login(client, other_admin)
    assert client.post(url("sending", practice_a.slug), rules).status_code == 404
    practice_a.refresh_from_db()
    assert practice_a.automated_daily_limit == 3
