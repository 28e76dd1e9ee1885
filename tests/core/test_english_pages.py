"""English pages of the apps added last (calls, participation, newsletter, planning) leak no German
UI text.

Rule (what counts as a leak): the catalogue's German msgids whose English msgstr differs and whose
text is longer than 12 characters are the German UI phrases. None of them may appear verbatim in
the *visible* text of a page rendered under ``/en/`` – text nodes plus the ``title``,
``aria-label``, ``placeholder`` and ``alt`` attributes, without ``<script>``, ``<style>`` and
without elements marked ``lang="de"`` (the language switch's autonym, German content marked as
such). German *data* stays German and is not a leak: every string of the demo content files
(``<app>/demo/*.yaml`` – titles, descriptions, criteria, form fields, phase names, ideas) is cut
out of the visible text before the check, and so is every text node carrying the licence mark
``dl-de/by-2-0``: the attributions of official data, which cite their German sources (table
titles, "Daten verändert", "Stand 01.01.2021") verbatim; and German computed notes that a
template marks ``lang="de"``. The demo content is loaded through the apps' own demo loaders (as
``manage.py load_demo_content`` does) and the pages are seen by the demo roles: applicant, juror,
chair, editor, moderator, participant and a site administrator.

Each page must also declare ``<html lang="en">``, show dates in English formats (no German
month names, no ``31.12.2025`` dates) where the app formats them, and no doubled ``%%`` (the mark
of a template string whose catalogue lookup failed).
"""

from __future__ import annotations

import html as html_lib
import re
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MIN_LENGTH = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[sdfir]|%[sdfir]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
DEMO_APPS = ("accounts", "catalogue", "events", "calls", "participation", "newsletter", "planning")
GERMAN_MONTHS = re.compile(
    r"\b\d{1,2}\. (?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Okt|Nov|Dez)\.?\b"
)
GERMAN_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
LICENCE = "dl-de/by-2-0"  # official data's attributions name their German sources verbatim
PASSWORD = "demo-pass-en-123"


def _space(text: str) -> str:
    return " ".join(text.split())


@cache
def german_phrases() -> tuple[str, ...]:
    """The fixed German pieces of every translated msgid (split at placeholders), stripped of
    markup, longer than ``MIN_LENGTH``."""
    with PO_PATH.open("rb") as handle:
        catalog = read_po(handle)
    phrases: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if message.pluralizable else [message.id]
        strings = list(message.string) if message.pluralizable else [message.string]
        for msgid, msgstr in zip(ids, strings, strict=False):
            if not msgstr or msgstr == msgid:
                continue
            for raw in PLACEHOLDER.split(TAG.sub(" ", msgid.replace("%%", "%"))):
                piece = _space(html_lib.unescape(raw)).strip(" .,:;–-")
                if len(piece) > MIN_LENGTH and piece not in msgstr:
                    phrases.add(piece)
    return tuple(sorted(phrases, key=len, reverse=True))


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@cache
def demo_data_strings() -> tuple[str, ...]:
    """Every string of the demo content files longer than ``MIN_LENGTH``: German data, not UI
    (shorter ones cannot hide a phrase, but could cut UI words such as \"jury\" apart)."""
    found: set[str] = set()
    for app in DEMO_APPS:
        folder = resources.files(f"ortswandel.{app}.demo")
        for entry in folder.iterdir():
            if entry.name.endswith((".yaml", ".yml")):
                for raw in _strings(yaml.safe_load(entry.read_text(encoding="utf-8"))):
                    text = _space(html_lib.unescape(TAG.sub(" ", raw)))
                    if len(text) > MIN_LENGTH:
                        found.add(text)
    return tuple(sorted(found, key=len, reverse=True))


