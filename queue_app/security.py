"""Two-factor enforcement and the audit of sign-ins.

Managers, admins and staff must pass a TOTP step; anyone else may turn it on. The check sits
in middleware, after authentication, so no path (the admin's login, a direct POST, a new
session from any form) reaches a page before the second factor.
"""

from collections.abc import Callable

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

from queue_app import access
from queue_app.audit import client_ip
from queue_app.models import AuditEvent

# Paths a signed-in person may reach before the second factor.
OPEN_PATHS = ("/account/2fa/", "/logout/", "/static/")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout for every sign-in through a web request.

    Every web sign-in (the login page, the admin's login) passes its request; only code
    outside a request (the test client's login, scripts) comes without one, and there is no
    address to lock out then.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def two_factor_required(user) -> bool:
    """Managers, admins and staff accounts may not work without a second factor."""
    if user.is_staff or user.is_superuser:
        return True
    return (
        access.practices_for(user, access.MANAGE).exists()
        or access.practices_for(user, access.PLAYBOOK).exists()
    )


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            target = self._next_step(request)
            if target:
                if request.headers.get("X-Background-Poll") == "1":
                    # A poll must not reload the page where the person is typing their code.
                    return HttpResponse(status=204)
                if request.headers.get("HX-Request"):
                    return HttpResponseClientRedirect(target)
                return redirect(target)
        return self.get_response(request)

    def _next_step(self, request: HttpRequest) -> str | None:
        if user_has_device(request.user, confirmed=True):
            return reverse("account-2fa-verify")
        if request.session.get("two_factor_required") is None:
            request.session["two_factor_required"] = two_factor_required(request.user)
        if request.session["two_factor_required"]:
            return reverse("account-2fa-setup")
        return None


def _audit(request: HttpRequest | None, *, action: str, user=None) -> None:
    AuditEvent.objects.create(
        actor=user,
        service="" if user else "sign-in",
        action=action,
        route="login",
        ip=client_ip(request) if request is not None else None,
        created=timezone.now(),
    )


# Sign-in events are recorded by Django's auth signals: the auth views are Django's own.
@receiver(user_logged_in)
def audit_login(sender, request: HttpRequest, user, **kwargs) -> None:
    _audit(request, action="login", user=user)


@receiver(user_logged_out)
def audit_logout(sender, request: HttpRequest, user, **kwargs) -> None:
    if user is not None:
        _audit(request, action="logout", user=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    # The attempted username is not stored: it may be a patient's mistyped detail.
    _audit(request, action="login_failed")
