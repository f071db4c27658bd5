"""In a real browser: hostile patient text shows as text, runs nothing, and breaks no CSP rule."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests import factories
from tests.security.test_hostile_text import BASE_PAYLOADS

pytestmark = pytest.mark.browser


def test_hostile_patient_text_never_executes_on_the_queue_and_item_pages(
    transactional_db, live_server, page: Page, practice_a, assistant
):
    items = []
    for n, payload in enumerate(BASE_PAYLOADS):
        patient = factories.make_patient(practice_a, first_name=payload[:80], last_name=f"X{n}")
        items.append(factories.make_item(practice_a, patient=patient, patient_words=payload))
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", assistant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("form button.primary").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}{reverse('queue:queue')}?scope=all&block=all")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(BASE_PAYLOADS[0]).count() >= 1  # shown as text
    for item in items[:6]:
        page.goto(f"{live_server.url}{reverse('queue:item', kwargs={'code': item.code})}")
        page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert page.evaluate("document.cookie") == "" or "sessionid" not in page.evaluate(
        "document.cookie"
    )
    assert violations == [], violations[:3]
