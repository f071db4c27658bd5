"""The three routine journeys of issue 17, walked in Chromium at 1440x900 from the queue to
resolved, every user action counted (clicks, fields filled, options chosen, key chords).
The target is at most six actions per routine item: Take next, All confirmed, the reply (Send
SMS, or Log call for a callback that reached the patient), the two note fields only the
assistant can state (what was promised, whether anything clinical came up), Close with this
note. The note's request is prefilled with the patient's words, the rest from the record.
Walked again at a phone's width (390x844), with a screenshot of each step at both sizes
(`make screenshots` keeps them in docs/screenshots/, listed in docs/WORKSPACE.md)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from queue_app.models import WorkItem
from templates_lib.models import ChannelRule
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
TARGET = 6


class Counted:
    """The user's hands: each click, field filled or option chosen is one action."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.actions = 0

    def click(self, target: Locator) -> None:
        target.click()
        self.actions += 1

    def fill(self, target: Locator, text: str) -> None:
        target.fill(text)
        self.actions += 1


@pytest.fixture
def routine(practice_a, assistant):
    now = timezone.now()
    rosa = factories.make_patient(
        practice_a, first_name="Rosa", last_name="Gómez", preferred_language="es"
    )
    ben = factories.make_patient(practice_a, first_name="Ben", last_name="Okafor")
    ada = factories.make_patient(practice_a, first_name="Ada", last_name="Lind")
    factories.make_appointment(ben, starts_at=now + timedelta(days=2), missing_forms="intake")
    factories.make_appointment(ada, starts_at=now + timedelta(days=1))
    items = [
        factories.make_item(
            practice_a, patient=rosa, key="missed_call_callback",
            patient_words="Llamada perdida, sin mensaje de voz",
            received_at=now - timedelta(minutes=90), due_at=now - timedelta(minutes=30),
        ),
        factories.make_item(
            practice_a, patient=ben, key="form_reminder",
            patient_words="Do I need to fill in a form before Friday?",
            received_at=now - timedelta(minutes=80), due_at=now - timedelta(minutes=20),
        ),
        factories.make_item(
            practice_a, patient=ada, key="appointment_time_question",
            patient_words="What time is my appointment tomorrow?",
            received_at=now - timedelta(minutes=70), due_at=now - timedelta(minutes=10),
        ),
    ]  # fmt: skip
    ChannelRule.objects.filter(moment__practice=practice_a).update(respects_quiet_hours=False)
    return items


Snap = Callable[[str, Locator], None]


def no_snap(step: str, shown: Locator) -> None:
    """Steps not photographed."""


def work_item(
    hands: Counted, note: dict[str, str], *, call: bool = False, snap: Snap = no_snap
) -> None:
    page = hands.page
    panel = page.locator("#item-panel")
    next_button = panel.get_by_role("button", name="Take next")
    if not next_button.count():
        next_button = page.get_by_role("button", name="Take next")
    hands.click(next_button)
    expect(panel).to_contain_text("You have this item now.")
    snap("2-taken", panel.get_by_text("You have this item now."))
    hands.click(panel.get_by_role("button", name="All confirmed"))
    expect(panel).to_contain_text("Identity verified")
    snap("3-verified", panel.get_by_text("Identity verified", exact=False).first)
    if call:
        # Called back and reached: "Reached" is the form's first outcome.
        expect(panel.locator("#call_outcome")).to_have_value("reached")
        hands.click(panel.get_by_role("button", name="Log call"))
        expect(panel).to_contain_text("Call attempt logged.")
        snap("4-call-logged", panel.get_by_text("Call attempt logged."))
    else:
        hands.click(panel.get_by_role("button", name="Send", exact=True))
        expect(panel).to_contain_text("Message queued for sending.")
        snap("4-sent", panel.get_by_text("Message queued for sending."))
    form = panel.locator("form.note-form")
    expect(form).to_be_visible()
    for name, text in note.items():
        field = form.locator(f"[name={name}]")
        if not field.input_value().strip():
            hands.fill(field, text)
    snap("5-note", form)
    hands.click(form.get_by_role("button", name="Close with this note"))
    expect(panel).to_contain_text("Resolved.")
    snap("6-resolved", panel.get_by_text("Resolved."))


