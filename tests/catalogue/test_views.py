"""Public pages: content, drafts hidden, directory filters/facets/sorting/pagination, bad input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from ortswandel.catalogue.models import Project

pytestmark = pytest.mark.django_db

PROJECTS = reverse("catalogue:project_list")


class _JsonLdParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks.append(data)


def jsonld_blocks(html: str) -> list[dict]:
    parser = _JsonLdParser()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def acronyms(response) -> list[str]:
    return [p.acronym for p in response.context["page_obj"].object_list]


def facet(response, name):
    return next(f for f in response.context["directory"].facets if f.name == name)


def counts(response, name) -> dict[str, int]:
    return {o.value: o.count for o in facet(response, name).options}


# ------------------------------------------------------------------------ pages render content


PAGES = [
    ("home", {}, ["Testprogramm", "Konferenz in Berlin", "Leitfaden Daseinsvorsorge"]),
    ("programme_list", {}, ["Testprogramm", "Anderes Programm"]),
    (
        "programme_detail",
        {"slug": "testprogramm"},
        [
            "Bundesministerium für Bildung",
            "Fokusthemen",
            "Kernbotschaften",
            "ALPHA",
            "Abschlussbericht",
        ],
    ),
    (
        "theme_detail",
        {"programme": "testprogramm", "slug": "daseinsvorsorge"},
        ["Daseinsvorsorge", "ALPHA", "BETA", "Leitfaden Daseinsvorsorge"],
    ),
    ("project_list", {}, ["ALPHA", "BETA", "GAMMA", "DELTA"]),
    (
        "project_detail",
        {"slug": "alpha"},
        [
            "Titel ALPHA",
            "Verbundkoordination",
            "Institut für Raumforschung",
            "Kleinort",
            "1.234.567 €",
        ],
    ),
    ("organisation_detail", {"slug": "ifr"}, ["Institut für Raumforschung", "ALPHA"]),
    ("result_list", {}, ["Leitfaden Daseinsvorsorge", "Wohnraumrechner"]),
    (
        "result_detail",
        {"slug": "leitfaden-daseinsvorsorge"},
        ["Kommunalverwaltung", "https://example.org/leitfaden"],
    ),
    ("publication_list", {}, ["Abschlussbericht"]),
    ("publication_detail", {"slug": "abschlussbericht"}, ["A. Autorin", "ALPHA"]),
    ("news_list", {}, ["Konferenz in Berlin", "Start der Projekte"]),
    (
        "news_detail",
        {"slug": "konferenz"},
        ["Konferenz in Berlin", "Die Abschlusskonferenz &amp; mehr."],
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "expected"), PAGES)
def test_page_shows_published_content(client, catalogue, name, kwargs, expected):
    response = client.get(reverse(f"catalogue:{name}", kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text
    for secret in [
        "ENTWURF",
        "VERSTECKT",
        "Unfertiges Instrument",
        "Entwurfsbericht",
        "Noch geheim",
        "Geheimes Programm",
        "Entwurfsthema",
    ]:
        assert secret not in html, (name, secret)
    assert html.count("<h1") == 1


def test_breadcrumbs_on_detail_page(client, catalogue):
    html = client.get(
        reverse("catalogue:project_detail", kwargs={"slug": "alpha"})
    ).content.decode()
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert reverse("catalogue:project_list") in nav
    assert 'aria-current="page">ALPHA<' in nav


def test_home_has_municipality_search_form(client, catalogue):
    html = client.get(reverse("catalogue:home")).content.decode()
    form = re.search(r'<form action="([^"]+)" method="get" class="inline-search">', html)
    assert form and form.group(1) == reverse("municipalities:search")
    assert 'name="q"' in html


def test_english_prefix_serves_pages(client, catalogue):
    response = client.get("/en/projekte/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("project_detail", {"slug": "entwurf"}),
        ("project_detail", {"slug": "versteckt"}),
        ("project_detail", {"slug": "gibt-es-nicht"}),
        ("programme_detail", {"slug": "geheim"}),
        ("theme_detail", {"programme": "testprogramm", "slug": "entwurfsthema"}),
        ("theme_detail", {"programme": "anderes-programm", "slug": "daseinsvorsorge"}),
        ("result_detail", {"slug": "unfertig"}),
        ("publication_detail", {"slug": "entwurfsbericht"}),
        ("news_detail", {"slug": "noch-geheim"}),
        ("organisation_detail", {"slug": "niemand"}),
    ],
)
def test_drafts_and_unknown_slugs_are_404(client, catalogue, name, kwargs):
    response = client.get(reverse(f"catalogue:{name}", kwargs=kwargs))
    assert response.status_code == 404
    assert "nicht" in response.content.decode()


def test_organisation_lists_only_published_projects(client, catalogue):
    html = client.get(
        reverse("catalogue:organisation_detail", kwargs={"slug": "ifr"})
    ).content.decode()
    assert "ALPHA" in html and "ENTWURF" not in html


# ------------------------------------------------------------------------ JSON-LD and feeds


def test_project_jsonld(client, catalogue):
    html = client.get(
        reverse("catalogue:project_detail", kwargs={"slug": "alpha"})
    ).content.decode()
    (data,) = jsonld_blocks(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ResearchProject"
    assert data["name"] == "Titel ALPHA" and data["alternateName"] == "ALPHA"
    assert data["funder"]["name"].startswith("Bundesministerium für Bildung")
    assert {m["name"] for m in data["member"]} == {
        "Institut für Raumforschung",
        "Gemeinde Kleinort",
    }
    assert {a["identifier"] for a in data["areaServed"]} == {"12054000", "03101000"}
    assert data["startDate"] == "2016-06-01"
    assert data["funding"]["identifier"] == "033L123A"


def test_jsonld_cannot_break_out_of_script(client, catalogue):
    catalogue.alpha.title = "</script><script>alert(1)</script>"
    catalogue.alpha.save()
    html = client.get(
        reverse("catalogue:project_detail", kwargs={"slug": "alpha"})
    ).content.decode()
    assert "<script>alert(1)" not in html
    (data,) = jsonld_blocks(html)
    assert data["name"] == "</script><script>alert(1)</script>"


def test_organisation_jsonld(client, catalogue):
    html = client.get(
        reverse("catalogue:organisation_detail", kwargs={"slug": "ifr"})
    ).content.decode()
    (data,) = jsonld_blocks(html)
    assert data["@type"] == "Organization"
    assert data["name"] == "Institut für Raumforschung"
    assert data["sameAs"] == "https://ifr.example.org"
    assert data["address"]["addressLocality"] == "Großstadt"


def test_rss_feed(client, catalogue):
    response = client.get(reverse("catalogue:news_feed_rss"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["Konferenz in Berlin", "Start der Projekte"]
    assert root.find("channel/item/link").text.endswith("/aktuelles/konferenz/")


def test_atom_feed(client, catalogue):
    response = client.get(reverse("catalogue:news_feed_atom"))
    assert response.status_code == 200
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == ["Konferenz in Berlin", "Start der Projekte"]


# ------------------------------------------------------------------------ project directory


def test_directory_lists_published_projects_only(client, catalogue):
    response = client.get(PROJECTS)
    assert acronyms(response) == ["ALPHA", "BETA", "DELTA", "GAMMA"]
    assert response.context["directory"].total == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("programme=testprogramm", ["ALPHA", "BETA", "DELTA"]),
        ("programme=testprogramm&programme=anderes-programm", ["ALPHA", "BETA", "DELTA", "GAMMA"]),
        ("land=12", ["ALPHA", "GAMMA"]),
        ("land=12&programme=testprogramm", ["ALPHA"]),
        ("land=09&land=03", ["ALPHA", "BETA"]),
        ("size=grossstadt", ["BETA"]),
        ("size=landgemeinde&status=running", ["GAMMA"]),
        ("status=planned", ["DELTA"]),
        ("year=2017", ["ALPHA"]),
        ("year=2019", ["ALPHA", "BETA"]),
        ("year=2030", ["DELTA"]),  # open-ended project is still running
        ("from=2018", ["BETA", "DELTA", "GAMMA"]),
        ("from=2018&to=2022", ["BETA"]),
        ("to=2019", ["ALPHA"]),
        ("q=amm", ["GAMMA"]),
        ("q=titel+be", ["BETA"]),
        ("q=", ["ALPHA", "BETA", "DELTA", "GAMMA"]),
    ],
)
def test_directory_filters_combine(client, catalogue, query, expected):
    response = client.get(f"{PROJECTS}?{query}")
    assert response.status_code == 200
    assert acronyms(response) == expected


def test_theme_filter_uses_ids(client, catalogue):
    response = client.get(f"{PROJECTS}?theme={catalogue.theme_a.pk}")
    assert acronyms(response) == ["ALPHA", "BETA"]
    response = client.get(
        f"{PROJECTS}?theme={catalogue.theme_b.pk}&theme={catalogue.theme_other.pk}"
    )
    assert acronyms(response) == ["ALPHA", "GAMMA"]


def test_facet_counts_are_disjunctive(client, catalogue):
    response = client.get(f"{PROJECTS}?land=12")
    # the Land facet ignores its own selection; the others apply it
    assert counts(response, "land") == {"03": 1, "09": 1, "12": 2}
    assert counts(response, "programme") == {"testprogramm": 1, "anderes-programm": 1}
    assert counts(response, "status") == {"completed": 1, "running": 1}
    assert counts(response, "size") == {"landgemeinde": 2, "mittelstadt": 1}
    theme_counts = counts(response, "theme")
    assert theme_counts[str(catalogue.theme_a.pk)] == 1
    assert str(catalogue.theme_draft.pk) not in theme_counts  # draft themes never appear
    assert [o.value for o in facet(response, "land").options if o.selected] == ["12"]


def test_facet_counts_without_filters(client, catalogue):
    response = client.get(PROJECTS)
    assert counts(response, "programme") == {"testprogramm": 3, "anderes-programm": 1}
    assert counts(response, "land") == {"03": 1, "09": 1, "12": 2}
    assert counts(response, "status") == {"completed": 1, "running": 2, "planned": 1}
    html = response.content.decode()
    assert "<legend>Land</legend>" in html and "<legend>Programm</legend>" in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("acronym", ["ALPHA", "BETA", "DELTA", "GAMMA"]),
        ("-acronym", ["GAMMA", "DELTA", "BETA", "ALPHA"]),
        ("start", ["ALPHA", "BETA", "GAMMA", "DELTA"]),
        ("-start", ["DELTA", "GAMMA", "BETA", "ALPHA"]),
        ("title", ["ALPHA", "BETA", "DELTA", "GAMMA"]),
    ],
)
def test_directory_sorting(client, catalogue, sort, expected):
    assert acronyms(client.get(f"{PROJECTS}?sort={sort}")) == expected


def test_sort_by_end_puts_open_ended_consistently(client, catalogue):
    ends = [p.end_date for p in client.get(f"{PROJECTS}?sort=end").context["page_obj"].object_list]
    known = [e for e in ends if e is not None]
    assert known == sorted(known)


def _many_projects(programme, n):
    Project.objects.bulk_create(
        [
            Project(
                programme=programme,
                acronym=f"P{i:03d}",
                slug=f"p{i:03d}",
                status="published",
                project_status="running",
            )
            for i in range(n)
        ]
    )


def test_pagination_keeps_filters(client, catalogue):
    _many_projects(catalogue.programme, 45)
    response = client.get(f"{PROJECTS}?programme=testprogramm&status=running&sort=-acronym&page=2")
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == 2 and page.paginator.num_pages == 3
    html = response.content.decode()
    links = re.findall(r'<a href="(\?[^"]+)"', html.replace("&amp;", "&"))
    page_links = [link for link in links if "page=" in link]
    assert page_links
    for link in page_links:
        assert (
            "programme=testprogramm" in link
            and "status=running" in link
            and "sort=-acronym" in link
        )
    assert 'aria-current="page"><span class="visually-hidden">Seite </span>2<' in html
    assert 'rel="next"' in html and 'rel="prev"' in html


def test_remove_filter_links(client, catalogue):
    html = (
        client.get(f"{PROJECTS}?land=12&status=running&page=1")
        .content.decode()
        .replace("&amp;", "&")
    )
    assert 'href="?status=running"' in html  # removing the Land keeps the status filter


@pytest.mark.parametrize(
    "query",
    [
        "theme=abc",
        "land=99",
        "land=1",
        "size=riesig",
        "status=fertig",
        "page=x",
        "page=0",
        "page=-1",
        "year=20x0",
        "year=1200",
        "from=2020&to=2010",
        "sort=random",
        "sort=acronym&sort=title",
        "q=" + "x" * 201,
        "programme=gibt-es-nicht",
        "programme=geheim",
        "programme=%3Cscript%3E",
        "theme=999999",
        "q=Dorf%00",
    ],
)
def test_bad_filters_give_german_400(client, catalogue, query):
    response = client.get(f"{PROJECTS}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Die Anfrage konnte nicht verarbeitet werden" in html
    assert 'class="error-box"' in html
    assert "<script>" not in html.split("</header>")[1]


def test_page_beyond_last_is_404(client, catalogue):
    response = client.get(f"{PROJECTS}?page=99999")
    assert response.status_code == 404
    assert "Seite 99999 gibt es nicht" in response.content.decode()


def test_draft_theme_is_not_a_valid_filter(client, catalogue):
    assert client.get(f"{PROJECTS}?theme={catalogue.theme_draft.pk}").status_code == 400


def test_directory_query_count_is_constant(client, catalogue, django_assert_max_num_queries):
    _many_projects(catalogue.programme, 60)
    for project in Project.objects.filter(acronym__startswith="P"):
        project.themes.set([catalogue.theme_a, catalogue.theme_b])
        project.municipalities.set([catalogue.small, catalogue.city])
    url = (
        f"{PROJECTS}?programme=testprogramm&land=12&land=09&status=running"
        f"&theme={catalogue.theme_a.pk}&year=2020&q=P"
    )
    with django_assert_max_num_queries(14):
        client.get(url)
    with django_assert_max_num_queries(14):
        client.get(PROJECTS + "?page=2")


@pytest.mark.parametrize(
    "name_kwargs",
    [
        ("home", {}),
        ("programme_detail", {"slug": "testprogramm"}),
        ("project_detail", {"slug": "alpha"}),
        ("result_list", {}),
        ("publication_list", {}),
        ("news_list", {}),
    ],
)
def test_other_pages_constant_queries(
    client, catalogue, django_assert_max_num_queries, name_kwargs
):
    name, kwargs = name_kwargs
    _many_projects(catalogue.programme, 30)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(f"catalogue:{name}", kwargs=kwargs)).status_code == 200


# ------------------------------------------------------------ results, publications, news


def test_results_library_filters(client, catalogue):
    url = reverse("catalogue:result_list")
    assert [r.slug for r in client.get(f"{url}?kind=tool").context["page_obj"]] == [
        "wohnraumrechner"
    ]
    assert [r.slug for r in client.get(f"{url}?programme=testprogramm").context["page_obj"]] == [
        "leitfaden-daseinsvorsorge"
    ]
    assert [
        r.slug for r in client.get(f"{url}?theme={catalogue.theme_other.pk}").context["page_obj"]
    ] == ["wohnraumrechner"]
    response = client.get(f"{url}?target_group=Kommunalverwaltung")
    assert [r.slug for r in response.context["page_obj"]] == ["leitfaden-daseinsvorsorge"]
    target = next(f for f in response.context["library"].facets if f.name == "target_group")
    assert {o.value: o.count for o in target.options} == {"Kommunalverwaltung": 1, "Politik": 1}
    assert [r.slug for r in client.get(f"{url}?sort=-year").context["page_obj"]] == [
        "wohnraumrechner",
        "leitfaden-daseinsvorsorge",
    ]


@pytest.mark.parametrize(
    "query", ["kind=foo", "theme=x", "programme=nope", "page=abc", "sort=x", "target_group=a%00"]
)
def test_results_library_bad_input(client, catalogue, query):
    assert client.get(f"{reverse('catalogue:result_list')}?{query}").status_code == 400


def test_publication_list_filters(client, catalogue):
    url = reverse("catalogue:publication_list")
    assert [p.slug for p in client.get(f"{url}?kind=report").context["page_obj"]] == [
        "abschlussbericht"
    ]
    assert list(client.get(f"{url}?kind=book").context["page_obj"]) == []
    assert client.get(f"{url}?kind=poem").status_code == 400


def test_news_list_pagination_errors(client, catalogue):
    url = reverse("catalogue:news_list")
    assert client.get(f"{url}?page=x").status_code == 400
    assert client.get(f"{url}?page=2").status_code == 404
    assert client.get(f"{url}?page=1").status_code == 200


def test_rich_text_is_sanitised_on_save(client, catalogue):
    catalogue.alpha.summary = '<p onclick="x()">Hallo<script>alert(1)</script></p>'
    catalogue.alpha.save()
    html = client.get(
        reverse("catalogue:project_detail", kwargs={"slug": "alpha"})
    ).content.decode()
    assert "<p>Hallo</p>" in html
    assert "alert(1)" not in html


def test_facet_counts_follow_content_changes(
    client, catalogue, site_admin, django_capture_on_commit_callbacks
):
    from ortswandel.catalogue.services import content_publish
    from tests.admin_forms import admin_save

    assert counts(client.get(PROJECTS), "programme")["testprogramm"] == 3
    editor = Client()
    editor.force_login(site_admin)
    url = reverse("admin:catalogue_project_change", args=[catalogue.beta.pk])
    with django_capture_on_commit_callbacks(execute=True):  # an edit in the admin
        admin_save(
            editor,
            url,
            municipalities=[str(catalogue.city.pk), str(catalogue.small.pk)],
            title="Neu",
        )
    assert counts(client.get(PROJECTS), "land")["12"] == 3
    assert counts(client.get(PROJECTS, {"q": "neu"}), "programme") == {"testprogramm": 1}
    with django_capture_on_commit_callbacks(execute=True):
        content_publish(objects=[catalogue.draft_project], actor=site_admin)
    response = client.get(PROJECTS)
    assert counts(response, "programme")["testprogramm"] == 4
    assert response.context["directory"].total == 5
