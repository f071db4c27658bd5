"""In a real browser: an open screen asks the server one question every 10 s and fetches only
the part that changed, and the ages and deadlines in the queue move on with no request."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from queue_app.models import Message
from queue_app.services import ownership
from tests import factories
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The banner is also drawn again every BANNER_REDRAW_SECONDS, announced change or not: a
    # test that crosses that moment must not see a change it did not make.
    settings.BANNER_REDRAW_SECONDS = 10**9


def the_poll(response) -> bool:
    return urlparse(response.url).path == "/live/"


def test_ages_and_deadlines_move_on_without_a_request(
    live_server, page: Page, practice_a, assistant, patient
):
    now = timezone.now()
    factories.make_item(
        practice_a,
        patient=patient,
        received_at=now - timedelta(minutes=5),
        due_at=now + timedelta(minutes=3),
    )
    page.clock.install(time=now)  # the browser's clock, running from now until told to jump
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}/?block=")
    row = page.locator("[data-queue-row]")
    expect(row.locator("time[data-age]")).to_have_text("5m")
    expect(row.locator(".overdue")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    asked = []
    page.on("request", lambda request: asked.append((request.method, urlparse(request.url).path)))

    # Four minutes later (a laptop lid closed and opened): the page's timers fire once.
    with page.expect_response(the_poll) as poll:
        page.clock.fast_forward("04:00")

    expect(row.locator("time[data-age]")).to_have_text("9m")
    expect(row.locator(".overdue")).to_contain_text("Overdue")
    assert poll.value.status == 204  # nothing changed on the server: the rows were not drawn
    assert ("GET", "/") not in asked


def test_one_poll_brings_each_change_to_its_part_within_10_seconds(
    live_server, page: Page, practice_a, assistant, assistant_2, patient
):
    mine = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    other = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}/?block=")
    page.locator(f'[data-code="{mine.code}"] [data-open]').click()
    conversation = page.locator("#conversation")
    expect(conversation).to_be_visible()
    page.wait_for_load_state("networkidle")
    asked = []
    page.on("request", lambda request: asked.append((request.method, urlparse(request.url).path)))

    # Idle: one request every 10 s, answered "nothing changed", and nothing else.
    with page.expect_response(the_poll, timeout=15_000) as idle:
        pass
    assert idle.value.status == 204
    assert asked == [("POST", "/live/")]

    # A patient's reply to the open item, and a colleague's claim of another one.
    factories.make_message(
        mine,
        direction=Message.Direction.INBOUND,
        status=Message.Status.RECEIVED,
        body="Thursday at 3 works for me",
    )
    ownership.claim_item(item=other, actor=assistant_2, now=timezone.now())

    expect(conversation).to_contain_text("Thursday at 3 works for me", timeout=15_000)
    expect(page.locator(f'[data-code="{other.code}"]')).to_contain_text("Taken by", timeout=15_000)
