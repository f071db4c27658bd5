"""A manager opens the per-assistant page from the scorecard at a phone's width, by keyboard."""

import pytest
from playwright.sync_api import expect

from queue_app.models import Role
from tests import factories
from tests.browser.test_manager_journey import sign_in_with_code
from tests.reports.test_coaching import team as team  # noqa: F401 - the hand-counted week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coaching_page_fits_a_phone_and_scrolls_its_table_by_keyboard(
    live_server,
    browser,
    practice_a,
    team,  # noqa: F811
):
    manager = factories.make_user("coach", practice_a, Role.MANAGER)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in_with_code(page, live_server.url, manager)
    page.goto(f"{live_server.url}/reports/alpha/2026-W46/")

    link = page.get_by_role("link", name="Per assistant (coaching)")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Per assistant · Alpha Clinic")
    ana = page.locator(f'tr[data-assistant="{team["ana"].pk}"]')
    expect(ana.locator('[data-figure="resolved"]')).to_have_text("3")
    expect(ana.locator('[data-figure="median"]')).to_contain_text("75")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The wide table scrolls inside its own region, which the keyboard can reach.
    region = page.get_by_role("region", name="Figures per assistant, scrolls sideways")
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    for _ in range(50):  # smooth scrolling takes a few frames
        if region.evaluate("el => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("el => el.scrollLeft") > 0
    context.close()
