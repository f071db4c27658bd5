"""In a real browser: an urgent message raises the alert, with the emergency script, on the
assistant's screen without a reload, and the item panel shows the script to read out."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from escalation import services
from queue_app.services import intake
from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "If this is an emergency, hang up and call 911 now. Mercy ER is open all night."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_an_urgent_message_raises_the_alert_with_the_emergency_script(
    live_server, page: Page, practice_a, assistant, patient
):
    practice_a.emergency_script = SCRIPT
    practice_a.save()
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}/")
    banner = page.locator("#escalation-alerts")
    expect(banner.locator(".alert-urgent")).to_have_count(0)

    # A reschedule request with chest pain inside arrives while the assistant is on the page.
    item = intake.create_item(
        practice=practice_a,
        patient=patient,
        moment=factories.moment(practice_a, "reschedule"),
        channel="sms",
        words="need to reschedule, also having chest pain right now",
        language="en",
        now=timezone.now(),
        service="twilio-webhook",
    )
    assert services.open_escalation(item).route.kind == "urgent"

    alert = banner.locator(".alert-urgent")
    expect(alert).to_be_visible(timeout=15_000)  # the banner polls every 10 s
    expect(alert).to_contain_text("URGENT")
    expect(alert).to_contain_text(SCRIPT)
    expect(alert).not_to_contain_text(patient.last_name)

    alert.get_by_role("link", name="Open the item").click()
    panel = page.locator(f"#escalation-panel-{item.code}")
    expect(panel.locator(".alert-urgent")).to_contain_text(SCRIPT)
    expect(panel).to_contain_text("Urgent")
    expect(panel).to_contain_text("You cannot close this item")
