from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ortswandel.core.errors import RateLimited

from . import conf, services, throttle
from .forms import LoginForm, ProfileForm, QueuedPasswordResetForm, SignupForm
from .models import Profile

# Session keys: the address just signed up with (shown on the "check your inbox" page), and the
# pending account whose password was just shown at the login form (may ask for a new link).
SIGNUP_EMAIL_KEY = "accounts_signup_email"
PENDING_USER_KEY = "accounts_pending_user_id"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.unverified_user is not None:
            self.request.session[PENDING_USER_KEY] = form.unverified_user.pk
        response = super().form_invalid(form)
        if throttle.refused(self.request) is not None:
            response.status_code = 429  # the form shows the message
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        self.request.session.pop(PENDING_USER_KEY, None)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per address and per client: over the limit the form
    says so (429) and no mail is sent."""

    form_class = QueuedPasswordResetForm  # the mail goes through the queue; the worker sends it
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            throttle.check_password_reset(self.request, form.cleaned_data["email"])
        except RateLimited as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=error.status)
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same redirect whether the address was new or taken (no account enumeration).
        services.user_register(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            kind=form.cleaned_data["kind"],
            organisation_name=form.cleaned_data["organisation_name"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            base_url=_base_url(request),
        )
        request.session[SIGNUP_EMAIL_KEY] = form.cleaned_data["email"].strip().lower()
        return redirect("accounts:signup_done")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/signup_done.html",
        {
            "email": request.session.get(SIGNUP_EMAIL_KEY, ""),
            "days": conf.activation_days(),
            "delete_days": conf.unverified_days(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button, POST activates: mail scanners that follow links must not use up the
    link (nor log themselves in)."""
    try:
        if request.method == "POST":
            user = services.user_activate(uidb64=uidb64, token=token)
        else:
            user = services.activation_link_check(uidb64=uidb64, token=token)
    except services.ActivationLinkExpired as error:
        return _activation_failed(request, error, expired=True)
    except services.ActivationLinkInvalid as error:
        return _activation_failed(request, error, expired=False)
    if request.method == "GET":
        return render(request, "accounts/activate.html", {"email": user.email})
    request.session.pop(PENDING_USER_KEY, None)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    messages.success(
        request, _("Ihre E-Mail-Adresse ist bestätigt. Willkommen – Ihr Konto ist jetzt aktiv.")
    )
    return redirect("accounts:profile")


def _activation_failed(request: HttpRequest, error: Exception, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "accounts/activation_failed.html",
        {"message": str(error), "expired": expired, "days": conf.activation_days()},
        status=getattr(error, "status", 400),
    )


def _pending_user_in_session(request: HttpRequest) -> Any:
    pk = request.session.get(PENDING_USER_KEY)
    if pk is None:
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not services.is_pending(user):
        request.session.pop(PENDING_USER_KEY, None)
        return None
    return user


@never_cache
@require_http_methods(["GET", "POST"])
def activation_resend(request: HttpRequest) -> HttpResponse:
    """A new activation link, for whoever has just shown the password at the login form."""
    user = _pending_user_in_session(request)
    if request.method == "POST":
        if user is None:
            messages.error(
                request,
                _(
                    "Bitte melden Sie sich zuerst mit Ihrer E-Mail-Adresse und Ihrem Passwort "
                    "an; danach können Sie einen neuen Bestätigungslink anfordern."
                ),
            )
            return redirect("accounts:login")
        if services.user_activation_resend(user=user, base_url=_base_url(request)):
            messages.success(
                request,
                _("Wir haben Ihnen einen neuen Bestätigungslink an %(email)s geschickt.")
                % {"email": user.email},
            )
        else:
            messages.info(
                request,
                _(
                    "Wir haben Ihnen vor Kurzem schon einen Link geschickt. Bitte prüfen Sie "
                    "Ihr Postfach und den Spam-Ordner. Einen weiteren Link können Sie "
                    "frühestens %(minutes)s Minuten nach dem letzten anfordern."
                )
                % {"minutes": conf.mail_interval_minutes()},
            )
        return redirect("accounts:activation_resend")
    return render(
        request,
        "accounts/activation_resend.html",
        {"pending_user": user, "days": conf.activation_days()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    instance, _created = Profile.objects.get_or_create(user=request.user)  # type: ignore[misc]
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="ortswandel-meine-daten.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Bitte bestätigen Sie die Löschung."))
            return render(request, "accounts/delete.html", status=400)
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("Ihr Konto und Ihre personenbezogenen Daten wurden gelöscht."))
        return redirect("catalogue:home")
    return render(request, "accounts/delete.html")
