"""The Django admin lists only rows of the practices a staff member was granted."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from notes import services as note_services
from queue_app.models import Role
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db


def test_staff_with_global_permissions_see_only_their_practices_rows(practice_a, practice_b):
    now = timezone.now()
    for practice, words in ((practice_a, "alpha-note-words"), (practice_b, "bravo-note-words")):
        author = factories.make_user(f"author-{practice.slug}", practice, Role.ASSISTANT)
        item = factories.make_item(practice, patient=factories.make_patient(practice))
        note_services.record_note(item=item, author=author, now=now, fields={"request": words})
    staff = factories.make_user("staff-a", practice_a, Role.ADMIN)
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="notes"))
    client = verified_client(staff)
    page = client.get(reverse("admin:notes_note_changelist"))
    assert page.status_code == 200
    assert "1 note" in page.content.decode()
    foreign = practice_b.notes.get()
    assert client.get(reverse("admin:notes_note_change", args=[foreign.pk])).status_code in (
        302,
        404,
    )
