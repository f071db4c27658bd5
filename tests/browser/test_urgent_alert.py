"""In a real browser: an urgent message raises the alert, with the emergency script, on the
assistant's screen without a reload, and the item panel shows the script to read out; a
dismissed alert leaves the banner."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from escalation import services
from queue_app.services import intake
from tests import factories
from tests.browser.pages import sign_in, sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "If this is an emergency, hang up and call 911 now. Mercy ER is open all night."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def banner_marker_sent(response) -> str:
    """The banner's marker in the page's one poll, if this response answers that poll."""
    if urlparse(response.url).path != "/live/":
        return ""
    return parse_qs(response.request.post_data or "").get("alerts", [""])[0]


def nothing_new(response) -> bool:
    return bool(banner_marker_sent(response)) and response.status == 204


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
    # The page's next polls carry the banner's marker and find nothing new (204): the alert
    # stays. (Up to two polls: the minute may turn in between and redraw it once.)
    with page.expect_response(nothing_new, timeout=25_000):
        pass
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(SCRIPT)

    alert.get_by_role("link", name="Open the item").click()
    panel = page.locator(f"#escalation-panel-{item.code}")
    expect(panel.locator(".alert-urgent")).to_contain_text(SCRIPT)
    expect(panel).to_contain_text("Urgent")
    expect(panel).to_contain_text("You cannot close this item")


def test_a_dismissed_alert_leaves_the_banner_and_the_banner_keeps_polling(
    live_server, page: Page, manager, item
):
    now = timezone.now()
    services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)
    services.escalate_overdue_acknowledgements(now=now + timedelta(hours=2))
    sign_in_with_code(page, live_server.url, manager)
    page.goto(f"{live_server.url}/")
    overdue = page.locator("#escalation-alerts .alert-note", has_text="Acknowledgement overdue")
    expect(overdue).to_be_visible()

    with page.expect_request(lambda r: r.url.endswith("/seen/")) as dismissal:
        overdue.get_by_role("button", name="Dismiss").click()

    expect(overdue).to_have_count(0)
    expect(page.locator("#escalation-alerts .alert-note")).to_contain_text("New escalation")
    # The dismissal is the person's own doing, not a background poll: it keeps them signed in.
    assert "x-background-poll" not in dismissal.value.headers
    # The banner drawn by the dismissal gives the page's poll its own marker: nothing new, 204.
    with page.expect_response(nothing_new, timeout=25_000):
        pass
    expect(overdue).to_have_count(0)