class _Visible(HTMLParser):
    SKIP = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip
    ATTRS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: hidden from the check?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = (
            bool(self.stack and self.stack[-1]) or tag in self.SKIP or values.get("lang") == "de"
        )
        if not hidden:
            self.parts.extend(v for k, v in attrs if k in self.ATTRS and v)
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The visible text of ``page`` with the demo data cut out (replaced by ``¦``)."""
    parser = _Visible()
    parser.feed(page)
    parts = [" ¦ " if LICENCE in part else part for part in parser.parts]
    text = _space(" ".join(parts))
    for data in demo_data_strings():
        if data in text:
            text = text.replace(data, " ¦ ")
    return text


def leaks(page: str) -> list[str]:
    """German UI phrases in the visible text, longest first (a phrase found is cut out, so that
    the shorter msgids inside it are not counted again)."""
    text = visible_text(page)
    found = []
    for phrase in german_phrases():
        if phrase in text:
            found.append(phrase)
            text = text.replace(phrase, " ¦ ")
    return found


def date_problems(page: str) -> list[str]:
    text = visible_text(page)
    return GERMAN_MONTHS.findall(text) + GERMAN_DATE.findall(text)


# ------------------------------------------------------------------------------ the demo world

TOWNS = {
    "12073452": "Prenzlau, Stadt",
    "12072232": "Luckenwalde, Stadt",
    "12070424": "Wittenberge, Stadt",
    "12066304": "Senftenberg, Stadt",
    "12067120": "Eisenhüttenstadt, Stadt",
    "12073532": "Schwedt/Oder, Stadt",
    "12060052": "Eberswalde, Stadt",
    "12069616": "Stahnsdorf",
}


@pytest.fixture
def demo(db, settings):
    """The demo content and demo accounts, loaded by the apps' loaders (``load_demo_content``'s
    hooks, in ``INSTALLED_APPS`` order) on a small municipality register."""
    from ortswandel.core.demo import demo_hooks
    from tests.conftest import _municipality

    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for ags, name in TOWNS.items():
        _municipality(ags, name)
    users = {}
    for _label, create in demo_hooks("demo_accounts"):
        users.update({u.username: u for u in create(password=PASSWORD)})
    for _label, load in demo_hooks("demo_loader"):
        load()
    return users


def _check(client, user, paths: list[str]) -> dict[str, list[str]]:
    """Leaks and German dates per page (each page must answer 200 in English)."""
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    found: dict[str, list[str]] = {}
    for path in paths:
        assert path.startswith("/en/"), path
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        page = response.content.decode()
        assert '<html lang="en"' in page, path
        problems = leaks(page) + [f"date {d}" for d in date_problems(page)]
        if "%%" in visible_text(page):  # a msgid looked up with doubled percent signs
            problems.append("%% shown")
        if problems:
            found[path] = problems
    return found


def _report(found: dict[str, list[str]]) -> str:
    return "German on English pages:\n" + "\n".join(
        f"  {path}: {problems}" for path, problems in found.items()
    )


def _en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


# ------------------------------------------------------------------------------ the rule itself


def test_the_check_finds_a_german_phrase_and_spares_data_and_marked_german():
    phrase = next(p for p in german_phrases() if "Bewerbung" in p)
    page = (
        f'<html lang="en"><body><h1>Calls</h1><p>{phrase}</p>'
        f"<script>var t = 'Bitte geben Sie einen Betreff an.';</script>"
        f'<button lang="de">Deutsch – {german_phrases()[0]}</button>'
        f"<p>Elbufer für alle Generationen</p></body></html>"
    )
    assert leaks(page) == [phrase]
    assert "Elbufer" not in visible_text(page)  # demo data is cut out
    assert leaks(page.replace(phrase, "Application")) == []
    assert date_problems("<p>31. März 2026 · 01.04.2026 · March 31, 2026</p>") == [
        "31. März",
        "01.04.2026",
    ]


# ------------------------------------------------------------------------------ the four apps


def test_calls_pages_are_english(client, demo):
    from ortswandel.calls import services
    from ortswandel.calls.models import Application, Call

    mine = Application.objects.get(call__slug="msdz-demo-jury", municipality__ags="12073452")
    other = Application.objects.get(call__slug="msdz-demo-jury", municipality__ags="12066304")
    found: dict[str, list[str]] = {}
    found |= _check(client, None, [
        _en("calls:call_list"),
        _en("calls:call_detail", "msdz-demo-bewerbung"),
        _en("calls:call_detail", "msdz-demo-jury"),
    ])  # fmt: skip
    draft = services.application_create(
        call=Call.objects.get(slug="msdz-demo-bewerbung"),
        municipality=mine.municipality,
        title="Neue Mitte",
        acting_user=demo["bewerbung"],
    )
    found |= _check(client, demo["bewerbung"], [  # applicant
        _en("calls:my_applications"),
        _en("calls:application_start", "msdz-demo-bewerbung"),
        _en("calls:application_detail", mine.pk),
        _en("calls:application_edit", draft.pk),
        _en("calls:application_withdraw", draft.pk),
    ])  # fmt: skip
    # the autosave script's messages come from the page (calls-autosave.js)
    edit = client.get(_en("calls:application_edit", draft.pk)).content.decode()
    assert 'data-saved="Draft saved automatically."' in edit
    found |= _check(client, demo["jury"], [  # juror
        _en("calls:jury_dashboard", "msdz-demo-jury"),
        _en("calls:review", other.pk),
    ])  # fmt: skip
    found |= _check(client, demo["jury-vorsitz"], [  # chair
        _en("calls:meeting", "msdz-demo-jury"),
        _en("calls:meeting", "msdz-demo-jury") + f"?bewerbung={other.pk}",
        _en("calls:manage", "msdz-demo-jury"),
        _en("calls:application_detail", other.pk),
    ])  # fmt: skip
    found |= _check(client, demo["admin"], [
        _en("calls:funding", "msdz-demo-jury"),
        _en("calls:manage", "msdz-demo-bewerbung"),
    ])  # fmt: skip
    assert found == {}, _report(found)


def test_participation_pages_are_english(client, demo):
    from ortswandel.participation.models import Idea, Process

    process = Process.objects.get(slug="demo-zukunft-eberswalde")
    idea = Idea.objects.filter(process=process).order_by("pk").first()
    assert idea is not None
    slug = process.slug
    phases = [_en("participation:phase", slug, p.pk) for p in process.phases.order_by("starts_at")]
    found: dict[str, list[str]] = {}
    found |= _check(client, None, [
        _en("participation:process_list"),
        _en("participation:process", slug),
        _en("participation:idea", slug, idea.pk),
        _en("participation:results", slug),
        _en("participation:final_report", slug),
        *phases,
    ])  # fmt: skip
    found |= _check(client, demo["buergerin"], [  # participant
        _en("participation:my_contributions"),
        _en("participation:process", slug),
        _en("participation:idea", slug, idea.pk),
        _en("participation:join", slug),
    ])  # fmt: skip
    found |= _check(client, demo["moderation"], [  # moderator
        _en("participation:moderation", slug),
        _en("participation:process", slug),
    ])  # fmt: skip
    assert found == {}, _report(found)


def test_newsletter_pages_are_english(client, demo):
    from ortswandel.catalogue.models import Programme
    from ortswandel.newsletter import services
    from ortswandel.newsletter.models import Subscription, TopicKind

    programme = Programme.objects.get(slug="kommunen-innovativ")
    reader = Subscription.objects.get(email="demo-subscriber-3@example.org")
    issue = services.issue_create(
        programme=programme, subject="Ausgabe 1", acting_user=demo["redaktion"]
    )
    pending = services.subscription_request(
        email="new-reader@example.org",
        topic=services.Topic(TopicKind.PROGRAMME, programme=programme),
        language="en",
    )
    assert pending is not None
    manage = services.manage_token(reader.address_hash)
    found: dict[str, list[str]] = {}
    found |= _check(client, None, [
        _en("newsletter:signup"),
        _en("newsletter:signup_done"),
        _en("newsletter:confirm", services.confirm_token(pending)),
        _en("newsletter:preferences", manage),
        _en("newsletter:unsubscribe", manage),
    ])  # fmt: skip
    found |= _check(client, demo["redaktion"], [  # editor
        _en("newsletter:mine"),
        _en("newsletter:editor_home"),
        _en("newsletter:programme_issues", programme.slug),
        _en("newsletter:issue", issue.pk),
        _en("newsletter:issue_preview", issue.pk),
    ])  # fmt: skip
    assert found == {}, _report(found)


@pytest.mark.parametrize(("name", "data"), [
    ("newsletter:signup", {"email": "kein-at-zeichen", "language": "en"}),
    ("newsletter:signup", {"email": "reader@example.org", "language": "en"}),
])  # fmt: skip
def test_form_errors_are_english(client, demo, name, data):
    """Bad input answers with English messages (no German msgid in the page)."""
    response = client.post(_en(name), data)
    page = response.content.decode()
    assert response.status_code < 500
    if response.status_code == 302:
        page = client.get(response["Location"]).content.decode()
    assert '<html lang="en"' in page
    assert leaks(page) == []
    assert "Please" in page


def test_planning_pages_are_english(client, demo):
    from ortswandel.planning.outlook.compute import outlook_write
    from tests.planning.conftest import HAVE_DATA, population, synthetic_batch

    outlook_write(
        batch=synthetic_batch({
            "12070424": (population(17000, old=0.1), population(14000, old=0.16)),
            "12069616": (population(16000), population(18000)),
        }),
        version="test-en",
    )  # fmt: skip
    paths = [
        _en("planning:outlook_map"),
        _en("planning:outlook_map_land", "12"),
        _en("municipalities:detail", "12070424"),
    ]
    if HAVE_DATA:
        paths.append(_en("planning:workspace", "12070424"))
    found = _check(client, None, paths)
    found |= _check(client, demo["redaktion"], paths[-1:])
    assert found == {}, _report(found)
    if HAVE_DATA:  # a form error on the workspace is English too
        response = client.get(_en("planning:workspace", "12070424") + "?tfr=viele")
        page = response.content.decode()
        assert response.status_code == 400
        assert "Please enter a number." in page and leaks(page) == []
