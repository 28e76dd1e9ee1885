"""Writes for accounts: sign-up with e-mail verification, activation, profile change, deletion
(DSGVO Art. 17) and the removal of accounts whose address was never confirmed."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from ortswandel.core import notifications
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import OrtswandelError
from ortswandel.core.models import AuditEntry

from . import conf
from .models import EmailVerification, Profile
from .tokens import TokenState, activation_token_generator

logger = logging.getLogger(__name__)

ACTION_REGISTERED = "accounts.user.registered"
ACTION_ACTIVATION_SENT = "accounts.user.activation_link_sent"
ACTION_NOTICE_SENT = "accounts.user.signup_notice_sent"
ACTION_ACTIVATED = "accounts.user.email_verified"
ACTION_UNVERIFIED_DELETED = "accounts.user.unverified_deleted"
DELETED_REPR = "Konto (gelöscht)"


class ActivationLinkInvalid(OrtswandelError):
    code = "activation_link_invalid"
    status = 400
    default_message = _(
        "Dieser Bestätigungslink ist ungültig oder wurde bereits verwendet. Wenn Sie Ihre "
        "E-Mail-Adresse schon bestätigt haben, melden Sie sich einfach an."
    )


class ActivationLinkExpired(OrtswandelError):
    code = "activation_link_expired"
    status = 400
    default_message = _("Dieser Bestätigungslink ist abgelaufen.")


# --- mail ---------------------------------------------------------------------------------------
def _absolute(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def _queue_mail(*, to: str, template: str, context: dict[str, Any], regarding: Any) -> None:
    """Render now, in the language of the request, and queue through the platform's mail queue:
    the worker sends it after the commit and retries while the mail server is down."""
    notifications.mail_queue_template(
        to=to,
        template=f"accounts/{template}_email.txt",
        subject_template=f"accounts/{template}_subject.txt",
        context={"site_name": settings.ORTSWANDEL_SITE_NAME, **context},
        kind=f"accounts.{template}",
        regarding=regarding,
        sensitive=True,  # activation links and notices about an account: erased once sent
    )


def _delete_on(user: Any) -> str:
    """The day after which the pending ``user`` is deleted, for the mails."""
    verification = EmailVerification.objects.filter(user_id=user.pk).first()
    start = verification.created_at if verification else timezone.now()
    return date_format(
        timezone.localtime(start + dt.timedelta(days=conf.unverified_days())), "DATE_FORMAT"
    )


def _sent_recently(user: Any, action: str) -> bool:
    """Whether ``action`` (a mail to ``user``) was logged within the configured interval: one
    place, shared by every web worker, that keeps sign-ups and resends from flooding a mailbox."""
    minutes = conf.mail_interval_minutes()
    if minutes <= 0:
        return False
    return AuditEntry.objects.filter(
        action=action,
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
        created_at__gte=timezone.now() - dt.timedelta(minutes=minutes),
    ).exists()


def _send_activation_link(*, user: Any, base_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = activation_token_generator.make_token(user)
    path = reverse("accounts:activate", kwargs={"uidb64": uid, "token": token})
    _queue_mail(
        to=user.email,
        template="activation",
        regarding=user,
        context={
            "user": user,
            "activation_url": _absolute(base_url, path),
            "valid_until": date_format(
                timezone.localtime(timezone.now() + dt.timedelta(days=conf.activation_days())),
                "DATETIME_FORMAT",
            ),
            "delete_on": _delete_on(user),
        },
    )
    audit_log(action=ACTION_ACTIVATION_SENT, actor=None, obj=user)


def _send_signup_notice(*, user: Any, base_url: str) -> None:
    """Someone signed up with the address of an existing account: tell its owner, never the
    person at the sign-up form (no account enumeration)."""
    if _sent_recently(user, ACTION_NOTICE_SENT):
        return
    pending = is_pending(user)
    _queue_mail(
        to=user.email,
        template="signup_notice",
        regarding=user,
        context={
            "user": user,
            "pending": pending,
            "delete_on": _delete_on(user) if pending else "",
            "login_url": _absolute(base_url, reverse("accounts:login")),
            "reset_url": _absolute(base_url, reverse("accounts:password_reset")),
        },
    )
    audit_log(action=ACTION_NOTICE_SENT, actor=None, obj=user)


# --- sign-up and activation -------------------------------------------------------------------
def is_pending(user: Any) -> bool:
    """True for an account created by sign-up whose address is not confirmed yet."""
    return bool(not user.is_active and EmailVerification.objects.filter(user_id=user.pk).exists())


def _account_for_address(email: str) -> Any:
    User = get_user_model()  # noqa: N806 (a class, named as such)
    return (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).order_by("pk").first()
    )


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    kind: str,
    base_url: str,
    organisation_name: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Any:
    """Create an inactive account and mail an activation link to ``email``.

    If the address already belongs to an account, nothing is created: its owner gets a notice
    instead and ``None`` is returned. Callers must show the same page either way. ``base_url``
    (``https://host/``) prefixes the links in the mail.
    """
    User = get_user_model()  # noqa: N806 (a class, named as such)
    email = email.strip().lower()
    existing = _account_for_address(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=email,
                    email=email,
                    password=password,
                    first_name=first_name,
                    last_name=last_name,
                    is_active=False,
                )
        except IntegrityError:
            existing = _account_for_address(email)  # a parallel sign-up won the race
            if existing is None:
                raise
        else:
            Profile.objects.create(user=user, kind=kind, organisation_name=organisation_name)
            EmailVerification.objects.create(user=user)
            audit_log(action=ACTION_REGISTERED, actor=user, obj=user, payload={"kind": kind})
            _send_activation_link(user=user, base_url=base_url)
            return user
    # Hash anyway, so that the response time does not tell a taken address from a new one.
    make_password(password)
    _send_signup_notice(user=existing, base_url=base_url)
    return None


def _user_from_uid(uidb64: str) -> Any:
    User = get_user_model()  # noqa: N806 (a class, named as such)
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk).first()


def activation_link_check(*, uidb64: str, token: str) -> Any:
    """The pending account the link belongs to; raises ``ActivationLinkExpired`` or
    ``ActivationLinkInvalid`` (forged, used, or the account changed or was deleted since)."""
    user = _user_from_uid(uidb64)
    state = activation_token_generator.check(user, token)
    if state is TokenState.EXPIRED and user is not None and is_pending(user):
        raise ActivationLinkExpired()
    if state is not TokenState.VALID or user is None or not is_pending(user):
        raise ActivationLinkInvalid()
    return user


@transaction.atomic
def user_activate(*, uidb64: str, token: str) -> Any:
    """Confirm the address behind an activation link: the account becomes active."""
    user = activation_link_check(uidb64=uidb64, token=token)
    # Lock, then check again: of two parallel clicks only one activates.
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if activation_token_generator.check(user, token) is not TokenState.VALID or not is_pending(
        user
    ):
        raise ActivationLinkInvalid()
    user.is_active = True
    user.save(update_fields=["is_active"])
    EmailVerification.objects.filter(user=user).delete()
    audit_log(action=ACTION_ACTIVATED, actor=user, obj=user)
    return user


@transaction.atomic
def user_activation_resend(*, user: Any, base_url: str) -> bool:
    """Mail a new activation link to a pending account. ``False`` when a link went out less than
    ``ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES`` ago (nothing is sent then) or the account is
    not pending. Only call this for someone who has shown the account's password."""
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if not is_pending(user) or _sent_recently(user, ACTION_ACTIVATION_SENT):
        return False
    _send_activation_link(user=user, base_url=base_url)
    return True


def _forget_in_audit_log(user_ids: list[int]) -> None:
    """Keep the audit entries about deleted accounts, but not their e-mail addresses."""
    User = get_user_model()  # noqa: N806 (a class, named as such)
    AuditEntry.objects.filter(
        object_type=User._meta.label_lower, object_id__in=[str(pk) for pk in user_ids]
    ).update(object_repr=DELETED_REPR)


@transaction.atomic
def unverified_users_delete(*, older_than_days: int | None = None, dry_run: bool = False) -> int:
    """Delete accounts created by sign-up whose address was not confirmed within
    ``older_than_days`` (default ``ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS``); returns how many.

    Accounts deactivated by an admin have no ``EmailVerification`` row and are never touched.
    """
    User = get_user_model()  # noqa: N806 (a class, named as such)
    days = conf.unverified_days() if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    stale = User.objects.filter(is_active=False, email_verification__created_at__lt=cutoff)
    if dry_run:
        return stale.count()
    # Locked like user_activate locks: an account being activated right now is not deleted.
    deleted_ids = sorted(stale.select_for_update(of=("self",)).values_list("pk", flat=True))
    if not deleted_ids:
        return 0
    User.objects.filter(pk__in=deleted_ids).delete()
    _forget_in_audit_log(deleted_ids)
    notifications.mail_delete_regarding(object_type=User._meta.label_lower, object_ids=deleted_ids)
    audit_log(
        action=ACTION_UNVERIFIED_DELETED,
        actor=None,
        payload={"count": len(deleted_ids), "user_ids": deleted_ids, "older_than_days": days},
    )
    return len(deleted_ids)


def user_export_data(*, user: Any) -> dict[str, Any]:
    """Everything we store about ``user`` (DSGVO Art. 15/20), as JSON-ready data."""
    profile = Profile.objects.filter(user=user).select_related("municipality").first()
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "kind": profile.kind if profile else None,
            "organisation_name": profile.organisation_name if profile else "",
            "municipality_ags": profile.municipality.ags
            if profile and profile.municipality
            else None,
        },
    }
    # Other apps contribute their personal data (e.g. event registrations).
    from django.apps import apps

    for app in apps.get_app_configs():
        exporter = getattr(app.module, "personal_data_export", None)
        if callable(exporter):
            data[app.label] = exporter(user=user)
    return data


@transaction.atomic
def user_delete(*, user: Any) -> None:
    """Delete the account and its personal data; the audit log keeps only the fact."""
    from django.apps import apps

    for app in apps.get_app_configs():
        eraser = getattr(app.module, "personal_data_erase", None)
        if callable(eraser):
            eraser(user=user)
    user_id = user.pk
    audit_log(action="accounts.user.deleted", actor=None, payload={"user_id": user_id})
    user.delete()
    _forget_in_audit_log([user_id])
    notifications.mail_delete_regarding(
        object_type=get_user_model()._meta.label_lower, object_ids=[user_id]
    )
