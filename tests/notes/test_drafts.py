"""Nothing typed is lost: drafts kept while typing, a note posted after the session ended
kept on the server and given back after signing in again in place; drafts purged."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notes import drafts
from notes.models import Draft, DraftStash, Note
from queue_app.models import Role
from queue_app.services.shared import locked
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TYPED = "Patient asked whether the 3:30 PM visit on Friday is still on"


def sign_in(client, user) -> None:
    client.post("/login/", {"username": user.username, "password": factories.PASSWORD})


def notes_url(item) -> str:
    return reverse("notes:item-notes", args=[item.code])


def note_post(**fields) -> dict:
    return {"language": "en", **fields}


def end_session(client) -> None:
    """What an admin's 'sign out everywhere', a cleared session table or a server-side expiry
    leaves: the browser still sends its cookie, the server knows no such session."""
    Session.objects.all().delete()


def test_typing_keeps_a_draft_that_comes_back_when_the_form_is_drawn_again(client, item, assistant):
    client.force_login(assistant)

    response = client.post(
        reverse("notes:item-notes-check", args=[item.code]),
        note_post(request=TYPED),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert Draft.objects.get(user=assistant, item=item, field="request").text == TYPED
    assert TYPED in client.get(notes_url(item), headers=HTMX).content.decode()


def test_a_prefilled_field_left_as_it_was_is_no_draft(client, item, assistant):
    client.force_login(assistant)
    client.post(
        reverse("notes:item-notes-check", args=[item.code]),
        note_post(request=f"Patient wrote: “{item.patient_words}”", free_text=""),
        headers=HTMX,
    )
    assert not Draft.objects.exists()
    # Clearing a prefilled field is an edit like any other: kept, so it stays cleared.
    client.post(
        reverse("notes:item-notes-check", args=[item.code]),
        note_post(request="", free_text=""),
        headers=HTMX,
    )
    assert Draft.objects.get(field="request").text == ""


def test_saving_the_note_deletes_its_drafts(client, item, assistant):
    client.force_login(assistant)
    drafts.save_drafts(
        user=assistant, item=item, fields={"request": TYPED}, now=timezone.now(), keep={}
    )
    response = client.post(
        notes_url(item),
        note_post(
            request=TYPED,
            verified_details="Identity confirmed (name + DOB)",
            action_taken="Confirmed the Friday 3:30 PM visit is on",
            promised_follow_up="Nothing further; item closed",
            escalation_status="No clinical questions; escalation: none",
        ),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert Note.objects.filter(item=item).count() == 1
    assert not Draft.objects.exists()


def test_a_note_saved_after_the_session_ended_is_asked_to_sign_in_and_comes_back(
    client, item, assistant
):
    sign_in(client, assistant)
    end_session(client)

    response = client.post(notes_url(item), note_post(request=TYPED), headers=HTMX)

    # A small dialog aimed at the page's sign-in dialog, not the sign-in page in the panel.
    assert response.status_code == 401
    assert response["HX-Retarget"] == "#signin-dialog"
    html = response.content.decode()
    assert "<html" not in html and "What you were typing is kept" in html
    assert TYPED not in html and str(item.code) not in html  # no patient detail travels
    assert not Note.objects.exists()
    token = html.split('name="resume" value="')[1].split('"')[0]
    assert DraftStash.objects.get().fields == {"request": TYPED}

    signed_in = client.post(
        reverse("sign-in-again"),
        {"username": assistant.username, "password": factories.PASSWORD, "resume": token},
        headers=HTMX,
    )

    assert signed_in.status_code == 204
    assert "signed-in-again" in signed_in["HX-Trigger"]
    assert not DraftStash.objects.exists()
    panel = client.get(notes_url(item), headers=HTMX).content.decode()
    assert TYPED in panel


def test_an_idle_session_keeps_the_posted_note_as_the_users_draft(client, item, assistant):
    sign_in(client, assistant)
    session = client.session
    session["last_activity"] = time.time() - 16 * 60
    session.save()

    response = client.post(notes_url(item), note_post(request=TYPED), headers=HTMX)

    assert response.status_code == 401
    assert "What you were typing is kept" in response.content.decode()
    assert Draft.objects.get(user=assistant, item=item, field="request").text == TYPED
    assert not Note.objects.exists()


def test_a_wrong_password_in_the_dialog_says_so_and_keeps_the_token(client, item, assistant):
    token = drafts.stash_post(code=item.code, fields={"request": TYPED}, now=timezone.now())
    response = client.post(
        reverse("sign-in-again"),
        {"username": assistant.username, "password": "not it", "resume": token},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "didn't match" in html and f'value="{token}"' in html
    assert DraftStash.objects.exists()


def test_someone_who_may_not_work_the_item_gets_nothing_from_the_stash(client, item, outsider):
    token = drafts.stash_post(code=item.code, fields={"request": TYPED}, now=timezone.now())
    client.post(
        reverse("sign-in-again"),
        {"username": outsider.username, "password": factories.PASSWORD, "resume": token},
        headers=HTMX,
    )
    assert not Draft.objects.exists()
    assert not DraftStash.objects.exists()


def test_a_stale_or_forged_token_claims_nothing(item, assistant):
    now = timezone.now()
    token = drafts.stash_post(code=item.code, fields={"request": TYPED}, now=now)
    forged = signing.dumps(str(DraftStash.objects.get().key), salt="another salt")
    assert drafts.claim_stash(user=assistant, token=forged, now=now) is None
    assert drafts.claim_stash(user=assistant, token=token + "x", now=now) is None
    assert DraftStash.objects.exists()


def test_only_the_typed_fields_of_known_forms_are_kept(client, item):
    client.post(
        notes_url(item), note_post(request=TYPED, password="hunter2", junk="x"), headers=HTMX
    )
    client.post(reverse("queue:item-claim", args=[item.code]), {"x": "y"}, headers=HTMX)
    assert DraftStash.objects.get().fields == {"request": TYPED}


def test_a_poll_after_the_session_ended_gets_the_dialog_not_an_empty_table(client, assistant):
    sign_in(client, assistant)
    end_session(client)
    response = client.get("/", headers={**HTMX, "X-Background-Poll": "1"})
    assert response.status_code == 401
    assert response["HX-Reselect"] == "#signin-again"
    assert 'id="signin-again"' in response.content.decode()


def test_old_drafts_and_unclaimed_stashes_are_purged(item, assistant, practice_a):
    now = timezone.now()
    other = factories.make_user("assistant-a3", practice_a, Role.ASSISTANT)
    drafts.save_drafts(
        user=assistant, item=item, fields={"request": "old"}, now=now - timedelta(days=8), keep={}
    )
    drafts.save_drafts(user=other, item=item, fields={"request": "fresh"}, now=now, keep={})
    drafts.stash_post(code=item.code, fields={"request": "x"}, now=now - timedelta(hours=2))
    drafts.stash_post(code=item.code, fields={"request": "y"}, now=now)

    assert drafts.purge_drafts(now=now) == 2

    assert list(Draft.objects.values_list("text", flat=True)) == ["fresh"]
    assert DraftStash.objects.get().fields == {"request": "y"}


def test_a_post_without_a_valid_csrf_token_keeps_nothing(item, assistant):
    forged = Client(enforce_csrf_checks=True)
    response = forged.post(notes_url(item), note_post(request=TYPED), headers=HTMX)
    assert response.status_code == 403
    # Nor when the session ran idle, where the view's own check never runs.
    forged.force_login(assistant)
    session = forged.session
    session["last_activity"] = time.time() - 16 * 60
    session.save()
    response = forged.post(notes_url(item), note_post(request=TYPED), headers=HTMX)
    assert response.status_code == 401
    assert "What you were typing is kept" not in response.content.decode()
    assert not DraftStash.objects.exists() and not Draft.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_draft_written_while_the_item_is_resolved_waits_instead_of_deadlocking():
    """Resolve locks the item and then deletes the drafts; a check posted as it runs writes
    drafts (one changed, one new). Each waits for the other's end, never both at once."""
    practice = factories.make_practice()
    user = factories.make_user("typist", practice, Role.ASSISTANT)
    item = factories.make_item(practice)
    first, second = drafts.NOTE_FIELDS[:2]
    drafts.save_drafts(user=user, item=item, fields={first: "typed"}, now=timezone.now(), keep={})
    resolving, errors = threading.Event(), []

    def resolve():
        try:
            with transaction.atomic():
                locked(item)
                resolving.set()
                time.sleep(0.5)  # the check's request arrives meanwhile
                drafts.discard_drafts(user=user, item=item)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever broke
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=resolve)
    thread.start()
    resolving.wait(timeout=10)
    try:
        fields = {first: "typed more", second: "and more"}
        drafts.save_drafts(user=user, item=item, fields=fields, now=timezone.now(), keep={})
    except Exception as exc:  # noqa: BLE001
        errors.append(exc)
    thread.join(timeout=30)

    assert errors == []
    # The check ran after the resolve: what it typed is kept.
    assert drafts.drafts_for(user=user, item=item) == {first: "typed more", second: "and more"}
