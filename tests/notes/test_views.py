"""The item's notes partial: list, add, refuse vague, correct; access and audit."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notes import services
from notes.models import Note
from queue_app.models import AuditEvent, ItemEvent
from tests.queue_app.queue_helpers import GOOD_NOTE

# What the notes form posts.
GOOD = {**GOOD_NOTE, "language": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(item) -> str:
    return reverse("notes:item-notes", args=[item.code])


def test_it_shows_the_notes_newest_first_with_verdict_author_and_the_moments_example(
    client, item, assistant
):
    first = services.record_note(
        item=item, author=assistant, fields={"free_text": "pt aware"}, now=timezone.now()
    )
    second = services.record_note(
        item=item,
        author=assistant,
        fields=GOOD,
        now=timezone.now() + timedelta(seconds=1),
        corrects=first,
    )
    client.force_login(assistant)

    response = client.get(url(item))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="note-{second.code}"') < html.index(f'id="note-{first.code}"')
    assert "Actionable" in html and "Vague" in html
    assert "assistant-a" in html
    assert f'href="#note-{first.code}"' in html  # the correction links to what it corrects
    assert f'href="#note-{second.code}"' in html  # and the original to its correction
    assert item.moment.note_example["en"][:40] in html
    audit = AuditEvent.objects.get(action="view_notes")
    assert audit.actor == assistant
    assert audit.patient_ids == [item.patient_id]
    assert audit.object_code == str(item.code)


def test_htmx_gets_the_fragment_without_the_page(client, item, assistant):
    client.force_login(assistant)

    response = client.get(url(item), **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert f'id="item-notes-{item.code}"'.encode() in response.content


def test_it_saves_an_actionable_note(client, item, assistant):
    client.force_login(assistant)

    response = client.post(url(item), GOOD, **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Note saved" in response.content
    assert "notes-changed" in response.headers["HX-Trigger"]
    note = Note.objects.get(item=item)
    assert note.label == "actionable"
    assert note.author == assistant
    assert note.action_taken == GOOD["action_taken"]
    assert ItemEvent.objects.filter(item=item, kind="note_added", actor=assistant).exists()
    assert AuditEvent.objects.filter(action="add_note", object_code=str(note.code)).exists()


UNSURE = GOOD | {
    "request": "Pt asked to move her 3/6 visit, says her back pain is worse",
    "escalation_status": "Nothing clinical",
}


def test_an_unsure_note_is_saved_with_a_warning_not_as_saved(client, item, assistant):
    client.force_login(assistant)

    response = client.post(url(item), UNSURE, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-saved="warning"' in html
    assert "Saved with a warning" in html and "Escalation status" in html
    assert "Note saved" not in html
    note = Note.objects.get(item=item)
    assert note.label == "vague" and note.missing == ["escalation_status"]
    assert note.override_reason == ""


def test_an_override_is_shown_as_saved_over_a_refusal(client, item, assistant):
    client.force_login(assistant)
    data = {"free_text": "LVM", "language": "en", "override_reason": "Pt hung up mid-call"}

    response = client.post(url(item), data, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-saved="override"' in html and "Pt hung up mid-call" in html
    assert Note.objects.get(item=item).override_reason == "Pt hung up mid-call"
    assert ItemEvent.objects.filter(item=item, kind="note_override").exists()


def test_a_plain_post_redirects_back_to_the_notes(client, item, assistant):
    client.force_login(assistant)

    response = client.post(url(item), GOOD)

    assert response.status_code == 302
    assert response.url == url(item)
    assert Note.objects.filter(item=item).count() == 1


@pytest.mark.parametrize("vague", ["Handled", "LVM", "pt aware"])
def test_a_vague_note_is_refused_with_what_to_add(client, item, assistant, vague):
    client.force_login(assistant)

    response = client.post(url(item), {"free_text": vague, "language": "en"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: this note is vague" in html
    assert "Escalation status" in html and "Say whether anything clinical" in html
    assert vague in html  # what was typed stays in the form
    assert not Note.objects.filter(item=item).exists()
    assert not ItemEvent.objects.filter(item=item, kind="note_added").exists()


def test_the_refusal_speaks_the_notes_language(client, item, assistant):
    client.force_login(assistant)

    response = client.post(url(item), {"free_text": "LVM", "language": "es"}, **HTMX)

    assert response.status_code == 200
    assert "No se guardó: la nota es vaga" in response.content.decode()
    assert "Estado de escalamiento" in response.content.decode()


def test_a_follow_up_time_is_read_in_the_practices_time_zone(client, item, assistant):
    client.force_login(assistant)

    client.post(url(item), {**GOOD, "follow_up_at": "2026-03-12T09:00"}, **HTMX)

    note = Note.objects.get(item=item)
    assert note.follow_up_at.isoformat() == "2026-03-12T13:00:00+00:00"  # 9:00 EDT


def test_correct_this_note_prefills_the_original_and_saves_a_new_linked_note(
    client, item, assistant
):
    original = services.record_note(item=item, author=assistant, fields=GOOD, now=timezone.now())
    client.force_login(assistant)

    form = client.get(url(item), {"corrects": str(original.code)}, **HTMX)
    assert form.status_code == 200
    assert f'value="{original.code}"'.encode() in form.content
    assert b"Save correction" in form.content

    fixed = {**GOOD, "action_taken": "Moved to 3/13 at 2:30 PM", "corrects": str(original.code)}
    response = client.post(url(item), fixed, **HTMX)

    assert response.status_code == 200
    correction = Note.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original
    original.refresh_from_db()
    assert original.action_taken == GOOD["action_taken"]
    assert ItemEvent.objects.filter(item=item, kind="note_corrected").exists()


def test_correcting_a_note_of_another_item_is_404(client, practice_a, item, assistant):
    from tests import factories

    other = factories.make_item(practice_a)
    foreign = services.record_note(item=other, author=assistant, fields=GOOD, now=timezone.now())
    client.force_login(assistant)

    response = client.post(url(item), {**GOOD, "corrects": str(foreign.code)})

    assert response.status_code == 404
    assert not Note.objects.filter(item=item).exists()


def test_outsider_gets_404(client, item, outsider):
    client.force_login(outsider)

    assert client.get(url(item)).status_code == 404
    assert client.post(url(item), GOOD).status_code == 404
    assert not Note.objects.exists()


def test_clinical_team_reads_but_gets_403_on_post(client, item, clinical):
    client.force_login(clinical)

    read = client.get(url(item))
    assert read.status_code == 200
    assert b"Save note" not in read.content
    assert client.post(url(item), GOOD).status_code == 403
    assert not Note.objects.exists()


def test_anonymous_is_sent_to_login(client, item):
    response = client.get(url(item))

    assert response.status_code == 302
    assert "/login/" in response.url


def test_no_view_edits_or_deletes_a_note(client, item, assistant):
    services.record_note(item=item, author=assistant, fields=GOOD, now=timezone.now())
    client.force_login(assistant)

    assert client.put(url(item)).status_code == 405
    assert client.delete(url(item)).status_code == 405
    assert Note.objects.count() == 1


def test_the_notes_partial_costs_the_same_queries_for_two_notes_or_ten(client, item, assistant):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(item), **HTMX).status_code == 200
        return len(queries)

    client.force_login(assistant)
    count_queries()  # the session caches the idle limit on the first request
    for _ in range(2):
        services.record_note(item=item, author=assistant, fields=GOOD, now=timezone.now())
    two = count_queries()
    for _ in range(8):
        services.record_note(item=item, author=assistant, fields=GOOD, now=timezone.now())

    assert count_queries() == two
    assert two <= 30


def test_the_admin_keeps_notes_read_only(rf, admin_user):
    note_admin = admin.site._registry[Note]
    request = rf.get("/admin/")
    request.user = admin_user

    assert note_admin.has_add_permission(request) is False
    assert note_admin.has_change_permission(request) is False
    assert note_admin.has_delete_permission(request) is False
