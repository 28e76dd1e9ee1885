from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ortswandel.core import notifications

from . import throttle
from .models import Profile, ProfileKind


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("Vorname"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    kind = forms.ChoiceField(label=_("Ich bin"), choices=ProfileKind.choices)
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    password = forms.CharField(
        label=_("Passwort"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    privacy = forms.BooleanField(
        label=_(
            "Ich habe die Datenschutzerklärung gelesen und stimme der Verarbeitung meiner Daten zu."
        )
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["kind", "organisation_name"]
        widgets = {"organisation_name": forms.TextInput(attrs={"autocomplete": "organization"})}


class LoginForm(AuthenticationForm):
    """Django's login form, plus a clear message for a correct password on an account whose
    e-mail address is not confirmed yet. Someone without the password learns nothing: a wrong
    password gives the usual error, and every path hashes the password exactly once."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "unverified": _(
            "Ihre E-Mail-Adresse ist noch nicht bestätigt. Bitte öffnen Sie den Link in der "
            "E-Mail, die wir Ihnen nach der Registrierung geschickt haben."
        ),
    }

    unverified_user: Any = None

    def get_invalid_login_error(self) -> ValidationError:
        # A login refused by the throttle (ortswandel.accounts.throttle) says so.
        error = throttle.refused(self.request) if self.request is not None else None
        if error is not None:
            return ValidationError(error.message, code="throttled")
        return super().get_invalid_login_error()

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        request = self.request
        if username and password:
            # The check below reads passwords of unconfirmed accounts itself: throttle it too.
            if request is not None and throttle.login_refusal(request, username) is not None:
                raise self.get_invalid_login_error()
            pending = (
                get_user_model()
                .objects.filter(
                    username=username, is_active=False, email_verification__isnull=False
                )
                .first()
            )
            if pending is not None:
                if pending.check_password(password):
                    self.unverified_user = pending
                    raise ValidationError(self.error_messages["unverified"], code="unverified")
                if request is not None:
                    throttle.login_failed(request, username)
                raise self.get_invalid_login_error()
        return super().clean()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form; the mail goes through the platform's mail queue (rendered
    now in the language of the request, sent by the worker, retried while the server is down)."""

    def send_mail(  # noqa: PLR0917 (Django's signature)
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        notifications.mail_queue_template(
            to=to_email,
            template=email_template_name,
            subject_template=subject_template_name,
            context=context,
            kind="accounts.password_reset",
            regarding=context.get("user"),
            sensitive=True,
        )
