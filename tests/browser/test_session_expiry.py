"""A session that ends while a note is being written: the save asks to sign in again in
place, and after signing in the typed note is back in its field, in a real Chromium."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from notes.models import Note
from tests import factories
from tests.browser.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Patient asked to move the 3/6 9:00 AM visit with Dr. Huang (work conflict)"


def test_a_note_typed_when_the_session_ends_comes_back_after_signing_in_again(
    live_server, browser, item, assistant
):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", assistant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/items/{item.code}/")
    note = page.locator("form.note-form [name=request]")
    note.fill(TYPED)

    # The session ends on the server (idle timeout elsewhere, sign-out everywhere).
    Session.objects.all().delete()
    # Submitted as a click would, even if a poll has already found the session gone and the
    # dialog is open over the page (then the save's kept text joins the open dialog).
    page.get_by_role("button", name="Save note").evaluate(
        "button => button.form.requestSubmit(button)"
    )

    dialog = page.locator("dialog#signin-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("What you were typing is kept")
    # Asked in place: the page is still the item, with no sign-in page inside it.
    expect(page.locator("#item-panel h1")).to_have_count(0)
    expect(page.locator("#item-title")).to_be_visible()
    assert blocking_violations(page) == []
    # Mark the form on screen now, to tell it from the one drawn after signing in.
    page.locator("form.note-form").evaluate("form => form.setAttribute('data-before', '')")
    dialog.get_by_label("Username").fill(assistant.username)
    dialog.get_by_label("Password").fill(factories.PASSWORD)
    dialog.get_by_role("button", name="Sign in").click()

    expect(dialog).to_be_hidden()
    expect(page.locator("form.note-form[data-before]")).to_have_count(0)
    expect(page.locator("form.note-form [name=request]")).to_have_value(TYPED)
    assert not Note.objects.exists()
    # The text lives on the server, not in the browser: a fresh load shows it too.
    page.reload()
    expect(page.locator("form.note-form [name=request]")).to_have_value(TYPED)

    # And the page works again: the note saves with the new session.
    form = page.locator("form.note-form")
    form.locator("[name=verified_details]").fill("Identity confirmed (name + DOB)")
    form.locator("[name=action_taken]").fill("Moved to 3/13 at 2:10 PM; confirmation text sent")
    form.locator("[name=promised_follow_up]").fill("Reminder goes out 3/12; item closed")
    form.locator("[name=escalation_status]").fill("No clinical questions; escalation: none")
    form.get_by_role("button", name="Save note").click()
    # The list, not the form: the saved note is shown with what was typed before the expiry.
    expect(page.locator(".note-list")).to_contain_text(TYPED)
    assert Note.objects.get().request == TYPED
    context.close()
