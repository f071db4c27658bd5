"""axe-core in a real Chromium on the screens people work in: the queue, the item panel (with
its notes and escalation widgets), the weekly scorecard and the escalation inbox. A serious
or critical violation fails the test, with what axe says and where."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from escalation.services import escalate_item
from queue_app.models import Role
from tests import factories
from tests.browser.test_manager_journey import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1440, "height": 900}
BLOCKING = ("serious", "critical")


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def work(practice_a, assistant):
    now = timezone.now()
    spanish = factories.make_patient(practice_a, first_name="María", preferred_language="es")
    factories.make_appointment(spanish, starts_at=now + timedelta(days=2))
    items = [
        factories.make_item(practice_a, patient=spanish, key="appointment_time_question"),
        factories.make_item(practice_a, key="form_reminder", due_at=now - timedelta(minutes=5)),
        factories.make_item(practice_a, key="missed_call_callback", needed_from_patient="photo"),
    ]
    urgent = factories.make_item(
        practice_a, key="other_admin", patient_words="Chest pain since this morning"
    )
    escalate_item(item=urgent, route_kind="clinical", reason="Chest pain", now=now)
    return items


def test_the_queue_and_the_item_panel_have_no_serious_violation(
    live_server, browser, work, assistant
):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert blocking_violations(page) == []
    page.fill("#id_username", assistant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Queue")
    page.wait_for_load_state()  # htmx is in: the filter's change refreshes the list
    page.select_option("#filter_block", "")
    expect(page.locator("[data-queue-row]")).to_have_count(4)
    assert blocking_violations(page) == []

    page.locator("[data-queue-row]").first.locator("[data-open]").click()
    panel = page.locator("#item-panel")
    panel.get_by_role("button", name="Claim").click()
    expect(panel).to_contain_text("You have this item now.")
    expect(panel.locator("form.note-form")).to_be_visible()
    expect(panel.locator("#item-escalation").get_by_role("heading", level=2)).to_be_visible()
    assert blocking_violations(page) == []
    context.close()


def test_the_scorecard_and_the_escalation_inbox_have_no_serious_violation(
    live_server, browser, work, practice_a
):
    manager = factories.make_user("manager-axe", practice_a, Role.MANAGER)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    sign_in_with_code(page, live_server.url, manager)

    page.get_by_role("link", name="Scorecard").click()
    expect(page.locator("h1")).to_contain_text("Scorecard")
    assert blocking_violations(page) == []

    page.goto(f"{live_server.url}/escalations/")
    expect(page.locator("body")).to_contain_text("Chest pain")
    assert blocking_violations(page) == []
    context.close()
