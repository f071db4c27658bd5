"""An assistant works a Spanish item from the queue to resolution in a real Chromium, while a
second assistant in another browser context sees it taken."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from queue_app.models import CallAttempt, ItemEvent, Message, WorkItem
from templates_lib.models import ChannelRule
from tests import factories
from tests.browser.pages import sign_in

VIEWPORT = {"width": 1280, "height": 720}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_spanish_queue(page: Page) -> None:
    """Show the whole day (the rhythm block depends on the clock), then Spanish only."""
    page.select_option("#filter_block", "")
    page.select_option("#filter_language", "es")
    expect(page).to_have_url(re.compile(r"language=es"))
    expect(page.locator("[data-queue-row]")).to_have_count(1)


@pytest.fixture
def spanish_item(practice_a, assistant, assistant_2):
    now = timezone.now()
    # A realistic queue around the item: English work, one urgent, one already taken.
    for n in range(5):
        english = factories.make_patient(
            practice_a, first_name=["Dana", "Lee", "Omar", "Ruth", "Ivy"][n]
        )
        factories.make_item(
            practice_a,
            patient=english,
            key=["reschedule", "form_reminder", "referral_status", "cancel", "billing_question"][n],
            received_at=now - timedelta(minutes=20 + 25 * n),
            due_at=now + timedelta(minutes=60 - 30 * n),
            needed_from_patient="insurance card photo" if n == 2 else "",
        )
    factories.make_item(
        practice_a,
        patient=factories.make_patient(practice_a, first_name="Grace"),
        key="other_admin",
        boundary="urgent",
        status="escalated",
        patient_words="Having chest pain since this morning",
    )
    maria = factories.make_patient(
        practice_a,
        first_name="María",
        last_name="Quintero",
        preferred_language="es",
        contact_window="después de las 3 p. m.",
    )
    factories.make_appointment(maria, starts_at=now + timedelta(days=2), provider_name="Dra. Ruiz")
    item = factories.make_item(
        practice_a,
        patient=maria,
        key="reschedule",
        patient_words="Hola, no puedo ir a mi cita del jueves. ¿Me la pueden cambiar?",
        received_at=now - timedelta(minutes=40),
        due_at=now + timedelta(minutes=20),
    )
    # Quiet hours depend on the wall clock; this journey sends right away whatever the hour.
    ChannelRule.objects.filter(moment=item.moment).update(respects_quiet_hours=False)
    return item


def test_an_assistant_works_a_spanish_item_and_a_colleague_sees_it_taken(
    live_server, browser, screenshots, spanish_item, assistant, assistant_2
):
    base = live_server.url
    first = browser.new_context(viewport=VIEWPORT)
    page = first.new_page()
    sign_in(page, base, assistant.username)
    open_spanish_queue(page)
    row = page.locator("[data-queue-row]")
    expect(row).to_contain_text("María Quintero")
    expect(row.locator(".badge.lang-es")).to_have_text("ES")

    # Claim from the keyboard: j selects the first row, c claims it.
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("c")
    panel = page.locator("#item-panel")
    expect(panel).to_contain_text("You have this item now.")
    expect(row).to_contain_text("You")

    # A colleague in another browser sees the item taken, with no claim button.
    second = browser.new_context(viewport=VIEWPORT)
    other = second.new_page()
    sign_in(other, base, assistant_2.username)
    other.select_option("#filter_block", "")
    expect(other.locator("[data-queue-row]")).to_have_count(7)
    expect(other.locator("[data-queue-row].row-taken")).to_contain_text("Taken by assistant-a")
    other.locator("[data-queue-row]").first.locator("[data-open]").click()
    expect(other.locator("#item-panel")).to_contain_text("Grace")
    other.screenshot(path=str(screenshots / "queue.png"))
    open_spanish_queue(other)
    other_row = other.locator("[data-queue-row]")
    expect(other_row).to_contain_text("Taken by assistant-a")
    expect(other_row.locator("[data-claim]")).to_have_count(0)
    second.close()

    # Verify identity field by field, then the approved Spanish response is filled in.
    expect(panel).to_contain_text("Shown once identity is verified")
    for box in panel.locator(".checklist input[type=checkbox]").all():
        box.check()
    panel.get_by_role("button", name="Record ticked only").click()
    expect(panel).to_contain_text("Identity verified")
    expect(panel.locator("pre.body").first).to_contain_text("Hola María")
    expect(panel).to_contain_text("Dra. Ruiz")

    # The composer preselects the first response by SMS: sending it is one click.
    expect(panel.get_by_role("radio", name="First response · SMS")).to_be_checked()
    panel.locator("#composer").get_by_role("button", name="Send").click()
    expect(panel).to_contain_text("Message queued for sending.")

    panel.locator("#call_outcome").select_option("reached")
    panel.get_by_role("button", name="Log call").click()
    expect(panel).to_contain_text("Call attempt logged.")

    # The note form is the notes app's widget, loaded into the panel.
    notes = panel.locator("form.note-form")
    notes.locator("[name=request]").fill(
        "Patient asked to move the Thursday visit with Dra. Ruiz (work conflict)"
    )
    notes.locator("[name=verified_details]").fill("Identity confirmed (name + DOB + appointment)")
    notes.locator("[name=action_taken]").fill("Moved to next Tuesday 10:00 AM; confirmation sent")
    notes.locator("[name=contact_attempt]").fill("Called at 10:05, reached the patient")
    notes.locator("[name=promised_follow_up]").fill("Reminder goes out Monday; item closed")
    notes.locator("[name=escalation_status]").fill("No clinical questions; escalation: none")
    notes.get_by_role("button", name="Save note").click()
    expect(panel).to_contain_text("Note saved")

    page.goto(f"{base}/items/{spanish_item.code}/")
    page.screenshot(path=str(screenshots / "item_panel.png"))
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("body")).to_contain_text("Resolved.")
    first.close()

    spanish_item.refresh_from_db()
    assert spanish_item.status == WorkItem.Status.RESOLVED
    assert spanish_item.owner == assistant
    assert spanish_item.identity_verified_at is not None
    assert spanish_item.first_response_at is not None
    message = Message.objects.get(item=spanish_item, direction="out")
    assert message.language == "es" and "María" in message.body
    assert CallAttempt.objects.get(item=spanish_item).outcome == "reached"
    kinds = set(ItemEvent.objects.filter(item=spanish_item).values_list("kind", flat=True))
    assert {
        "claimed",
        "identity_verified",
        "response_queued",
        "call_logged",
        "note_added",
        "resolved",
    } <= kinds
