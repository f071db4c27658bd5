"""A patient found by "gomez 3/14/1961" from the queue's header search, then her record; the
same journey at a phone's width and by keyboard."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from queue_app.models import AuditEvent, Message, WorkItem
from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rosa(practice_a):
    now = timezone.now()
    rosa = factories.make_patient(
        practice_a, first_name="Rosa", last_name="Gómez", date_of_birth=date(1961, 3, 14)
    )
    # A namesake with another birthday: the date of birth tells them apart.
    factories.make_patient(practice_a, first_name="Rosa", last_name="Gomez")
    old = factories.make_item(
        practice_a,
        patient=rosa,
        key="cancel",
        received_at=now - timedelta(days=20),
        status=WorkItem.Status.RESOLVED,
        resolved_at=now - timedelta(days=19),
    )
    factories.make_message(
        old, body="Your cancellation is done, Rosa.", status=Message.Status.DELIVERED
    )
    factories.make_item(
        practice_a,
        patient=rosa,
        key="referral_status",
        patient_words="Any news on my cardiology referral?",
    )
    return rosa


def search_from_header(page: Page, words: str) -> None:
    page.fill("#topbar-q", words)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Find a patient")


def test_an_assistant_finds_gomez_by_name_and_birth_date_and_opens_her_record(
    live_server, browser, screenshots, rosa, assistant
):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    sign_in(page, live_server.url, assistant.username)
    search_from_header(page, "gomez 3/14/1961")
    results = page.locator("[data-result]")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Gómez, Rosa")
    expect(results).to_contain_text("Resolved")
    assert "gomez" not in page.url.lower() and "1961" not in page.url
    page.screenshot(path=str(screenshots / "patient-search.png"))

    results.get_by_role("link", name="Gómez, Rosa").click()
    expect(page.locator("h1")).to_contain_text("Rosa Gómez")
    timeline = page.locator(".record-timeline")
    expect(timeline).to_contain_text("Any news on my cardiology referral?")
    expect(timeline).to_contain_text("Your cancellation is done, Rosa.")
    expect(timeline).to_contain_text("Resolved:")
    assert str(rosa.code) in page.url and "rosa" not in page.url.lower()
    page.screenshot(path=str(screenshots / "patient-record.png"), full_page=True)
    assert AuditEvent.objects.filter(action="patient_view", patient_ids=[rosa.pk]).exists()
    context.close()


def test_at_a_phones_width_by_keyboard(live_server, browser, rosa, assistant):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, assistant.username)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.focus("#topbar-q")
    page.keyboard.type("GÓMEZ 1961-03-14")
    page.keyboard.press("Enter")
    expect(page.locator("[data-result]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[data-result] h2 a").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Rosa Gómez")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
