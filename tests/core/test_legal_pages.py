"""Legal pages: imprint, privacy, accessibility statement, data sources."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAV_SCRIPT = '<script src="/static/ortswandel/js/nav.js" defer>'

PAGES = ["core:imprint", "core:privacy", "core:accessibility", "core:data_sources"]
OPERATOR_NOTICE = "Hinweis für den Betreiber"

# Attribution lines exactly as /work/shared/data/SOURCES.md states them.
ATTRIBUTIONS = [
    "Datenquelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
    "Stand 30.11.2023, dl-de/by-2-0",
    "© Statistische Ämter des Bundes und der Länder, Zensus 2022, Tabelle 1000A-0000, dl-de/by-2-0",
    "© GeoBasis-DE / BKG 2021",
    "© GeoBasis-DE / BKG (Daten verändert)",
    "© Statistisches Bundesamt (Destatis), 2025",
    "INKAR, dl-de/by-2-0",
]


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_with_one_h1_and_no_inline_code(client, name):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    # No inline script: only same-origin script files (the menu button's nav.js) are allowed.
    assert re.findall(r"<script[^>]*>", html) == [NAV_SCRIPT]
    assert 'style="' not in html
    # No resources from other hosts (links to other sites are fine, embeds are not).
    assert not re.search(r'<(?:img|link|iframe|source)[^>]+(?:src|href)="https?://', html)


@pytest.mark.parametrize("name", ["core:imprint", "core:privacy"])
@override_settings(ORTSWANDEL_OPERATOR="", ORTSWANDEL_CONTACT_EMAIL="")
def test_missing_operator_details_show_a_notice(client, name):
    html = client.get(reverse(name)).content.decode()
    assert OPERATOR_NOTICE in html
    assert "ORTSWANDEL_OPERATOR" in html


@override_settings(
    ORTSWANDEL_OPERATOR="Musterverein e. V.\nMusterstraße 1\n12345 Musterstadt",
    ORTSWANDEL_CONTACT_EMAIL="kontakt@musterverein.example",
)
def test_imprint_shows_operator_details(client):
    html = _main(client.get(reverse("core:imprint")).content.decode())
    assert OPERATOR_NOTICE not in html
    assert "Musterverein e. V.<br>Musterstraße 1<br>12345 Musterstadt" in html
    assert 'href="mailto:kontakt@musterverein.example"' in html
    assert "§ 5" in html and "DDG" in html


@override_settings(ORTSWANDEL_OPERATOR="A & B <GmbH>", ORTSWANDEL_CONTACT_EMAIL="a@b.example")
def test_operator_text_is_escaped(client):
    html = client.get(reverse("core:imprint")).content.decode()
    assert "A &amp; B &lt;GmbH&gt;" in html
    assert "<GmbH>" not in html


def test_privacy_names_processing_legal_bases_and_rights(client):
    html = _main(client.get(reverse("core:privacy")).content.decode())
    for text in [
        "Server-Protokolle",
        "Benutzerkonto",
        "Anmeldung zu Veranstaltungen",
        "90 Tagen",
        "Art. 6 Abs. 1 lit. b DSGVO",
        "Art. 6 Abs. 1 lit. f DSGVO",
        "Art. 15 DSGVO",
        "Art. 17 DSGVO",
        "Art. 21 DSGVO",
        "Art. 77 DSGVO",
        "Keine Analyse- oder Tracking-Werkzeuge",
    ]:
        assert text in html, text
    assert "<caption>" in html and 'scope="col"' in html


@override_settings(ORTSWANDEL_CONTACT_EMAIL="barrierefrei@musterverein.example")
def test_accessibility_statement(client):
    html = _main(client.get(reverse("core:accessibility")).content.decode())
    for text in ["BITV 2.0", "WCAG", "teilweise vereinbar", "§ 16", "schlichtungsstelle-bgg.de"]:
        assert text in html, text
    assert "Nicht barrierefreie Inhalte" in html
    assert "mailto:barrierefrei@musterverein.example" in html


def test_data_sources_list_every_attribution_and_the_licence(client):
    html = _main(client.get(reverse("core:data_sources")).content.decode())
    for attribution in ATTRIBUTIONS:
        assert attribution in html, attribution
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in html
    assert "<caption>" in html and 'scope="row"' in html


def test_footer_links_to_all_legal_pages(client):
    html = client.get(reverse("core:imprint")).content.decode()
    for name in PAGES:
        assert f'href="{reverse(name)}"' in html
