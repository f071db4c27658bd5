"""The workspace in three parts on a wide screen: the queue, the conversation with the reply,
and the patient with the playbook, verification, notes and escalation beside them. Below
1280 px the open item keeps one column beside the queue."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found, f"{selector} is not shown"
    return found


def open_item(page: Page, base: str, username: str) -> None:
    sign_in(page, base, username)
    page.select_option("#filter_block", "")
    page.locator("[data-queue-row] a").first.click()
    expect(page.locator("#item-panel #notes-h")).to_be_visible()


@pytest.fixture
def waiting_item(practice_a):
    patient = factories.make_patient(practice_a, first_name="Ines", last_name="Duarte")
    return factories.make_item(
        practice_a, patient=patient, patient_words="Can I move my appointment to Friday?"
    )


def test_wide_screen_shows_queue_conversation_and_patient_side_by_side(
    live_server, browser, waiting_item, assistant
):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    open_item(page, live_server.url, assistant.username)

    queue = box(page, "#queue-results")
    conversation = box(page, "#conversation")
    reply = box(page, "#composer")
    patient = box(page, "#context-h")
    notes = box(page, "#notes-h")
    # Three parts, left to right, the conversation and the patient starting level.
    assert queue["x"] + queue["width"] <= conversation["x"]
    assert conversation["x"] + conversation["width"] <= patient["x"]
    assert abs(patient["y"] - conversation["y"]) < 40
    # The reply sits under the conversation, the notes under the patient, in their columns.
    assert reply["x"] == conversation["x"] and reply["y"] > conversation["y"]
    assert notes["x"] == patient["x"] and notes["y"] > patient["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    context.close()


def test_below_1280_the_item_keeps_one_column_beside_the_queue(
    live_server, browser, waiting_item, assistant
):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    open_item(page, live_server.url, assistant.username)

    queue = box(page, "#queue-results")
    conversation = box(page, "#conversation")
    patient = box(page, "#context-h")
    assert queue["x"] + queue["width"] <= conversation["x"]
    assert patient["x"] == pytest.approx(conversation["x"], abs=20)
    assert patient["y"] > conversation["y"] + conversation["height"]
    context.close()
