"""Sign-in: lockout, the second factor without a way around it, idle logoff, session hygiene."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from queue_app.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def sign_in(client, username: str, password: str = factories.PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_the_login_page_is_served(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_an_assistant_signs_in_and_sees_the_queue(client, assistant):
    response = sign_in(client, "assistant-a")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_five_failures_lock_the_username_from_that_address(client, assistant):
    for _ in range(5):
        sign_in(client, "assistant-a", "wrong-password-123")
    response = sign_in(client, "assistant-a")
    assert response.status_code == 429
    assert client.get("/").status_code == 302  # not signed in


def test_a_lockout_does_not_touch_another_user_at_the_same_address(client, assistant, manager):
    for _ in range(5):
        sign_in(client, "assistant-a", "wrong-password-123")
    assert sign_in(client, "manager-a").status_code == 302


def test_a_forged_forwarded_for_header_does_not_evade_the_lockout(client, assistant):
    for n in range(5):
        sign_in(client, "assistant-a", "wrong-password-123", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = sign_in(client, "assistant-a", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_a_manager_must_turn_on_the_second_factor_before_anything(client, manager):
    sign_in(client, "manager-a")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account-2fa-setup")


def test_the_second_factor_cannot_be_skipped_by_an_htmx_request(client, manager):
    sign_in(client, "manager-a")
    response = client.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("account-2fa-setup")


def test_a_manager_who_sets_up_totp_reaches_the_queue_with_a_new_session_key(client, manager):
    sign_in(client, "manager-a")
    client.get(reverse("account-2fa-setup"))
    device = TOTPDevice.objects.get(user=manager)
    key_before = client.session.session_key
    response = client.post(reverse("account-2fa-setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != key_before
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, manager):
    sign_in(client, "manager-a")
    client.get(reverse("account-2fa-setup"))
    response = client.post(reverse("account-2fa-setup"), {"token": "000000"})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert client.get("/").status_code == 302


def test_a_user_with_a_device_must_enter_a_code_at_every_sign_in(client, assistant):
    device = TOTPDevice.objects.create(user=assistant, name="phone", confirmed=True)
    sign_in(client, "assistant-a")
    assert client.get("/")["Location"] == reverse("account-2fa-verify")
    client.post(reverse("account-2fa-verify"), {"token": code_for(device)})
    assert client.get("/").status_code == 200


def test_the_admin_login_is_no_way_around_the_second_factor(client, practice_a):
    staff = factories.make_user("staffer")
    staff.is_staff = True
    staff.save()
    client.post("/admin/login/", {"username": "staffer", "password": factories.PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account-2fa-setup")


def test_sign_in_sign_out_and_failures_are_audited(client, assistant):
    sign_in(client, "assistant-a", "wrong-password-123")
    sign_in(client, "assistant-a")
    client.post("/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["login_failed", "login", "logout"]
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.actor is None and failed.service == "sign-in"


def test_an_idle_session_is_signed_out(client, assistant):
    sign_in(client, "assistant-a")
    session = client.session
    session["last_activity"] = time.time() - 16 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "expired=1" in response["Location"]
    assert client.get("/").status_code == 302


def test_an_idle_htmx_request_gets_the_sign_in_dialog_not_a_page(client, assistant):
    sign_in(client, "assistant-a")
    session = client.session
    session["last_activity"] = time.time() - 16 * 60
    session.save()
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Retarget"] == "#signin-dialog"
    assert "HX-Redirect" not in response
    html = response.content.decode()
    assert "<html" not in html and "You were signed out" in html
    assert client.get("/").status_code == 302


def test_background_polls_do_not_keep_a_session_alive(client, assistant):
    sign_in(client, "assistant-a")
    session = client.session
    started = time.time() - 10 * 60
    session["last_activity"] = started
    session.save()
    client.get("/", headers={"HX-Request": "true", "X-Background-Poll": "1"})
    assert client.session["last_activity"] == started
    client.get("/")
    assert client.session["last_activity"] > started


def test_signed_in_pages_are_never_cached(client, assistant):
    sign_in(client, "assistant-a")
    assert "no-store" in client.get("/")["Cache-Control"]


def test_session_cookie_is_http_only_and_same_site(client, assistant):
    response = sign_in(client, "assistant-a")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_short_and_common_passwords_are_refused_and_long_ones_accepted():
    with pytest.raises(ValidationError):
        validate_password("short-pass1")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("a quiet lake at dawn with herons " * 2)


def test_a_background_poll_before_the_second_factor_does_not_reload_the_code_page(client, manager):
    sign_in(client, "manager-a")
    response = client.get("/", headers={"HX-Request": "true", "X-Background-Poll": "1"})
    assert response.status_code == 204
    assert "HX-Redirect" not in response
