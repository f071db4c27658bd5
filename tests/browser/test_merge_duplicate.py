"""In a real browser: an assistant merges a duplicate into the item open in the panel, and
links a related one; the panel shows the moved message and the link."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from queue_app.models import WorkItem
from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merge_a_duplicate_and_link_a_related_item_from_the_panel(
    live_server, page: Page, practice_a, assistant
):
    patient = factories.make_patient(practice_a, first_name="Rosa")
    keep = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    duplicate = factories.make_item(practice_a, patient=patient, channel="walk_in")
    factories.make_message(
        duplicate,
        direction="in",
        status="received",
        body="Friday afternoon works too",
        created=timezone.now(),
    )
    related = factories.make_item(practice_a, patient=patient, key="records_request")
    page.on("dialog", lambda dialog: dialog.accept())  # "Merge that item into this one?"
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}/items/{keep.code}/")
    widget = page.locator("#item-links")
    merge = widget.get_by_role("button", name="Merge Reschedule into this item")
    expect(merge).to_have_count(1)
    merge.click()
    panel = page.locator("#item-panel")
    expect(panel).to_contain_text("Merged: the duplicate's messages are here now")
    expect(panel.locator("#conversation")).to_contain_text("Friday afternoon works too")
    expect(widget).to_contain_text("closed as a duplicate")

    widget.get_by_role("button", name="Link Records request to this item").click()
    expect(panel).to_contain_text("Linked: each item now shows the other.")
    page.goto(f"{live_server.url}/items/{related.code}/")
    expect(page.locator("#item-links")).to_contain_text("Linked items")
    expect(page.locator("#item-links").get_by_role("button", name="Unlink")).to_be_visible()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk and duplicate.status == WorkItem.Status.RESOLVED
