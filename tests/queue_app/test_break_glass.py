"""Break-glass: another practice's item, read-only, for 30 minutes, with a reason everyone sees."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from queue_app import access, break_glass
from queue_app.models import AuditEvent, BreakGlassGrant, Role
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db
REASON = "Patient collapsed in our waiting room; need their allergy follow-up item."


@pytest.fixture
def other_item(practice_b):
    patient = factories.make_patient(practice_b, first_name="Bianca", last_name="Otherclinic")
    return factories.make_item(practice_b, patient=patient)


@pytest.fixture
def manager(practice_a):
    return factories.make_user("manager-glass", practice_a, Role.MANAGER)


@pytest.fixture
def admin_b(practice_b):
    return factories.make_user("admin-glass-b", practice_b, Role.ADMIN, email="admin-b@example.org")


def item_url(item) -> str:
    return reverse("queue:item", kwargs={"code": item.code})


def test_without_a_grant_the_other_practices_item_is_a_404(manager, other_item):
    assert verified_client(manager).get(item_url(other_item)).status_code == 404


def test_a_stated_reason_opens_the_item_read_only_audited_and_reported(
    manager, other_item, admin_b, django_capture_on_commit_callbacks
):
    client = verified_client(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("queue:break-glass"), {"item": other_item.code, "reason": REASON}
        )

    assert response.status_code == 302 and response["Location"] == item_url(other_item)
    page = client.get(item_url(other_item))
    assert page.status_code == 200 and "Bianca" in page.content.decode()
    assert "Emergency access to this item until" in page.content.decode()
    # Read-only: a change is refused.
    claim = reverse("queue:item-claim", kwargs={"code": other_item.code})
    assert client.post(claim).status_code == 403
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.created == timedelta(minutes=30)
    audit = AuditEvent.objects.get(action="break_glass_opened")
    assert (audit.actor, audit.practice, audit.detail) == (manager, other_item.practice, REASON)
    assert audit.patient_ids == [other_item.patient_id]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["admin-b@example.org"]
    assert str(other_item.code) in email.body and "Bianca" not in email.body
    assert "/break-glass/bravo/" in email.body


def test_the_practices_admins_see_the_access_and_its_reason(manager, other_item, admin_b):
    break_glass.open_break_glass(
        user=manager, code=other_item.code, reason=REASON, now=timezone.now()
    )
    url = reverse("queue:break-glass-log", kwargs={"slug": other_item.practice.slug})

    page = verified_client(admin_b).get(url)

    assert page.status_code == 200
    assert REASON in page.content.decode() and "still open" in page.content.decode()
    assert AuditEvent.objects.filter(action="break_glass_log_view", actor=admin_b).exists()
    # The manager who used it is no admin there.
    assert verified_client(manager).get(url).status_code == 404


def test_a_short_reason_is_refused_beside_the_form_and_kept(manager, other_item):
    response = verified_client(manager).post(
        reverse("queue:break-glass"), {"item": other_item.code, "reason": "emergency"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "at least 30 characters" in body and "emergency" in body
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass_opened").exists()


def test_an_unknown_reference_is_refused_in_plain_words(manager):
    response = verified_client(manager).post(
        reverse("queue:break-glass"),
        {"item": "00000000-0000-4000-8000-000000000000", "reason": REASON},
    )
    assert "No item has this reference" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ASSISTANT, Role.CLINICAL])
def test_only_managers_may_ask(practice_a, other_item, role):
    client = verified_client(factories.make_user(f"{role}-glass", practice_a, role))
    response = client.post(
        reverse("queue:break-glass"), {"item": other_item.code, "reason": REASON}
    )
    assert response.status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_the_grant_ends_after_thirty_minutes_and_covers_only_its_item(
    manager, other_item, practice_b
):
    now = timezone.now()
    grant = break_glass.open_break_glass(user=manager, code=other_item.code, reason=REASON, now=now)
    neighbour = factories.make_item(practice_b, patient=other_item.patient)

    assert access.get_item_for_user(manager, other_item.code).break_glass == grant
    with pytest.raises(access.Http404):
        access.get_item_for_user(manager, neighbour.code)
    # Half an hour later (the frozen grant moved back instead of the clock forward).
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        created=now - timedelta(minutes=31), expires_at=now - timedelta(minutes=1)
    )
    with pytest.raises(access.Http404):
        access.get_item_for_user(manager, other_item.code)
    assert verified_client(manager).get(item_url(other_item)).status_code == 404
