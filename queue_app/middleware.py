"""Session idle logoff, sign-in again in place, no-store caching of signed-in responses, and
the count of refused requests for the admins' spike alert."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from notes import drafts
from queue_app import alerting
from queue_app.access import visible_practices
from queue_app.sign_in_again import sign_in_dialog

DEFAULT_IDLE_MINUTES = 15
# The activity stamp is rewritten at most this often: writing it on every request cost a
# session UPDATE (and a commit) per page and per poll. The stamp may lag the real activity
# by up to this much, so an idle session is signed out at most this much early, never late.
STAMP_EVERY_SECONDS = 60


def idle_limit_seconds(request: HttpRequest) -> int:
    """The strictest idle logoff among the user's practices, kept in the session."""
    limit = request.session.get("idle_limit")
    if limit is None:
        minutes = visible_practices(request.user).aggregate(m=Min("idle_logoff_minutes"))["m"]
        limit = 60 * (minutes or DEFAULT_IDLE_MINUTES)
        request.session["idle_limit"] = limit
    return limit


class PrivateResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._touch(request)
            if expired:
                # The person is still known here: what they were saving becomes their drafts.
                posted = self._posted_draft(request)
                if posted:
                    code, fields = posted
                    drafts.keep_for_user(
                        user=request.user, code=code, fields=fields, now=timezone.now()
                    )
                logout(request)
                if getattr(request, "htmx", False):
                    return sign_in_dialog(request, kept=bool(posted))
                return redirect(f"{reverse(settings.LOGIN_URL)}?expired=1")
        response = self.get_response(request)
        if self._sent_to_sign_in(request, response):
            # A fragment's request whose session is gone (signed out elsewhere, deleted):
            # never the whole sign-in page inside a fragment, and what it carried is kept.
            posted = self._posted_draft(request)
            token = ""
            if posted:
                code, fields = posted
                token = drafts.stash_post(code=code, fields=fields, now=timezone.now())
            response = sign_in_dialog(request, token=token, kept=bool(posted))
        if request.user.is_authenticated or "Set-Cookie" in response:
            # Pages of signed-in staff carry patient data: never cache them anywhere.
            patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def _posted_draft(request: HttpRequest) -> tuple | None:
        """The typed text of a form post that passes the CSRF check (the view that would have
        checked it does not run): another site cannot plant text in anyone's form."""
        posted = drafts.posted_draft(request)
        if posted is None:
            return None
        refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
        return None if refused else posted

    @staticmethod
    def _sent_to_sign_in(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            getattr(request, "htmx", False)
            and not request.user.is_authenticated
            and response.status_code == 302
            and response["Location"].startswith(reverse(settings.LOGIN_URL))
        )

    def _touch(self, request: HttpRequest) -> bool:
        """True when the session sat idle too long. Background polls don't count as activity."""
        now = time.time()
        last = request.session.get("last_activity", now)
        if now - last > idle_limit_seconds(request):
            return True
        if request.headers.get("X-Background-Poll") != "1" and (
            "last_activity" not in request.session or now - last >= STAMP_EVERY_SECONDS
        ):
            request.session["last_activity"] = now
        return False


class DenialCountingMiddleware:
    """Count each 403/404 a view raises for a signed-in person against their practices.

    The access helpers raise Http404 for what a person may not know exists and
    PermissionDenied for what they may see but not change; both come through here.
    Unknown URLs never reach a view and are not counted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, (Http404, PermissionDenied)):
            return None
        if not request.user.is_authenticated:
            return None
        practice_ids = list(visible_practices(request.user).values_list("pk", flat=True))
        alerting.record_refusal(
            kind=alerting.ACCESS_DENIED, practice_ids=practice_ids or [None], now=timezone.now()
        )
        return None  # Django answers 403/404 as always
