"""In a real browser: a call taken at the front desk is typed in from the queue, by keyboard,
and lands in the queue triaged, opened in the panel beside it."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from queue_app.models import WorkItem
from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_front_desk_call_entered_by_hand_reaches_the_queue_triaged(
    live_server, page: Page, practice_a, assistant
):
    patient = factories.make_patient(
        practice_a, first_name="Ana", last_name="Gómez", date_of_birth=date(1961, 3, 14)
    )
    sign_in(page, live_server.url, assistant.username)
    page.get_by_role("link", name="New item").click()
    panel = page.locator("#item-panel")
    expect(panel.get_by_role("heading", name="New item")).to_be_visible()

    page.get_by_label("How it came in").select_option(label="Phone call (front desk)")
    page.get_by_label("What the patient said or asked").fill(
        "my father has chest pain and can't breathe"
    )
    lookup = page.get_by_label("Find the patient")
    lookup.fill("gomez 3/14/1961")
    lookup.press("Enter")  # lists the matches; nothing is sent to the queue yet
    choice = panel.get_by_label("Gómez, Ana", exact=False)
    expect(choice).to_be_visible()
    choice.check()
    page.get_by_role("button", name="Add to the queue").click()

    # The new item opens in the panel, urgent, with the emergency script to read out.
    # The item's own warning; its escalation panel, loaded just after, shows a second one.
    urgent = panel.locator(".alert-urgent").first
    expect(urgent).to_contain_text("If this is an emergency, call 911.")
    expect(panel).to_contain_text("Phone call (front desk)")
    expect(panel).to_contain_text("my father has chest pain")
    # And the queue beside it lists it, first, marked urgent.
    page.select_option("#filter_block", "")
    first_row = page.locator("[data-queue-row]").first
    expect(first_row).to_contain_text("Gómez")
    expect(first_row.locator(".badge.urgent")).to_be_visible()
    item = WorkItem.objects.get(patient=patient)
    assert (item.channel, item.boundary, item.status) == ("front_desk", "urgent", "escalated")


def test_a_walk_in_new_patient_at_a_phones_width_with_a_bad_phone_then_fixed(
    live_server, browser, practice_a, assistant
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, assistant.username)
    page.get_by_role("link", name="New item").click()
    panel = page.locator("#item-panel")
    page.get_by_label("How it came in").select_option(label="Walk-in")
    page.get_by_label("What the patient said or asked").fill("Wants to cancel Friday's visit")
    page.get_by_label("First name").fill("Luis")
    page.get_by_label("Last name").fill("Ortega")
    page.get_by_label("Date of birth").fill("7/2/1958")
    page.get_by_label("Phone", exact=True).fill("555-12")
    page.get_by_role("button", name="Add to the queue").click()
    expect(panel).to_contain_text("This is not a valid phone number; check the digits.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not WorkItem.objects.exists()

    # Nothing typed was lost: only the phone is fixed.
    expect(page.get_by_label("Last name")).to_have_value("Ortega")
    page.get_by_label("Phone", exact=True).fill("(305) 555-0177")
    page.get_by_label("Phone", exact=True).press("Enter")
    expect(panel).to_contain_text("New item entered: Cancel")
    item = WorkItem.objects.get()
    assert (item.channel, item.patient.phone) == ("walk_in", "+13055550177")
    context.close()
