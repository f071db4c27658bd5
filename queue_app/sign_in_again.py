"""Signing in again in place, when a session ends under a page that is still open.

An htmx request from a browser whose session ended gets this small dialog (401) instead of
the sign-in page swapped into a fragment; what the request was saving is kept on the server
first (notes.drafts). Signing in through the dialog claims it and tells the page to redraw
the open item, whose forms then show the text again.
"""

import json

from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from notes import drafts

DIALOG = "#signin-dialog"


def sign_in_dialog(
    request: HttpRequest, *, token: str = "", kept: bool = False, form=None, status: int = 401
) -> HttpResponse:
    """The dialog's content; the headers send it into the page's sign-in dialog whatever
    element asked (a poll's own target and selection would drop it)."""
    context = {"form": form or AuthenticationForm(request), "token": token, "kept": kept}
    response = render(request, "registration/sign_in_again.html", context, status=status)
    response["HX-Retarget"] = DIALOG
    response["HX-Reswap"] = "innerHTML"
    response["HX-Reselect"] = "#signin-again"
    return response


@sensitive_post_parameters("password")
@never_cache
@require_POST
def sign_in_again(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("resume", "")
    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():
        return sign_in_dialog(request, token=token, kept=bool(token), form=form, status=200)
    login(request, form.get_user())
    if token:
        drafts.claim_stash(user=request.user, token=token, now=timezone.now())
    response = HttpResponse(status=204)
    # Signing in rotates the CSRF token: the page's forms need the new one to post again.
    response["HX-Trigger"] = json.dumps({"signed-in-again": {"csrf": get_token(request)}})
    return response
