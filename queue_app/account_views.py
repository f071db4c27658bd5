"""Turning on and passing the second factor (TOTP)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from segno import make_qr


class TokenForm(forms.Form):
    token = forms.RegexField(
        regex=r"^\d{6}$",
        label="6-digit code from your authenticator app",
        error_messages={"invalid": "Enter the 6-digit code your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _unconfirmed_device(request: HttpRequest) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=request.user, name="Authenticator app", confirmed=False
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user, confirmed=True):
        return redirect("account-2fa-verify")
    device = _unconfirmed_device(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _finish(request, device)
            messages.success(request, "Two-step sign-in is on for your account.")
            return redirect("queue:queue")
        form.add_error("token", "That code did not match. Check the time on your phone and retry.")
    qr = make_qr(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": qr, "secret": device.config_url.split("secret=")[1].split("&")[0]},
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                _finish(request, device)
                return redirect(request.GET.get("next") or "queue:queue")
        form.add_error("token", "That code did not match. Codes change every 30 seconds.")
    return render(request, "registration/two_factor_verify.html", {"form": form})


def _finish(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    # A privilege change: a new session key, so a key seen before the second factor is useless.
    request.session.cycle_key()
