"""Public pages: list filters, event page with JSON-LD, no-JS registration form, personal pages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ortswandel.catalogue.models import Theme, ThemeKind
from ortswandel.events import services
from ortswandel.events.models import EventSeries, QuestionKind, Registration

from .conftest import person

pytestmark = pytest.mark.django_db


def form_data(n=1, **extra):
    data = {"name": f"Person {n}", "email": f"person{n}@example.org", "consent": "on"}
    data.update(extra)
    return data


def test_event_list_and_filters(client, make_event, programme, other_programme):
    theme = Theme.objects.create(
        programme=programme,
        kind=ThemeKind.CORE_MESSAGE,
        name="Vielfalt leben!",
        slug="vielfalt-leben",
        status="published",
    )
    a = make_event(title="Alpha-Werkstatt")
    a.themes.add(theme)
    make_event(title="Beta vor Ort", format="onsite", online_url="")
    make_event(title="Gamma anderes", programme=other_programme)
    make_event(title="Delta vergangen", starts_at=timezone.now() - timedelta(days=10))
    make_event(title="Epsilon Entwurf", status="draft")
    page = client.get("/veranstaltungen/").content.decode()
    assert "Alpha-Werkstatt" in page and "Beta vor Ort" in page and "Gamma anderes" in page
    assert "Delta vergangen" not in page and "Epsilon Entwurf" not in page
    assert "geheim-123" not in page
    only_theme = client.get("/veranstaltungen/?thema=vielfalt-leben").content.decode()
    assert "Alpha-Werkstatt" in only_theme and "Beta vor Ort" not in only_theme
    onsite = client.get("/veranstaltungen/?format=onsite").content.decode()
    assert "Beta vor Ort" in onsite and "Alpha-Werkstatt" not in onsite
    prog = client.get("/veranstaltungen/?programm=anderes-programm").content.decode()
    assert "Gamma anderes" in prog and "Alpha-Werkstatt" not in prog
    past = client.get("/veranstaltungen/?zeit=past").content.decode()
    assert "Delta vergangen" in past and "Alpha-Werkstatt" not in past
    day = (timezone.localtime(a.starts_at)).date().isoformat()
    ranged = client.get(f"/veranstaltungen/?zeit=all&von={day}&bis={day}").content.decode()
    assert "Alpha-Werkstatt" in ranged and "Delta vergangen" not in ranged
    assert client.get("/veranstaltungen/?von=kaputt&bis=0001-01-01").status_code == 200
    # pages follow the common rule (core.paging), no silent clamping any more
    assert client.get("/veranstaltungen/?seite=x").status_code == 400
    assert client.get("/veranstaltungen/?seite=%C2%B2").status_code == 400
    assert client.get("/veranstaltungen/?seite=9").status_code == 404


def test_event_page_json_ld_and_no_online_link(client, event):
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "geheim-123" not in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert data["startDate"].startswith(timezone.localtime(event.starts_at).date().isoformat())
    assert 'name="consent"' in html and event.effective_consent_text[:40] in html


def _json_ld(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )


def test_json_ld_offer_follows_seats_and_window(client, event, make_event):
    offer = _json_ld(client, event)["offers"]
    assert offer["availability"].endswith("/InStock") and offer["price"] == "0"
    assert offer["validThrough"].startswith(
        timezone.localtime(event.effective_closes_at).date().isoformat()
    )
    for n in (1, 2):  # capacity 2: now full
        services.registration_create(event=event, **person(n))
    assert _json_ld(client, event)["offers"]["availability"].endswith("/SoldOut")
    later = make_event(registration_opens_at=timezone.now() + timedelta(days=3))
    offer = _json_ld(client, later)["offers"]
    assert offer["availability"].endswith("/PreOrder") and "validFrom" in offer
    hybrid = make_event(format="hybrid", venue_name="Rathaus", venue_address="Markt 1")
    data = _json_ld(client, hybrid)
    assert data["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    assert {loc["@type"] for loc in data["location"]} == {"VirtualLocation", "Place"}
    assert "geheim-123" not in json.dumps(data)
    onsite = make_event(format="onsite", online_url="", venue_name="")
    assert "location" not in _json_ld(client, onsite)  # nothing known: no empty list


def test_draft_event_page_is_404(client, make_event):
    assert client.get(make_event(status="draft").get_absolute_url()).status_code == 404


def test_register_via_form_then_confirm_and_manage(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.get_absolute_url(), form_data(1))
    assert response.status_code == 302
    reg = Registration.objects.get(email="person1@example.org")
    assert reg.status == "pending"
    body = mailoutbox[0].body
    confirm_path = re.search(
        r"http://testserver(/veranstaltungen/anmeldung/[^/\s]+/bestaetigen/)", body
    ).group(1)
    # GET only shows a button (link scanners must not confirm); POST confirms.
    assert client.get(confirm_path).status_code == 200
    reg.refresh_from_db()
    assert reg.status == "pending"
    response = client.post(confirm_path)
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "confirmed"
    manage = client.get(response["Location"])
    html = manage.content.decode()
    assert "https://meet.example.org/geheim-123" in html
    assert manage["Cache-Control"] == "no-store, private"
    # the public page still never shows it
    assert "geheim-123" not in client.get(event.get_absolute_url()).content.decode()


def test_manage_page_hides_link_before_confirmation(client, event):
    reg = services.registration_create(event=event, **person(1))
    html = client.get(
        f"/veranstaltungen/anmeldung/{services.make_token(reg, 'manage')}/"
    ).content.decode()
    assert "geheim-123" not in html
    assert "wartet auf Bestätigung" in html


def test_form_errors_are_tied_to_fields(client, event):
    response = client.post(event.get_absolute_url(), {"name": "", "email": "x"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-describedby="id_name-error"' in html
    assert 'id="id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Einwilligung" in html
    assert not Registration.objects.exists()


def test_missing_consent_message_next_to_checkbox(client, event):
    data = form_data(1)
    del data["consent"]
    response = client.post(event.get_absolute_url(), data)
    assert response.status_code == 422
    assert 'id="id_consent-error"' in response.content.decode()


def test_question_fields_rendered_and_validated(client, event):
    q = event.questions.create(
        kind=QuestionKind.CHOICE, label="Essen", choices="vegan\nbunt", required=True
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'name="{q.key}"' in html and "vegan" in html
    assert client.post(event.get_absolute_url(), form_data(1)).status_code == 422
    assert (
        client.post(event.get_absolute_url(), form_data(1, **{q.key: "vegan"})).status_code == 302
    )


def test_duplicate_via_form_is_409(client, event):
    client.post(event.get_absolute_url(), form_data(1))
    response = client.post(event.get_absolute_url(), form_data(1))
    assert response.status_code == 409
    assert "bereits eine Anmeldung" in response.content.decode()


def test_series_page_multi_registration(client, make_event, programme):
    series = EventSeries.objects.create(
        programme=programme, title="Reihe", slug="reihe", status="published"
    )
    a, b = make_event(series=series), make_event(series=series)
    make_event(series=series, starts_at=timezone.now() + timedelta(days=2))  # closed
    page = client.get(series.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and 'name="events"' in html
    assert html.count('name="events"') == 2
    none_chosen = client.post(series.get_absolute_url(), form_data(1))
    assert none_chosen.status_code == 422
    response = client.post(series.get_absolute_url(), {**form_data(1), "events": [a.pk, b.pk]})
    assert response.status_code == 302
    assert Registration.objects.filter(email="person1@example.org").count() == 2


def test_cancel_link_without_login(client, event):
    reg = services.registration_create(event=event, **person(1))
    url = f"/veranstaltungen/anmeldung/{services.make_token(reg, 'cancel')}/abmelden/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    reg.refresh_from_db()
    assert reg.status == "cancelled"


@pytest.mark.parametrize("purpose", ["confirm", "cancel", "manage"])
def test_tampered_or_wrong_purpose_tokens_are_404(client, event, purpose):
    reg = services.registration_create(event=event, **person(1))
    other = {"confirm": "cancel", "cancel": "manage", "manage": "confirm"}[purpose]
    wrong = services.make_token(reg, other)
    paths = {"confirm": "bestaetigen/", "cancel": "abmelden/", "manage": ""}
    for token in (wrong, "kaputt", services.make_token(reg, purpose)[:-2] + "xx"):
        response = client.get(f"/veranstaltungen/anmeldung/{token}/{paths[purpose]}")
        assert response.status_code == 404


def test_personal_data_export_and_erase_by_link(client, event, make_event):
    other = make_event()
    reg = services.registration_create(event=event, **person(1, organisation="Amt"))
    services.registration_create(event=other, **person(1))
    token = services.make_token(reg, "manage")
    data = json.loads(client.get(f"/veranstaltungen/anmeldung/{token}/daten.json").content)
    assert len(data["registrations"]) == 2
    assert data["registrations"][0]["consent_text"]
    not_confirmed = client.post(f"/veranstaltungen/anmeldung/{token}/loeschen/")
    assert not_confirmed.status_code == 302
    response = client.post(f"/veranstaltungen/anmeldung/{token}/loeschen/", {"confirm": "yes"})
    assert response.status_code == 200
    assert not Registration.objects.filter(email="person1@example.org").exists()
    assert Registration.objects.filter(status="cancelled", anonymised_at__isnull=False).count() == 2
    assert client.get(f"/veranstaltungen/anmeldung/{token}/").status_code == 404


def test_reserved_slug_is_rejected(make_event):
    from django.core.exceptions import ValidationError

    event = make_event()
    event.slug = "organisation"
    with pytest.raises(ValidationError):
        event.full_clean()


def test_empty_submission_marks_every_problem_at_once(client, event):
    response = client.post(event.get_absolute_url(), {})
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("id_name", "id_email", "id_consent"):
        assert f'id="{field}-error"' in html
    assert html.count('aria-invalid="true"') == 3


def test_cards_show_free_seats(client, make_event, programme):
    series = EventSeries.objects.create(
        programme=programme, title="Reihe", slug="reihe", status="published"
    )
    event = make_event(series=series, capacity=3)
    services.registration_create(event=event, **person(1))
    assert "2 Plätze frei" in client.get("/veranstaltungen/").content.decode()
    assert "2 Plätze frei" in client.get(series.get_absolute_url()).content.decode()


def test_manage_link_only_for_editors_of_the_programme(
    client, event, programme_editor, other_editor
):
    assert "Teilnehmende verwalten" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(other_editor)
    assert "Teilnehmende verwalten" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(programme_editor)
    assert "Teilnehmende verwalten" in client.get(event.get_absolute_url()).content.decode()


def test_cached_page_parts_follow_every_change(
    client, event, programme, site_admin, django_capture_on_commit_callbacks
):
    """The static parts of the event page are cached; a change through its writers (the admin,
    the catalogue services) shows at once: they replace the content versions on commit."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from ortswandel.catalogue.services import content_unpublish
    from tests.admin_forms import admin_save

    url = event.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert len(warm.captured_queries) == 1  # the event with its seat count; the rest is cached
    editor = Client()
    editor.force_login(site_admin)
    change = reverse("admin:events_event_change", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):  # a material added in the admin
        admin_save(
            editor,
            change,
            **{
                "materials-TOTAL_FORMS": "1",
                "materials-0-kind": "slides",
                "materials-0-title": "Folien zum Auftakt",
                "materials-0-url": "https://example.org/f",
                "materials-0-position": "0",
            },
        )
    assert "Folien zum Auftakt" in client.get(url).content.decode()
    theme = Theme.objects.create(
        programme=programme, kind=ThemeKind.CORE_MESSAGE, name="Vielfalt leben", slug="vielfalt",
        status="published",
    )  # fmt: skip
    event.themes.add(theme)
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(editor, change)  # saved in the admin (the theme chosen there)
    assert "Vielfalt leben" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        content_unpublish(objects=[theme], actor=site_admin)  # unpublished in the catalogue
    assert "Vielfalt leben" not in client.get(url).content.decode()


def test_event_page_renders_when_the_cache_backend_fails(client, event, settings):
    settings.CACHES = {"default": {"BACKEND": "tests.core.failing_cache.FailingCache"}}
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert event.title in response.content.decode()


def test_event_dates_follow_the_language(client, make_event):
    import datetime as dt
    from zoneinfo import ZoneInfo

    start = dt.datetime(2030, 10, 28, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    event = make_event(starts_at=start)
    german = client.get(event.get_absolute_url()).content.decode()
    english = client.get("/en" + event.get_absolute_url()).content.decode()
    assert "Montag, 28. Oktober 2030, 10:00" in german
    assert "Monday, October 28, 2030, 10:00" in english
    assert "Oktober" not in english
