"""At a phone's width (360 or 390 px) the queue and an open item fit: no sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 390])
def test_the_queue_and_an_open_item_fit_a_phone(live_server, browser, practice_a, assistant, width):
    patient = factories.make_patient(practice_a, first_name="Maximiliana")
    factories.make_item(
        practice_a,
        patient=patient,
        patient_words="Necesito cambiar mi cita del jueves " + "x" * 120,
        needed_from_patient="insurance card photo, front and back",
    )
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, assistant.username)
    page.select_option("#filter_block", "")
    expect(page.locator("[data-queue-row]")).to_have_count(1)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("[data-queue-row] a").first.click()
    expect(page.locator("#item-panel")).to_contain_text("Maximiliana")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
