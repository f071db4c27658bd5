"""The campaign pages, as a manager and an admin use them; nobody else reaches them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns import sending
from campaigns.models import Campaign
from queue_app.models import AuditEvent, Message
from tests import factories
from tests.campaigns.helpers import BODY_EN, BODY_ES, LIST_BODY, book, day_campaign, visit_day
from tests.messaging.conftest import awake_quiet_hours
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db


def url(name: str, campaign: Campaign | None = None, slug: str = "alpha") -> str:
    kwargs = {"slug": slug} if campaign is None else {"slug": slug, "code": campaign.code}
    return reverse(f"campaigns:{name}", kwargs=kwargs)


@pytest.fixture
def booked(practice_a):
    day = visit_day(practice_a)
    awake_quiet_hours(practice_a, timezone.now())
    patients = [factories.make_patient(practice_a) for _ in range(3)]
    patients.append(factories.make_patient(practice_a, opted_out_at=timezone.now()))
    for patient in patients:
        book(patient, day)
    return day


def test_a_manager_writes_an_admin_approves_and_sends_and_the_report_counts_it(
    practice_a, manager, admin_user, booked, django_capture_on_commit_callbacks
):
    writer, approver = verified_client(manager), verified_client(admin_user)
    form = {
        "name": "Flu shots",
        "moment": practice_a.moments.get(key="appointment_time_question").pk,
        "audience": "appointment_day",
        "appointment_date": booked.isoformat(),
        "body_en": BODY_EN,
        "body_es": BODY_ES,
    }
    assert writer.get(url("new")).status_code == 200
    response = writer.post(url("new"), form)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("campaign", campaign)

    page = writer.get(url("campaign", campaign)).content.decode()
    assert '<strong data-count="eligible">3</strong> of 4' in page
    assert "Opted out of texts (STOP)" in page
    assert "Approve version" not in page  # its writer gets no approve button
    writer.post(url("approve", campaign), {"version": 1})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT

    assert "Approve version 1" in approver.get(url("campaign", campaign)).content.decode()
    approver.post(url("approve", campaign), {"version": 1})
    campaign.refresh_from_db()
    assert (campaign.status, campaign.approved_by) == ("approved", admin_user)

    with django_capture_on_commit_callbacks() as queued:
        response = approver.post(url("send", campaign))
        again = writer.post(url("send", campaign))
    assert response["Location"] == url("report", campaign)
    assert again["Location"] == url("campaign", campaign)
    assert len(queued) == 1  # the send task, once for both clicks
    sending.send_campaign(campaign_id=campaign.pk, now=timezone.now())  # what the task runs
    assert Message.objects.filter(purpose="campaign").count() == 3

    report = approver.get(url("report", campaign)).content.decode()
    assert '<td data-count="messages">3</td>' in report
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"campaign.create", "campaign.approve", "campaign.send"} <= actions
    assert {"campaign_preview", "campaign_report"} <= actions


def test_wording_refused_by_the_lint_shows_why_on_the_form(practice_a, manager, booked):
    client = verified_client(manager)
    response = client.post(
        url("new"),
        {
            "name": "Bad",
            "moment": practice_a.moments.get(key="appointment_time_question").pk,
            "audience": "appointment_day",
            "appointment_date": booked.isoformat(),
            "body_en": "Your lab results are in. Reply STOP to confirm.",
        },
    )
    assert response.status_code == 200
    assert "does not belong in an SMS" in response.content.decode()
    assert not Campaign.objects.exists()


def post_mrn_list(manager, practice, lines: bytes):
    """A new campaign to an uploaded list of MRNs, as the form sends it."""
    return verified_client(manager).post(
        url("new"),
        {
            "name": "Evening hours",
            "moment": practice.moments.get(key="other_admin").pk,
            "audience": "mrn_list",
            "mrn_file": SimpleUploadedFile("list.csv", lines, "text/csv"),
            "body_en": LIST_BODY,
        },
    )


def test_an_uploaded_list_with_refused_lines_names_each_and_saves_nothing(practice_a, manager):
    factories.make_patient(practice_a, external_id="MRN-1")
    response = post_mrn_list(manager, practice_a, b"mrn\nMRN-1\nMRN-404\nMRN-1\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 3: no patient of this practice has this MRN" in page
    assert "Line 4: the same MRN as line 2" in page
    assert not Campaign.objects.exists()


def test_a_clean_list_is_saved(practice_a, manager):
    factories.make_patient(practice_a, external_id="MRN-1")
    post_mrn_list(manager, practice_a, b"MRN-1\n")
    assert Campaign.objects.get().mrns == ["MRN-1"]


def test_editing_an_approved_campaign_on_the_page_withdraws_the_approval(
    practice_a, manager, admin_user, booked
):
    campaign = day_campaign(practice_a, manager, booked)
    verified_client(admin_user).post(url("approve", campaign), {"version": 1})
    client = verified_client(manager)
    assert client.get(url("edit", campaign)).status_code == 200
    form = {
        "name": "Flu shots, second round",
        "moment": campaign.moment_id,
        "audience": "appointment_day",
        "appointment_date": booked.isoformat(),
        "body_en": BODY_EN,
        "body_es": "",
    }
    assert client.post(url("edit", campaign), form).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.version, campaign.body_es) == ("draft", 2, "")


def test_the_preview_costs_the_same_queries_for_a_larger_group(
    practice_a, manager, booked, django_assert_max_num_queries
):
    campaign = day_campaign(practice_a, manager, booked)
    client = verified_client(manager)
    client.get(url("campaign", campaign))  # the session's first request
    # 13 for any size of group: the group's patients in one query, then who was reached and
    # who consented for all of them at once.
    with django_assert_max_num_queries(13) as small:
        assert (
            '<strong data-count="eligible">3</strong> of 4'
            in client.get(url("campaign", campaign)).content.decode()
        )
    for n in range(30):
        patient = factories.make_patient(
            practice_a,
            preferred_language="es" if n % 3 else "en",
            opted_out_at=timezone.now() if n % 5 == 0 else None,
        )
        book(patient, booked)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url("campaign", campaign)).content.decode()
    assert '<strong data-count="eligible">27</strong> of 34' in page


@pytest.mark.parametrize("role", ["assistant", "clinical"])
def test_assistants_and_clinicians_get_403(practice_a, manager, booked, role):
    campaign = day_campaign(practice_a, manager, booked)
    client = verified_client(factories.make_user(f"{role}-c", practice_a, role))
    for name in ("campaign", "edit", "report"):
        assert client.get(url(name, campaign)).status_code == 403
    assert client.get(url("list")).status_code == 403
    assert client.post(url("send", campaign)).status_code == 403


def test_a_manager_of_another_practice_gets_404(practice_a, practice_b, manager, booked):
    campaign = day_campaign(practice_a, manager, booked)
    client = verified_client(factories.make_user("manager-b", practice_b, "manager"))
    assert client.get(url("campaign", campaign)).status_code == 404
    # Their own practice's slug with this campaign's code finds nothing either.
    assert client.get(url("campaign", campaign, slug="bravo")).status_code == 404
    assert client.post(url("approve", campaign, slug="bravo"), {"version": 1}).status_code == 404


def test_approve_and_send_refuse_get(practice_a, manager, booked):
    campaign = day_campaign(practice_a, manager, booked)
    client = verified_client(manager)
    assert client.get(url("approve", campaign)).status_code == 405
    assert client.get(url("send", campaign)).status_code == 405


def test_the_navigation_and_the_playbook_link_to_campaigns(practice_a, admin_user):
    client = verified_client(admin_user)
    assert reverse("campaigns:home") in client.get(reverse("playbook:home")).content.decode()
    moments = client.get(reverse("playbook:moments", kwargs={"slug": "alpha"})).content.decode()
    assert url("list") in moments
