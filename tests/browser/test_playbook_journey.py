"""Two admins keep the playbook in a real Chromium: admin A drafts a new version of a
response and watches its lint and preview change while typing, cannot approve their own
draft; admin B approves it, and the queue offers the new version."""

import pytest
from playwright.sync_api import expect

from queue_app.models import Role
from templates_lib.services import approved_template
from tests import factories
from tests.browser.pages import sign_in_with_code

VIEWPORT = {"width": 1280, "height": 720}
NEW_BODY = (
    "Hi {first_name}, this is {practice_name}. We got your request to move your visit. "
    "We're checking open times now. Please reply with days that work. "
    "We'll text you options {next_update}."
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_edit_is_previewed_linted_approved_by_a_second_admin_and_offered(
    live_server, browser, screenshots, practice_a
):
    admin_a = factories.make_user("admin-journey-a", practice_a, Role.ADMIN)
    admin_b = factories.make_user("admin-journey-b", practice_a, Role.ADMIN)
    moment = factories.moment(practice_a, "reschedule")
    v1 = approved_template(moment=moment, language="en", channel="sms")
    base = live_server.url

    # Admin A opens the moment's templates from the navigation and starts a new draft.
    page = browser.new_context(viewport=VIEWPORT).new_page()
    sign_in_with_code(page, base, admin_a)
    page.goto(f"{base}/playbook/")
    expect(page.locator("nav").get_by_role("link", name="Playbook", exact=True)).to_be_visible()
    page.get_by_role("link", name=practice_a.name).click()
    page.get_by_role("link", name="Reschedule", exact=True).click()
    page.get_by_role("link", name="Response templates").click()
    slot = page.locator("#slot-sms-first_response")
    expect(slot).to_contain_text("Live in the queue")
    page.screenshot(path=str(screenshots / "playbook_templates.png"), full_page=False)
    slot.get_by_role("link", name=f"v{v1.version}").first.click()
    expect(page.locator("[data-status]")).to_have_text("Approved")
    page.get_by_role("button", name="Start a new draft from this version").click()
    expect(page.locator("[data-status]")).to_have_text("Draft")

    # Typing a misspelt placeholder: the lint and the preview say so within a moment.
    editor = page.locator("textarea[name=body]")
    editor.fill("")
    editor.press_sequentially("Hi {frist_name}, this is {practice_name}.")
    expect(page.locator("#preview [data-lint]")).to_contain_text("did you mean {first_name}?")
    expect(page.locator("#preview [data-preview-error]")).to_contain_text("{frist_name}")

    # Correct text: the preview shows the sample patient and the lint clears.
    editor.fill("")
    editor.press_sequentially(NEW_BODY)
    expect(page.locator("#preview [data-preview-text]")).to_contain_text(
        "Hi Ana, this is Lakeside Family Medicine."
    )
    expect(page.locator("#preview [data-lint]")).to_have_text("No lint issues.")
    expect(page.locator("#preview [data-segments]")).to_contain_text("GSM-7")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash")).to_contain_text("saved")
    expect(page.locator("[data-diff] ins").first).to_be_visible()

    # The author cannot approve their own draft.
    expect(page.locator("[data-self-approval]")).to_be_visible()
    expect(page.locator("button[data-approve]")).to_be_disabled()
    page.screenshot(path=str(screenshots / "playbook_editor.png"), full_page=False)
    draft_url = page.url
    assert approved_template(moment=moment, language="en", channel="sms") == v1

    # Admin B approves it.
    other = browser.new_context(viewport=VIEWPORT).new_page()
    sign_in_with_code(other, base, admin_b)
    other.goto(draft_url)
    other.get_by_role("button", name="Approve v2").click()
    expect(other.locator("[data-status]")).to_have_text("Approved")
    expect(other.locator(".flash")).to_contain_text("previous version was retired")

    # The queue now offers v2, and the training playbook teaches it.
    offered = approved_template(moment=moment, language="en", channel="sms")
    assert (offered.version, offered.approved_by, offered.author) == (2, admin_b, admin_a)
    assert offered.body == NEW_BODY
    v1.refresh_from_db()
    assert v1.status == "retired"
    other.goto(f"{base}/playbook/{practice_a.slug}/moments/reschedule/")
    expect(other.get_by_label("Delegated to assistants", exact=False)).to_be_checked()
    other.screenshot(path=str(screenshots / "playbook_moment.png"), full_page=True)
    other.goto(f"{base}/playbook/{practice_a.slug}/training/")
    expect(other.locator("#m-reschedule")).to_contain_text("We're checking open times now.")
    other.emulate_media(media="print")
    expect(other.locator("header.topbar")).to_be_hidden()  # the printout is the playbook only
    other.screenshot(path=str(screenshots / "playbook_training.png"), full_page=False)
