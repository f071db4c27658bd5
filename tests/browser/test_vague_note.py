"""In a real browser: a vague note is refused with what to add; a good note is accepted."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from notes.models import Note
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_lvm_is_refused_with_what_to_add_then_a_good_note_is_accepted(
    transactional_db, live_server, page: Page, item, assistant
):
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}{reverse('notes:item-notes', args=[item.code])}")
    check = page.locator(f"#note-check-{item.code}")

    # Typing fires the live check (keyup, 500 ms debounce) before anything is saved.
    page.locator("#id_free_text").press_sequentially("LVM")
    expect(check).to_have_attribute("data-verdict", "vague")
    expect(check).to_contain_text("Still vague")
    expect(check).to_contain_text("Escalation status")

    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note-refused")).to_contain_text("Not saved: this note is vague")
    expect(page.locator(f"#note-check-{item.code}")).to_contain_text(
        "Add what happens next and when"
    )
    expect(page.locator("#id_free_text")).to_have_value("LVM")
    assert not Note.objects.filter(item=item).exists()

    page.fill("#id_free_text", "")
    page.fill("#id_request", "Patient asked to move the Thursday 9:00 AM visit (work conflict)")
    page.fill("#id_verified_details", "Name and DOB verified")
    page.fill("#id_action_taken", "Moved to 3/13 at 2:10 PM; confirmation text sent")
    page.fill("#id_promised_follow_up", "Reminder goes out 3/12; item closed")
    page.locator("#id_escalation_status").press_sequentially("No clinical questions")
    expect(page.locator(f"#note-check-{item.code}")).to_have_attribute("data-verdict", "actionable")

    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note-saved")).to_be_visible()
    expect(page.locator(".note-list .note").first).to_contain_text("Actionable")
    expect(page.locator(".note-list .note").first).to_contain_text(
        re.compile("Moved to 3/13 at 2:10 PM")
    )
    note = Note.objects.get(item=item)
    assert note.label == "actionable"
    assert note.author == assistant
