"""The second step of a staff sign-in: set up an authenticator once, then give its code."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from needlepoint.accounts.recent import mark_authenticated
from needlepoint.accounts.two_factor import (
    confirmed_device,
    enrolling_device,
    has_authenticator,
    manual_key,
    qr_svg,
)
from needlepoint.core.access import no_store


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="6-digit code",
        error_messages={"invalid": "Enter the 6 digits your authenticator app shows."},
        widget=forms.TextInput(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "7"}
        ),
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator (first time) or check its code, then go where the user was going."""
    user = request.user
    enrolled = has_authenticator(user)
    device = None if enrolled else enrolling_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        if device is not None and device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            verified = device
        else:
            verified = confirmed_device(user, code) if enrolled else None
        if verified is not None:
            otp_login(request, verified)
            return redirect(_next(request))
        form.add_error("code", "That code is not right, or has expired. Try the current one.")
    context = {
        "form": form,
        "enrolled": enrolled,
        "qr": qr_svg(device) if device else "",
        "key": manual_key(device) if device else "",
        "next": _next(request),
    }
    return no_store(render(request, "accounts/two_factor.html", context))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput({"autocomplete": "current-password"})
    )


@login_required
def confirm_password(request: HttpRequest) -> HttpResponse:
    """Give the password again before an export (see accounts/recent.py).

    Checked through ``authenticate``, so wrong answers count towards the lockout.
    """
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if user is not None and user.pk == request.user.pk:
            mark_authenticated(request)
            return redirect(_next(request))
        form.add_error("password", "That is not your password.")
    context = {"form": form, "next": _next(request)}
    return no_store(render(request, "accounts/confirm_password.html", context))
