from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from demo.seed import DEMO_PASSWORD
from notes.models import QAReview
from queue_app.models import Appointment, Message, Patient, Practice, WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SMALL = ["--weeks", "2", "--items-per-week", "30", "--patients", "40", "--anchor", "2026-11-25"]


def snapshot() -> list:
    return [
        list(Patient.objects.order_by("code").values_list("code", "first_name", "phone")),
        list(WorkItem.objects.order_by("code").values_list("code", "status", "received_at")),
        Message.objects.count(),
        Appointment.objects.count(),
    ]


def test_seed_demo_loads_two_practices_with_history_and_logins(client):
    out = StringIO()
    call_command("seed_demo", *SMALL, stdout=out)
    assert Practice.objects.count() == 2
    bilingual = Practice.objects.get(slug="lakeside")
    assert bilingual.languages == ["en", "es"]
    assert bilingual.timezone != Practice.objects.get(slug="mesa").timezone
    assert bilingual.moments.count() == 17
    assert WorkItem.objects.filter(language="es").exists()
    assert WorkItem.objects.exclude(status="resolved").exists()
    assert WorkItem.objects.filter(status="resolved").exists()
    assert DEMO_PASSWORD in out.getvalue()
    assert client.login(username="assistant.all", password=DEMO_PASSWORD)


def test_seed_demo_twice_does_not_duplicate():
    call_command("seed_demo", *SMALL, stdout=StringIO())
    before = snapshot()
    out = StringIO()
    call_command("seed_demo", *SMALL, stdout=out)
    assert "already loaded" in out.getvalue()
    assert snapshot() == before


def test_the_same_seed_gives_the_same_data():
    with transaction.atomic():
        call_command("seed_demo", *SMALL, stdout=StringIO())
        first = snapshot()
        transaction.set_rollback(True)
    assert not Practice.objects.exists()
    call_command("seed_demo", *SMALL, stdout=StringIO())
    assert snapshot() == first


def test_another_seed_gives_other_data():
    with transaction.atomic():
        call_command("seed_demo", *SMALL, stdout=StringIO())
        first = snapshot()
        transaction.set_rollback(True)
    call_command("seed_demo", *SMALL, "--seed", "7", stdout=StringIO())
    assert snapshot() != first


def test_seed_demo_writes_nothing_received_after_now_so_every_item_can_be_resolved():
    from datetime import UTC, date, datetime

    from demo.seed import SeedOptions, seed_demo

    # The morning of the anchor day: noon, the anchor's hour, is still ahead.
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    options = SeedOptions(
        weeks=1, items_per_week=60, patients_per_practice=20, anchor=date(2026, 11, 25), now=now
    )
    seed_demo(options, log=lambda *_: None)
    assert WorkItem.objects.exists()
    assert not WorkItem.objects.filter(received_at__gt=now).exists()
    assert not Message.objects.filter(created__gt=now).exists()


def test_each_demo_practice_has_two_admins_so_an_edit_can_be_approved():
    from guardian.shortcuts import get_users_with_perms

    from queue_app import access

    call_command("seed_demo", *SMALL, stdout=StringIO())
    for practice in Practice.objects.all():
        admins = get_users_with_perms(practice, only_with_perms_in=[access.PLAYBOOK])
        assert admins.count() == 2


def test_seed_demo_samples_last_week_for_qa_once():
    call_command("seed_demo", *SMALL, stdout=StringIO())
    reviews = set(QAReview.objects.values_list("item_id", "week"))
    assert reviews
    # Anchor Wed 2026-11-25: last week is Monday 11-16 in every demo practice.
    assert {week.isoformat() for _, week in reviews} == {"2026-11-16"}
    out = StringIO()
    call_command("seed_demo", *SMALL, stdout=out)
    assert "0 item(s) added" in out.getvalue()
    assert set(QAReview.objects.values_list("item_id", "week")) == reviews