@pytest.mark.parametrize("viewport", [VIEWPORT, PHONE], ids=["1440x900", "390x844"])
def test_each_routine_item_takes_at_most_six_actions(
    live_server, browser, screenshots, routine, assistant, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", assistant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Queue")
    width = viewport["width"]
    page.screenshot(path=str(screenshots / f"routine-{width}-1-queue.png"))

    counts = {}
    journeys = [
        ("missed-call callback", True, {
            "promised_follow_up": "Nothing further promised; item closed",
            "escalation_status": "No clinical questions; escalation: none",
        }),
        ("form reminder", False, {
            "promised_follow_up": "Nothing further promised; item closed",
            "escalation_status": "No clinical questions; escalation: none",
        }),
        ("appointment time question", False, {
            "promised_follow_up": "Nothing further promised; item closed",
            "escalation_status": "No clinical questions; escalation: none",
        }),
    ]  # fmt: skip
    for number, (name, call, note) in enumerate(journeys):
        hands = Counted(page)

        def snap(step: str, shown: Locator, number=number, name=name) -> None:
            # Every step of the first journey; of the others only the reply, which differs.
            if number and not step.startswith("4-"):
                return
            # The widgets the panel loads after it (notes, escalation, duplicates) are in.
            loading = page.locator("#item-notes > a, #item-escalation > a, #item-links > a")
            expect(loading).to_have_count(0)
            shown.scroll_into_view_if_needed()
            suffix = "-" + name.replace(" ", "-") if step.startswith("4-") else ""
            page.screenshot(path=str(screenshots / f"routine-{width}-{step}{suffix}.png"))

        work_item(hands, note, call=call, snap=snap)
        counts[name] = hands.actions
    context.close()
    over = {name: count for name, count in counts.items() if count > TARGET}
    assert over == {}, f"more than {TARGET} actions: {counts}"
    for item in WorkItem.objects.all():
        assert item.status == WorkItem.Status.RESOLVED
        note = item.notes.get()
        # The request is the patient's own words, prefilled; the rest the assistant stated.
        assert item.patient_words in note.request
        assert note.escalation_status == "No clinical questions; escalation: none"


class Keys:
    """A keyboard-only user: each key or chord pressed is one keypress."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pressed = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.pressed += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.pressed += len(text)


def test_a_routine_item_by_keyboard_alone_in_under_25_keypresses(
    live_server, browser, routine, assistant
):
    for item in routine[:2]:
        item.delete()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", assistant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Queue")
    page.wait_for_load_state()  # the page's scripts, keys included, are in
    panel = page.locator("#item-panel")
    keys = Keys(page)

    keys.press("n")  # take next, as the queue's key line says
    expect(panel).to_contain_text("You have this item now.")
    expect(panel.get_by_role("button", name="All confirmed")).to_be_focused()
    keys.press("Enter")
    expect(panel).to_contain_text("Identity verified")
    expect(panel.get_by_role("button", name="Send", exact=True)).to_be_focused()
    keys.press("Enter")
    expect(panel).to_contain_text("Message queued for sending.")
    # The work is now the note: focus waits in the first field only the assistant can fill,
    # whether anything clinical came up; what was promised is the next field.
    escalation = panel.locator("form.note-form [name=escalation_status]")
    expect(escalation).to_be_focused()
    keys.type("no clinical")
    keys.press("Tab")
    expect(panel.locator("form.note-form [name=promised_follow_up]")).to_be_focused()
    keys.type("closed")
    keys.press("Control+Enter")
    expect(panel).to_contain_text("Resolved.")
    expect(panel.get_by_role("button", name="Take next")).to_be_focused()
    context.close()

    routine[2].refresh_from_db()
    assert routine[2].status == WorkItem.Status.RESOLVED
    assert keys.pressed < 25, f"{keys.pressed} keypresses"
