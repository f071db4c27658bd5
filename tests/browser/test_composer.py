"""In a real browser, keyboard only: pick a response in the composer and send it; write your
own and see the lint refuse a link as it is typed, the text kept."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from queue_app.models import Message
from tests import factories
from tests.browser.pages import sign_in
from tests.queue_app.queue_helpers import no_quiet_hours, verified

pytestmark = pytest.mark.browser


def test_a_response_is_picked_and_sent_by_keyboard(
    transactional_db, live_server, page: Page, screenshots, practice_a, patient, assistant
):
    item = verified(
        factories.make_item(
            practice_a, patient=patient, owner=assistant, status="assigned", key="other_admin"
        )
    )
    no_quiet_hours(item)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}{reverse('queue:item', args=[item.code])}")
    composer = page.locator("#composer")

    # The routine send is preselected: the first response by SMS, previewed for the patient.
    checked = composer.locator("input[name=choice]:checked")
    expect(checked).to_have_count(1)
    expect(composer.locator(".choice:has(input:checked) pre.body")).to_contain_text(
        patient.first_name
    )

    # Arrow keys move through the responses; only the chosen one's preview shows.
    checked.focus()
    page.keyboard.press("ArrowDown")
    portal = composer.get_by_role("radio", name="First response · Portal")
    expect(portal).to_be_checked()
    expect(composer.locator(".choice:has(input:checked) pre.body")).to_be_visible()
    expect(composer.locator("pre.body:visible")).to_have_count(1)
    # The page never scrolls sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    composer.screenshot(path=str(screenshots / "composer_pick.png"))
    page.keyboard.press("Tab")
    expect(composer.get_by_role("button", name="Send")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#item-panel")).to_contain_text("Message queued for sending.")
    message = Message.objects.get(item=item, direction="out")
    assert message.channel == "portal" and message.template is not None
    assert patient.first_name in message.body

    # Now in their own words: the live check refuses a link before anything is sent.
    composer.locator("input[name=choice]:checked").focus()
    free = composer.get_by_role("radio", name="Write your own")
    while not free.is_checked():
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the channel
    page.keyboard.press("Tab")  # the message box
    expect(page.locator("#compose-text")).to_be_focused()
    page.keyboard.type("Hi, the form is at www.example-forms.com today.")
    expect(page.locator("#compose-lint")).to_contain_text("No links in your own words")
    page.keyboard.press("Tab")
    expect(composer.get_by_role("button", name="Send")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#compose-error")).to_contain_text("Your message was not sent")
    page.locator("#composer").screenshot(path=str(screenshots / "composer_refused.png"))
    expect(page.locator("#compose-text")).to_have_value(
        "Hi, the form is at www.example-forms.com today."
    )
    assert Message.objects.filter(item=item, direction="out").count() == 1

    # Escalated beside it, the composer offers the route's holding script at once.
    escalate = page.locator(".escalate-form")
    escalate.locator("select[name=route_kind]").select_option("billing")
    escalate.locator("[name=reason]").fill("Asks about a charge on the last bill")
    escalate.get_by_role("button", name="Escalate").click()
    script = composer.get_by_role("radio", name="While escalated: tell the patient · SMS")
    expect(script).to_be_visible()
    expect(page.locator("#compose-text")).to_have_value(
        "Hi, the form is at www.example-forms.com today."
    )
    composer.locator("input[name=choice]:checked").focus()
    for _ in range(6):
        if script.is_checked():
            break
        page.keyboard.press("ArrowUp")
    expect(script).to_be_checked()
    page.keyboard.press("Tab")
    expect(composer.get_by_role("button", name="Send")).to_be_focused()
    page.keyboard.press("Enter")
    # Sent: the panel is drawn again with the script marked sent.
    expect(script).to_be_disabled()
    held = Message.objects.filter(item=item, direction="out").latest("created")
    assert held.purpose == "holding_script" and "billing team" in held.body
    # Let the widgets the new panel loads finish before the database is flushed.
    page.wait_for_load_state("networkidle")
    page.close()
