"""In a real browser: the quick filters' counts follow the queue while it is open, and a
quick filter survives a change of the filter form."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from queue_app import changes
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def late_item(practice, patient, language="en"):
    received = timezone.now() - timedelta(hours=3)
    return factories.make_item(
        practice,
        patient=patient,
        received_at=received,
        due_at=received + timedelta(hours=1),
        language=language,
    )


def test_the_counts_follow_the_queue_and_the_quick_filter_stays(
    live_server, page: Page, practice_a, assistant, patient
):
    late_item(practice_a, patient)
    factories.make_item(practice_a, patient=patient)  # on time
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", assistant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/?block=")
    quick = page.locator("#quick-filters")
    expect(quick.get_by_role("link", name="Overdue (1)")).to_be_visible()

    late_item(practice_a, patient)
    # Every item event announces its practice's change (queue_app.changes); the factory records
    # none, so the test announces it as the app would. The rows poll every 15 s and bring the
    # counts with them.
    changes.renew_marks([practice_a.pk])
    expect(quick.get_by_role("link", name="Overdue (2)")).to_be_visible(timeout=20_000)
    expect(quick.get_by_role("link", name="All open (3)")).to_be_visible()

    quick.get_by_role("link", name="Overdue (2)").click()
    expect(quick.get_by_role("link", name="Overdue (2)")).to_have_attribute("aria-current", "true")
    expect(page.locator("[data-queue-row]")).to_have_count(2)

    # A Spanish overdue item arrives; narrowing to English keeps "Overdue" chosen.
    late_item(practice_a, factories.make_patient(practice_a, preferred_language="es"), "es")
    page.select_option("#filter_language", "en")
    expect(page).to_have_url(re.compile(r"language=en.*show=overdue"))
    expect(quick.get_by_role("link", name="Overdue (2)")).to_have_attribute("aria-current", "true")
    expect(page.locator("[data-queue-row]")).to_have_count(2)
