"""Demo content of the calls app from ``meine-stadt-der-zukunft.yaml`` (see its header: which
facts are real, with sources, and which are fictitious demo data).

``accounts(*, password)`` (``CallsConfig.demo_accounts``) creates the applicant and jury logins
(the applicant gets a staff grant for its town when the register is imported); ``load(*,
stdout=None)`` (``CallsConfig.demo_loader``) creates the two demo calls with criteria, budgets,
jury, applications, conflicts and scores. Both are idempotent (natural keys: username, slug,
call + municipality, juror + application).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ortswandel.accounts.models import MunicipalityStaffGrant, Profile
from ortswandel.calls.models import (
    Application,
    ApplicationStatus,
    Budget,
    Call,
    ConflictOfInterest,
    Criterion,
    JuryMember,
    Review,
    Score,
)
from ortswandel.calls.services import criteria_add_defaults
from ortswandel.catalogue.models import Programme
from ortswandel.core.audit import audit_log
from ortswandel.core.demo import check_keys, local_datetime, read_demo_data, say
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities.models import Municipality

FILE = "meine-stadt-der-zukunft.yaml"
CALL_KEYS = ("slug", "title", "phase", "opens_at", "closes_at", "jury", "applications")
APP_KEYS = ("municipality", "applicant", "title", "thema", "scores", "conflict")
ACCOUNT_KEYS = ("username", "email", "first_name", "last_name", "staff_of", "role")


def _data() -> dict[str, Any]:
    return read_demo_data(__name__, FILE)


@transaction.atomic
def accounts(*, password: str) -> list[Any]:
    User = get_user_model()  # noqa: N806 (a class)
    users = []
    for index, raw in enumerate(_data()["accounts"]):
        spec = check_keys(raw, ACCOUNT_KEYS, where=f"{FILE}, account {index + 1}")
        user, _created = User.objects.update_or_create(
            username=spec["username"],
            defaults={
                "email": spec["email"],
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.update_or_create(user=user, defaults={"is_demo": True})
        municipality = Municipality.objects.filter(ags=spec.get("staff_of", "-")).first()
        if municipality is not None:
            MunicipalityStaffGrant.objects.get_or_create(user=user, municipality=municipality)
        setattr(user, "demo_role", spec["role"])  # noqa: B010 (shown by load_demo_content)
        users.append(user)
    audit_log(
        action="calls.demo_accounts.loaded", payload={"usernames": [u.username for u in users]}
    )
    return users


def _call(spec: dict[str, Any], defaults: dict[str, Any], data: dict[str, Any]) -> Call | None:
    programme = Programme.objects.filter(slug=defaults["programme"]).first()
    opens = local_datetime(spec["opens_at"], where=spec["slug"])
    closes = local_datetime(spec["closes_at"], where=spec["slug"])
    if programme is None or opens is None or closes is None:
        return None
    call, _created = Call.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "programme": programme,
            "title": spec["title"],
            "description": data["description"],
            "status": PublicationStatus.PUBLISHED,
            "phase": spec["phase"],
            "opens_at": opens,
            "closes_at": closes,
            "lands": defaults["lands"],
            "grant_years": defaults["grant_years"],
            "max_grant": Decimal(str(defaults["max_grant"])),
            "own_share_min": Decimal(str(defaults["own_share_min"])),
            "attachment_types": defaults["attachment_types"],
            "attachment_max_mb": defaults["attachment_max_mb"],
            "scale_max": defaults["scale_max"],
            "reviews_per_application": defaults["reviews_per_application"],
            "blind_review": defaults["blind_review"],
            "form_fields": defaults["form_fields"],
            "is_demo": True,
            "source_note": data["sources"],
        },
    )
    criteria_add_defaults(call=call, optional=True)
    for year, amount in defaults["budgets"].items():
        Budget.objects.update_or_create(
            call=call, year=int(year), defaults={"amount": Decimal(str(amount))}
        )
    return call


def _applications(call: Call, spec: dict[str, Any], users: dict[str, Any]) -> int:
    now = timezone.now()
    members = {}
    for item in spec["jury"]:
        user = users.get(item["username"])
        if user is None:
            continue
        members[item["username"]], _c = JuryMember.objects.update_or_create(
            call=call,
            email=user.email,
            defaults={
                "user": user,
                "name": item["name"],
                "is_chair": item.get("chair", False),
                "accepted_at": now,
            },
        )
    criteria = list(Criterion.objects.filter(call=call).order_by("position", "pk"))
    fallback = users.get("bewerbung")
    count = 0
    for index, raw in enumerate(spec["applications"]):
        item = check_keys(raw, APP_KEYS, where=f"{FILE}, {call.slug}, application {index + 1}")
        municipality = Municipality.objects.filter(ags=item["municipality"]).first()
        applicant = users.get(item.get("applicant", "")) or fallback
        if municipality is None or applicant is None:
            continue
        application, _c = Application.objects.update_or_create(
            call=call,
            municipality=municipality,
            defaults={
                "applicant": applicant,
                "title": item["title"],
                "is_demo": True,
                "answers": {
                    "kurzbeschreibung": f"{item['title']} (Demodaten: erfundene Bewerbung).",
                    "ziele": "Erproben, auswerten, an andere Städte weitergeben (Demodaten).",
                    "beteiligung": "Stadtteilwerkstätten und Online-Beteiligung (Demodaten).",
                    "raum": f"Innenstadt von {municipality.name} (Demodaten).",
                    "thema": item["thema"],
                },
                "budget": {
                    "2024": {"total": "60000", "own": "12000"},
                    "2025": {"total": "60000", "own": "12000"},
                },
                "status": ApplicationStatus.SUBMITTED,
                "submitted_at": call.closes_at,
            },
        )
        conflict = item.get("conflict")
        if conflict and conflict["juror"] in members:
            ConflictOfInterest.objects.get_or_create(
                juror=members[conflict["juror"]],
                application=application,
                defaults={"reason": conflict["reason"]},
            )
        for username, values in (item.get("scores") or {}).items():
            if username not in members:
                continue
            review, _c = Review.objects.update_or_create(
                juror=members[username],
                application=application,
                defaults={"submitted_at": call.closes_at, "comment": "Demodaten."},
            )
            for criterion, value in zip(criteria, values, strict=False):
                Score.objects.update_or_create(
                    review=review, criterion=criterion, defaults={"value": value, "comment": ""}
                )
        count += 1
    return count


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    data = _data()
    defaults = data["call_defaults"]
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[a["username"] for a in data["accounts"]]
        )
    }
    for raw in data["calls"]:
        spec = check_keys(raw, CALL_KEYS, where=f"{FILE}, call")
        call = _call(spec, defaults, data)
        if call is None:
            say(
                stdout,
                f"calls: Programm {defaults['programme']!r} fehlt – {spec['slug']} übersprungen.",
            )
            continue
        count = _applications(call, spec, users)
        say(stdout, f"calls: {call.title}: {count} Bewerbungen (Demodaten).")
