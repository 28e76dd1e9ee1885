"""Pages of the newsletter: sign-up, confirmation, preferences, one-click unsubscribe (public,
signed links, no account needed), the account's own subscriptions, the bounce/complaint webhook
and the editors' composer (compose, preview, test send, send)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ortswandel.accounts import roles
from ortswandel.catalogue.models import Programme
from ortswandel.core.errors import InvalidInput, NotFound, OrtswandelError, PermissionDenied

from . import conf, selectors, services
from .forms import DigestForm, IssueForm, PreferencesForm, SignupForm
from .models import Issue, IssueStatus, address_hash

PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


# --- public -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    initial = {
        "programme": request.GET.get("programm", ""),
        "email": getattr(request.user, "email", "") or "",
        "language": request.LANGUAGE_CODE,
    }
    form = SignupForm(request.POST or None, initial=initial)
    if request.method == "POST":
        conf.SIGNUP_LIMIT.check_request(request)
        if form.is_bot:
            return redirect("newsletter:signup_done")
        if form.is_valid():
            services.subscriptions_request(
                email=form.cleaned_data["email"],
                topics=form.topics(),
                language=form.cleaned_data["language"],
                acting_user=request.user,
            )
            return redirect("newsletter:signup_done")
    status = 400 if form.errors else 200
    return render(request, "newsletter/signup.html", {"form": form}, status=status)


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/signup_done.html", {"days": conf.unconfirmed_days()})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms."""
    subscriptions = services.confirmation_check(token=token)
    if request.method == "POST":
        subscriptions = services.subscription_confirm(token=token)
        return render(
            request,
            "newsletter/confirmed.html",
            {
                "subscriptions": subscriptions,
                "preferences_url": reverse(
                    "newsletter:preferences",
                    kwargs={"token": services.manage_token(subscriptions[0].address_hash)},
                ),
            },
        )
    return render(request, "newsletter/confirm.html", {"subscriptions": subscriptions})


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    link = services.manage_link_read(token)
    subscriptions = list(selectors.subscriptions_of_address(link.address_hash))
    confirmed = [s for s in subscriptions if s.status == "confirmed"]
    language = subscriptions[0].language if subscriptions else "de"
    form = PreferencesForm(
        request.POST or None,
        subscriptions=confirmed,
        initial={"keep": [s.pk for s in confirmed], "language": language},
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            hash_=link.address_hash,
            keep_ids=form.cleaned_data["keep"],
            language=form.cleaned_data["language"],
            acting_user=request.user,
        )
        messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
        return redirect("newsletter:preferences", token=token)
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "pending": [s for s in subscriptions if s.status == "pending"],
            "has_any": bool(confirmed),
            "unsubscribe_url": reverse("newsletter:unsubscribe", kwargs={"token": token}),
            "signup_url": reverse("newsletter:signup"),
        },
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with one button. POST (the button, or a mail client's one-click request with
    ``List-Unsubscribe=One-Click``): unsubscribe every topic of the address."""
    link = services.manage_link_read(token)
    if request.method == "POST":
        services.unsubscribe_all(
            hash_=link.address_hash,
            issue_id=link.issue_id,
            via="one-click" if "List-Unsubscribe" in request.POST else "page",
        )
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html", {"token": token})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in account's subscriptions (by its e-mail address)."""
    email = getattr(request.user, "email", "") or ""
    hash_ = address_hash(email) if email else ""
    subscriptions = list(selectors.subscriptions_of_address(hash_)) if hash_ else []
    return render(
        request,
        "newsletter/mine.html",
        {
            "subscriptions": subscriptions,
            "preferences_url": reverse(
                "newsletter:preferences", kwargs={"token": services.manage_token(hash_)}
            )
            if hash_
            else "",
        },
    )


@csrf_exempt  # called by the mail provider with a shared secret, not by a browser
@require_POST
def delivery_webhook(request: HttpRequest) -> HttpResponse:
    """Bounces and complaints: ``{"email": …, "type": "bounce"|"complaint"}`` with the header
    ``X-Ortswandel-Webhook-Secret`` (``ORTSWANDEL_NEWSLETTER_WEBHOOK_SECRET``)."""
    secret = conf.webhook_secret()
    given = request.headers.get("X-Ortswandel-Webhook-Secret", "")
    if not secret or not constant_time_compare(given, secret):
        error: OrtswandelError = PermissionDenied(_("Ungültiges oder fehlendes Webhook-Geheimnis."))
        return JsonResponse(error.as_dict(), status=error.status)
    try:
        data = json.loads(request.body or b"{}")
        email, kind = str(data["email"]), str(data["type"])
    except (ValueError, KeyError, TypeError):
        error = InvalidInput(_("Erwartet wird JSON mit „email“ und „type“."))
        return JsonResponse(error.as_dict(), status=400)
    if "@" not in email:
        error = InvalidInput(fields={"email": _("Bitte geben Sie eine E-Mail-Adresse an.")})
        return JsonResponse(error.as_dict(), status=400)
    try:
        services.suppression_record(email=email, reason=kind, source="webhook")
    except OrtswandelError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"ok": True})


