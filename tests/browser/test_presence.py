"""In two real browsers: two assistants open the same item; each sees the other, and the one
who starts typing shows as typing on the other's screen without a reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from queue_app.models import WorkItem
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in_page(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{base}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_two_assistants_see_each_other_and_who_is_typing(
    live_server, browser: Browser, assistant, assistant_2, item
):
    WorkItem.objects.filter(pk=item.pk).update(owner=assistant_2, status="assigned")
    item_url = f"{live_server.url}{reverse('queue:item', args=[item.code])}"
    ana = signed_in_page(browser, live_server.url, assistant.username)
    ben = signed_in_page(browser, live_server.url, assistant_2.username)

    ana.goto(item_url)
    ben.goto(item_url)
    expect(ben.locator("[data-presence]")).to_have_text("Also here: assistant-a")
    # Ana's next heartbeat (every 10 s) finds Ben.
    expect(ana.locator("[data-presence]")).to_have_text("Also here: assistant-a2", timeout=15_000)

    ben.locator("#needed_needed").press_sequentially("Insurance card")
    expect(ana.locator("[data-presence]")).to_have_text(
        "Also here: assistant-a2 (typing)", timeout=15_000
    )
    # What Ben typed never leaves his page.
    expect(ana.locator("body")).not_to_contain_text("Insurance card")

    ben.close()
    # Ben's mark lives 30 s after his last heartbeat; Ana's heartbeat then drops him.
    expect(ana.locator("[data-presence]")).to_have_text("", timeout=45_000)
