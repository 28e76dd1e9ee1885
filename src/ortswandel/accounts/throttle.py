"""Throttling of logins (site and admin) and password-reset requests, on the shared limiter
(:mod:`ortswandel.core.ratelimit`).

Logins: failed attempts are counted per account (``ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT``, default
10 per 15 minutes) and per client (``ORTSWANDEL_RATELIMIT_LOGIN_CLIENT``, default 50 per 15
minutes). Once either is used up, every further attempt – the right password too – is refused
until the window ends, without checking the password. :class:`ThrottledModelBackend` does this
inside ``authenticate()``, so the site login and the admin login are covered alike;
:class:`LoginThrottleMiddleware` answers such a request with 429 and a German message (the site's
login form shows the message as a form error with status 429 itself).

Password reset: requests are counted per address (``…_PASSWORD_RESET_ADDRESS``, 3 per hour) and
per client (``…_PASSWORD_RESET_CLIENT``, 10 per hour), whether or not an account has the address
(the answer must not tell); over the limit no mail is sent and the form says why (429).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ortswandel.core.errors import RateLimited
from ortswandel.core.middleware import render_error
from ortswandel.core.ratelimit import Limit, client_key

#: The request attribute that marks a login refused by the throttle (holds the error).
REFUSED_ATTRIBUTE = "ortswandel_login_throttled"

LOGIN_ACCOUNT_LIMIT = Limit(
    scope="accounts.login.account",
    setting="ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT",
    message=_(
        "Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. Aus Sicherheitsgründen ist "
        "die Anmeldung vorübergehend gesperrt. Bitte versuchen Sie es in spätestens "
        "%(minutes)s Minuten erneut oder setzen Sie Ihr Passwort zurück."
    ),
)
LOGIN_CLIENT_LIMIT = Limit(
    scope="accounts.login.client",
    setting="ORTSWANDEL_RATELIMIT_LOGIN_CLIENT",
    message=_(
        "Zu viele fehlgeschlagene Anmeldeversuche von Ihrer Adresse. Bitte versuchen Sie es in "
        "spätestens %(minutes)s Minuten erneut."
    ),
)
PASSWORD_RESET_ADDRESS_LIMIT = Limit(
    scope="accounts.password_reset.address",
    setting="ORTSWANDEL_RATELIMIT_PASSWORD_RESET_ADDRESS",
    message=_(
        "Für diese E-Mail-Adresse wurden gerade schon mehrere Links angefordert. Bitte prüfen "
        "Sie Ihr Postfach und den Spam-Ordner, oder versuchen Sie es in spätestens "
        "%(minutes)s Minuten erneut."
    ),
)
PASSWORD_RESET_CLIENT_LIMIT = Limit(
    scope="accounts.password_reset.client",
    setting="ORTSWANDEL_RATELIMIT_PASSWORD_RESET_CLIENT",
    message=_(
        "Zu viele Anfragen zum Zurücksetzen von Passwörtern von Ihrer Adresse. Bitte versuchen "
        "Sie es in spätestens %(minutes)s Minuten erneut."
    ),
)


def _account(username: str | None) -> str:
    return (username or "").strip().lower()


def login_refusal(request: HttpRequest, username: str | None) -> RateLimited | None:
    """The error to answer with when logins for ``username`` or from this client are used up
    (also marks the request, see :data:`REFUSED_ATTRIBUTE`); ``None`` when the attempt may go
    ahead."""
    if not Limit.enabled():
        return None
    for limit, key in (
        (LOGIN_ACCOUNT_LIMIT, _account(username)),
        (LOGIN_CLIENT_LIMIT, client_key(request)),
    ):
        if key and limit.exceeded(key):
            error = limit.error()
            setattr(request, REFUSED_ATTRIBUTE, error)
            return error
    return None


def login_failed(request: HttpRequest, username: str | None) -> None:
    """Count a failed login against the account and the client."""
    if not Limit.enabled():
        return
    if _account(username):
        LOGIN_ACCOUNT_LIMIT.hit(_account(username))
    LOGIN_CLIENT_LIMIT.hit(client_key(request))


def refused(request: HttpRequest) -> RateLimited | None:
    """The throttle error if this request's login was refused by the throttle."""
    return getattr(request, REFUSED_ATTRIBUTE, None)


class ThrottledModelBackend(ModelBackend):
    """Django's ``ModelBackend`` behind the login throttle. ``authenticate()`` without a request
    (management commands, the test client's ``login()``) is not throttled."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return super().authenticate(request, username, password, **kwargs)
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if login_refusal(request, username) is not None:
            # authenticate() stops at PermissionDenied and reports a failed login.
            raise PermissionDenied("login throttled")
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failed(request, username)
        return user


class LoginThrottleMiddleware:
    """Answers a login refused by the throttle with 429 and the German message – for forms that
    do not show it themselves (the admin login)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = refused(request)
        if error is not None and response.status_code != error.status:
            return render_error(request, error)
        return response


def check_password_reset(request: HttpRequest, email: str) -> None:
    """Count a password-reset request for the client and the address; :class:`RateLimited`
    (429) when either is used up (then no mail may be sent)."""
    PASSWORD_RESET_CLIENT_LIMIT.check_request(request)
    PASSWORD_RESET_ADDRESS_LIMIT.check(_account(email))
