"""A manager writes a campaign on a phone (390 px), by keyboard: every page fits the width."""

import pytest
from playwright.sync_api import expect

from queue_app.models import Role
from tests import factories
from tests.browser.test_manager_journey import sign_in_with_code
from tests.campaigns.helpers import BODY_EN, BODY_ES, book, day_campaign, visit_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_manager_writes_a_campaign_on_a_phone_by_keyboard(live_server, browser, practice_a):
    manager = factories.make_user("manager-phone", practice_a, Role.MANAGER)
    day = visit_day(practice_a)
    for _ in range(3):
        book(factories.make_patient(practice_a), day)
    # Another campaign, long-named, already listed.
    day_campaign(practice_a, manager, day, name="Flu shots for everyone " + "x" * 60)
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    sign_in_with_code(page, live_server.url, manager)

    page.get_by_role("link", name="Campaigns").click()
    expect(page.locator("h1")).to_have_text("Alpha Clinic: campaigns")
    assert fits(page)
    page.get_by_role("link", name="New campaign").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("New campaign")
    assert fits(page)

    page.focus("#id_name")
    page.keyboard.type("Flu shots")
    page.keyboard.press("Tab")  # the moment
    page.select_option("#id_moment", label="appointment_time_question")
    page.focus("#id_audience_0")
    page.keyboard.press("Space")
    page.focus("#id_appointment_date")
    page.fill("#id_appointment_date", day.isoformat())
    page.focus("#id_body_en")
    page.keyboard.insert_text(BODY_EN)
    page.focus("#id_body_es")
    page.keyboard.insert_text(BODY_ES)
    page.get_by_role("button", name="Save campaign").focus()
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Flu shots")
    expect(page.locator("[data-count=eligible]")).to_have_text("3")
    expect(page.get_by_text("Waiting for another manager or admin")).to_be_visible()
    assert fits(page)
    context.close()
