"""In a real browser: unfamiliar shorthand accepted, "LVM" refused, an override sampled for QA."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from notes import services
from notes.models import Note, QAReview
from queue_app.models import WorkItem
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

# Every element is there, but "mv to 3/13 2:10p, conf txt out" is wording no rule knows: the
# learned layer finds the step taken.
SHORTHAND = (
    "pt req mv Thu appt, wrk conflict. ID ok (nm+DOB). mv to 3/13 2:10p, conf txt out."
    " rmdr 3/12, closed. nothing clin."
)


def test_a_complete_note_in_unfamiliar_shorthand_is_accepted(
    transactional_db, live_server, page: Page, item, assistant
):
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}{reverse('notes:item-notes', args=[item.code])}")

    page.locator("#id_free_text").press_sequentially(SHORTHAND)
    expect(page.locator(f"#note-check-{item.code}")).to_have_attribute("data-verdict", "actionable")
    page.get_by_role("button", name="Save note").click()

    expect(page.locator(".note-saved")).to_have_attribute("data-saved", "ok")
    assert Note.objects.get(item=item).label == "actionable"


def test_lvm_is_refused_then_saved_over_with_a_reason_and_sampled_for_qa(
    transactional_db, live_server, page: Page, item, assistant
):
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}{reverse('notes:item-notes', args=[item.code])}")

    page.locator("#id_free_text").press_sequentially("LVM")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note-refused")).to_contain_text("Not saved: this note is vague")
    # The request is prefilled with the patient's words; what was done is still missing.
    expect(page.locator(f"#note-check-{item.code}")).to_contain_text("Action taken")
    assert not Note.objects.filter(item=item).exists()

    page.fill("#id_override_reason", "Pt hung up before I could ask more")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note-saved")).to_have_attribute("data-saved", "override")
    expect(page.locator(".note-saved")).to_contain_text("Pt hung up before I could ask more")
    note = Note.objects.get(item=item)
    assert note.override_reason == "Pt hung up before I could ask more"

    # The item is resolved this week; next week's run samples it, whatever the sample size.
    now = timezone.now()
    WorkItem.objects.filter(pk=item.pk).update(
        status=WorkItem.Status.RESOLVED, owner=assistant, resolved_at=now
    )
    services.sample_last_week(now=now + timedelta(days=7))
    review = QAReview.objects.get(item=item)
    assert review.stratum == QAReview.Stratum.OVERRIDE