# --- editors -----------------------------------------------------------------------------------
def _programme_for(request: HttpRequest, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise NotFound()
    if not request.user.has_perm("newsletter.manage_issue", programme):
        raise PermissionDenied()
    return programme


def _issue_for(request: HttpRequest, pk: int) -> Issue:
    issue = Issue.objects.select_related("programme").filter(pk=pk).first()
    if issue is None:
        raise NotFound()
    if not request.user.has_perm("newsletter.manage_issue", issue.programme):
        raise PermissionDenied()
    return issue


@login_required
def editor_home(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("newsletter.manage_issue"):
        raise PermissionDenied()
    programmes = roles.restrict_to_programmes(
        Programme.objects.order_by("name"), request.user, field="pk"
    )
    return render(
        request,
        "newsletter/editor_home.html",
        {"panels": [(p, selectors.newsletter_status(p)) for p in programmes]},
    )


def _issue_form(request: HttpRequest, programme: Programme, issue: Issue | None) -> IssueForm:
    options = selectors.compose_options(programme, since=None)
    initial: dict[str, Any] = {}
    if issue is not None:
        initial = {
            "subject": issue.subject,
            "intro": issue.intro,
            "news": list(issue.news.values_list("pk", flat=True)),
            "events": list(issue.events.values_list("pk", flat=True)),
            "results": list(issue.results.values_list("pk", flat=True)),
        }
    else:
        since = selectors.last_sent_at(programme)
        new = selectors.compose_options(programme, since=since) if since else options
        initial = {
            "news": [n.pk for n in new.news],
            "events": [e.pk for e in new.events],
            "results": [r.pk for r in new.results],
        }
    return IssueForm(request.POST or None, options=options, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def programme_issues(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_for(request, slug)
    form = _issue_form(request, programme, None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(
                programme=programme,
                subject=form.cleaned_data["subject"],
                intro=form.cleaned_data["intro"],
                news_ids=form.cleaned_data["news"],
                event_ids=form.cleaned_data["events"],
                result_ids=form.cleaned_data["results"],
                acting_user=request.user,
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Der Entwurf wurde angelegt. Prüfen Sie die Vorschau."))
            return redirect("newsletter:issue", pk=issue.pk)
    issues = [(i, selectors.issue_statistics(i)) for i in selectors.issues_of(programme)]
    return render(
        request,
        "newsletter/programme_issues.html",
        {
            "programme": programme,
            "form": form,
            "issues": issues,
            "status": selectors.newsletter_status(programme),
            "digest_form": DigestForm(initial={"digest": selectors.digest_frequency(programme)}),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def programme_digest(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_for(request, slug)
    form = DigestForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(fields={"digest": _("Ungültige Auswahl.")})
    services.digest_schedule_set(
        programme=programme, frequency=form.cleaned_data["digest"], acting_user=request.user
    )
    messages.success(request, _("Der Digest-Versand wurde gespeichert."))
    return redirect("newsletter:programme_issues", slug=programme.slug)


@login_required
@require_http_methods(["GET", "POST"])
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request, pk)
    form = _issue_form(request, issue.programme, issue)
    if request.method == "POST" and issue.status == IssueStatus.DRAFT and form.is_valid():
        try:
            services.issue_update(
                issue=issue,
                subject=form.cleaned_data["subject"],
                intro=form.cleaned_data["intro"],
                news_ids=form.cleaned_data["news"],
                event_ids=form.cleaned_data["events"],
                result_ids=form.cleaned_data["results"],
                acting_user=request.user,
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Die Ausgabe wurde gespeichert."))
            return redirect("newsletter:issue", pk=issue.pk)
    preview_hash = address_hash(getattr(request.user, "email", "") or "preview@invalid")
    _subject, text, _html = services.render_issue(
        issue, hash_=preview_hash, language=request.LANGUAGE_CODE
    )
    return render(
        request,
        "newsletter/issue_detail.html",
        {
            "issue": issue,
            "form": form,
            "preview_text": text,
            "statistics": selectors.issue_statistics(issue),
            "audience": selectors.recipients(issue).count(),
            "content": selectors.issue_content(issue),
        },
        status=400 if form.errors else 200,
    )


@login_required
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML part exactly as mailed (opened from the composer, in a frame or a tab)."""
    issue = _issue_for(request, pk)
    preview_hash = address_hash(getattr(request.user, "email", "") or "preview@invalid")
    _subject, _text, html = services.render_issue(
        issue, hash_=preview_hash, language=request.LANGUAGE_CODE
    )
    response = HttpResponse(html)
    # The mail's own inline styles may apply; nothing else (no scripts, forms or frames).
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@login_required
@require_POST
def issue_test(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request, pk)
    services.issue_send_test(issue=issue, acting_user=request.user)
    messages.success(request, _("Eine Testausgabe wurde an Ihre E-Mail-Adresse geschickt."))
    return redirect("newsletter:issue", pk=issue.pk)


@login_required
@require_POST
def issue_send(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie den Versand."))
        return redirect("newsletter:issue", pk=issue.pk)
    services.issue_send(issue=issue, acting_user=request.user)
    messages.success(request, _("Der Versand hat begonnen."))
    return redirect("newsletter:issue", pk=issue.pk)
