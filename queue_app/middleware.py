"""Session idle logoff, no-store caching for every signed-in response, and the count of
refused requests for the admins' spike alert."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from queue_app import alerting
from queue_app.access import visible_practices

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
                logout(request)
                login_url = reverse(settings.LOGIN_URL)
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(login_url)
                return redirect(f"{login_url}?expired=1")
        response = self.get_response(request)
        if request.user.is_authenticated or "Set-Cookie" in response:
            # Pages of signed-in staff carry patient data: never cache them anywhere.
            patch_cache_control(response, no_store=True, private=True)
        return response

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
