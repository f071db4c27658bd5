"""Signing in, in a real browser: with the password alone, or with the second factor that
managers and admins need."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests import factories


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in (an earlier session in this browser context is dropped) and wait for the page
    it lands on to load: a width measured before the stylesheets apply is the unstyled page's."""
    page.context.clear_cookies()
    _submit_password(page, base, username)
    page.wait_for_url(lambda url: reverse("login") not in url)
    page.wait_for_load_state()


def sign_in_with_code(page: Page, base: str, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    # On the code page the escalation-alert poll gets an HX-Redirect back to the same page,
    # which reloads it every few seconds, and can land while the second factor renews the
    # session key: keep the poll out of the sign-in itself.
    alerts = "**/escalations/alerts/**"
    page.route(alerts, lambda route: route.abort())
    _submit_password(page, base, user.username)
    expect(page.locator("h1")).to_have_text("Enter your code")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_token", f"{totp.token():06d}")
    page.locator("main button[type=submit]").click()  # not the header's "Sign out"
    expect(page.locator("h1")).not_to_have_text("Enter your code")
    page.unroute(alerts)


def _submit_password(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
