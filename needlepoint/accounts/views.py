"""The second step of a staff sign-in: set up an authenticator once, then give its code
(or a backup code); giving the password again; making backup codes; asking for a
password reset, under its limits."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import mark_authenticated, password_again
from needlepoint.accounts.team import staff_set_language
from needlepoint.accounts.two_factor import (
    authenticator_confirm,
    backup_code_device,
    backup_codes_left,
    backup_codes_make,
    confirmed_device,
    enrolling_device,
    has_authenticator,
    manual_key,
    qr_svg,
)
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import choices as language_choices
from needlepoint.core.throttle import client_address, hit


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label=gettext_lazy("6-digit code"),
        error_messages={
            "invalid": gettext_lazy("Enter the 6 digits your authenticator app shows.")
        },
        widget=forms.TextInput(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "7"}
        ),
    )


class BackupCodeForm(forms.Form):
    backup_code = forms.CharField(
        label=gettext_lazy("Backup code"),
        max_length=20,
        widget=forms.TextInput({"autocomplete": "off"}),
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator (first time) or check its code, then go where the user was going."""
    user = request.user
    enrolled = has_authenticator(user)
    device = None if enrolled else enrolling_device(user)
    form = CodeForm(request.POST if "code" in request.POST else None)
    backup = BackupCodeForm(request.POST if "backup_code" in request.POST else None)
    if enrolled and backup.is_valid():
        used = backup_code_device(user, backup.cleaned_data["backup_code"])
        if used is not None:
            return _signed_in_with_backup_code(request, used)
        audit.record(
            Action.CODE_REFUSED, Target.ACCOUNT, user.pk, detail={"second_step": "backup code"}
        )
        backup.add_error("backup_code", _("That backup code is not right, or was used already."))
    if form.is_valid():
        code = form.cleaned_data["code"].strip()
        if device is not None and authenticator_confirm(device, code):
            verified = device
            messages.success(
                request,
                _(
                    "Your authenticator app is set up. Make backup codes as well (Backup codes, "
                    "at the top of the page), for signing in if you lose your phone."
                ),
            )
        else:
            verified = confirmed_device(user, code) if enrolled else None
        if verified is not None:
            otp_login(request, verified)
            return redirect(_next(request))
        audit.record(Action.CODE_REFUSED, Target.ACCOUNT, user.pk)
        form.add_error("code", _("That code is not right, or has expired. Try the current one."))
    context = {
        "form": form,
        "backup_form": backup,
        "enrolled": enrolled,
        "qr": qr_svg(device) if device else "",
        "key": manual_key(device) if device else "",
        "next": _next(request),
    }
    return no_store(render(request, "accounts/two_factor.html", context))


def _signed_in_with_backup_code(request: HttpRequest, device: StaticDevice) -> HttpResponse:
    otp_login(request, device)
    left = backup_codes_left(request.user)
    detail = {"second_step": "backup code", "backup_codes_left": left}
    audit.record(Action.SIGNED_IN, Target.ACCOUNT, request.user.pk, detail=detail)
    messages.warning(
        request,
        ngettext(
            "You signed in with a backup code: %(left)s of them left. If your phone is lost, "
            "set up the authenticator again and make new backup codes.",
            "You signed in with a backup code: %(left)s of them left. If your phone is lost, "
            "set up the authenticator again and make new backup codes.",
            left,
        )
        % {"left": left},
    )
    return redirect(_next(request))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )


@login_required
def confirm_password(request: HttpRequest) -> HttpResponse:
    """Give the password again before a sensitive action (see accounts/recent.py).

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
        form.add_error("password", _("That is not your password."))
    context = {"form": form, "next": _next(request)}
    return no_store(render(request, "accounts/confirm_password.html", context))


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; POST makes ten new ones, shown this once."""
    user = request.user
    codes: list[str] = []
    if request.method == "POST" and has_authenticator(user):
        if (asked := password_again(request)) is not None:
            return asked
        codes = backup_codes_make(user)
        audit.record(Action.CHANGED, Target.ACCOUNT, user.pk, detail={"backup_codes": "made"})
    context = {
        "enrolled": has_authenticator(user),
        "codes": codes,
        "left": backup_codes_left(user),
    }
    return no_store(render(request, "accounts/backup_codes.html", context))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=language_choices)


@staff_view
def profile(request: StaffRequest) -> HttpResponse:
    """The signed-in staff member's own settings: the language their pages are in."""
    member = request.staff
    form = LanguageForm(request.POST or None, initial={"language": member.language})
    if request.method == "POST" and form.is_valid():
        try:
            staff_set_language(
                by=request.user,  # type: ignore[arg-type]
                member=member,
                language=form.cleaned_data["language"],
            )
        except DomainError as error:
            form.add_error("language", error.message)
        else:
            with translation.override(member.language):  # said in the language just chosen
                messages.success(request, gettext("Saved."))
            return redirect("accounts:profile")
    return no_store(
        render(request, "accounts/profile.html", {"form": form, "member": member, "nav": "profile"})
    )


class LimitedPasswordResetView(PasswordResetView):
    """Password reset by email, limited per address and per email.

    Past either limit the answer is the same "check your inbox" page and nothing is
    sent, so the limit reveals nothing about which addresses have an account (as the
    portal's sign-in link does, public/portal_views.py).
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email: str = form.cleaned_data["email"]
        limited = hit("password_reset_address", client_address(self.request)) or hit(
            "password_reset_email", email.strip().lower()
        )
        if limited:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
