"""A manager reads the weekly scorecard in a real Chromium: switches weeks, filters to Spanish,
exports the CSV and records a quality-loop decision."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from queue_app.models import Role
from reports.models import QualityDecision
from tests import factories
from tests.browser.pages import sign_in_with_code
from tests.reports.conftest import WEEK, item, local, send, template
from tests.reports.conftest import world as world  # noqa: F401 - the hand-built week, as a fixture

VIEWPORT = {"width": 1280, "height": 720}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def history(world, practice_a):
    """Eight earlier weeks with a few answered items each, so the trend charts have a shape."""
    patient_en = factories.make_patient(practice_a, preferred_language="en")
    patient_es = factories.make_patient(practice_a, preferred_language="es")
    for weeks_back in range(1, 9):
        monday = WEEK - timedelta(weeks=weeks_back)
        for n in range(2 + weeks_back % 4):
            patient = patient_es if n % 2 else patient_en
            received = local(monday + timedelta(days=n % 5), "09:00")
            done = item(practice_a, patient, "reschedule", received, status="resolved",
                        resolved_at=received + timedelta(hours=3))  # fmt: skip
            tmpl = template(practice_a, "reschedule", patient.preferred_language)
            send(done, received + timedelta(minutes=15 + 12 * weeks_back + 20 * n), tmpl=tmpl)
    return world


def test_a_manager_reads_the_scorecard_and_records_a_decision(
    live_server, browser, screenshots, history, practice_a, tmp_path
):
    manager = factories.make_user("manager-journey", practice_a, Role.MANAGER)
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    base = live_server.url
    sign_in_with_code(page, base, manager)

    # Open the scorecard from the navigation, then the week after the hand-built one.
    page.get_by_role("link", name="Scorecard").click()
    expect(page.locator("h1")).to_contain_text("Scorecard · Alpha Clinic")
    page.goto(f"{base}/reports/alpha/2026-W47/")
    expect(page.locator("h1")).to_contain_text("week 2026-W47")

    # Switch weeks: back to 2026-W46.
    page.get_by_role("link", name=re.compile("← Nov 9")).click()
    expect(page.locator("h1")).to_contain_text("week 2026-W46")
    expect(page.locator("#metric-received .figure a")).to_have_text("8")
    expect(page.locator("tr[data-language=es]")).to_contain_text("47.5 min")
    expect(page.locator("svg.spark").first).to_be_visible()
    page.screenshot(path=str(screenshots / "scorecard.png"), full_page=False)

    # Filter to Spanish.
    page.select_option("#language-select", "es")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"2026-W46/\?language=es"))
    expect(page.locator("#metric-received .figure a")).to_have_text("4")
    expect(page.locator(".report-head")).to_contain_text("ES items only")

    # Export the CSV of what is on screen.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "scorecard-alpha-2026-W46-es.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "2026-W46,es,received,,,,4" in saved.read_text()

    # The quality loop: record a decision tied to the intake moment.
    page.get_by_role("link", name="Quality loop review").click()
    expect(page.locator("h1")).to_contain_text("Quality loop")
    page.fill("#id_text", "Revise the intake reminder")
    page.select_option("#id_playbook_item", "moment:bilingual_intake")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#decisions table")).to_contain_text("Revise the intake reminder")
    expect(page.locator("#decisions table")).to_contain_text("open")
    decision = QualityDecision.objects.get()
    assert decision.decided_by == manager and decision.moment.key == "bilingual_intake"
    context.close()
