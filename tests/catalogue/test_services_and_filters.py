"""Publishing service (audited, all-or-nothing, scoped) and the filter parsers."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from ortswandel.catalogue.filters import parse_project_filters, parse_result_filters
from ortswandel.catalogue.services import content_publish, content_unpublish
from ortswandel.core.errors import InvalidInput, PermissionDenied
from ortswandel.core.models import AuditEntry


@pytest.mark.django_db
def test_publish_is_audited(catalogue, programme_editor):
    changed = content_publish(
        objects=[catalogue.draft_project, catalogue.alpha], actor=programme_editor
    )
    assert changed == [catalogue.draft_project]  # already published ones are skipped
    catalogue.draft_project.refresh_from_db()
    assert catalogue.draft_project.is_published
    entry = AuditEntry.objects.get()
    assert entry.action == "catalogue.project.published"
    assert entry.actor == programme_editor
    assert entry.payload == {"changes": {"status": ["draft", "published"]}}


@pytest.mark.django_db
def test_publish_is_all_or_nothing_across_programmes(catalogue, programme_editor):
    with pytest.raises(PermissionDenied):
        content_unpublish(objects=[catalogue.alpha, catalogue.gamma], actor=programme_editor)
    catalogue.alpha.refresh_from_db()
    assert catalogue.alpha.is_published
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_registered_user_cannot_publish(catalogue, registered_user):
    with pytest.raises(PermissionDenied):
        content_publish(objects=[catalogue.draft_news], actor=registered_user)


@pytest.mark.django_db
def test_site_admin_publishes_programme(catalogue, site_admin):
    content_publish(objects=[catalogue.draft_programme], actor=site_admin)
    assert AuditEntry.objects.get().action == "catalogue.programme.published"


def test_parse_project_filters_full():
    f = parse_project_filters(
        QueryDict(
            "programme=a&programme=b&theme=3&land=01&land=16&size=kleinstadt&status=running"
            "&year=2020&from=2018&to=2024&q=+Dorf+&sort=-end&page=3"
        )
    )
    assert f.programmes == ("a", "b")
    assert f.themes == (3,)
    assert f.lands == ("01", "16")
    assert f.sizes == ("kleinstadt",)
    assert (f.year, f.start_from, f.end_to) == (2020, 2018, 2024)
    assert f.q == "Dorf"
    assert (f.sort, f.page) == ("-end", 3)
    assert f.is_filtered


def test_parse_project_filters_defaults_and_duplicates():
    f = parse_project_filters(QueryDict("land=01&land=01&q=&page="))
    assert f.lands == ("01",)
    assert (f.sort, f.page, f.q) == ("acronym", 1, "")
    assert not parse_project_filters(QueryDict("")).is_filtered


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("theme=1.5", "theme"),
        ("theme=-1", "theme"),
        ("land=00", "land"),
        ("size=dorf", "size"),
        ("status=done", "status"),
        ("year=99", "year"),
        ("year=2020&year=2021", "year"),
        ("page=1e3", "page"),
        ("page=100001", "page"),
        ("programme=a%20b", "programme"),
        ("from=2024&to=2020", "from"),
        ("land=" + "&land=".join(["01"] * 1) + "".join(f"&theme={i}" for i in range(60)), "theme"),
    ],
)
def test_parse_project_filters_rejects(query, field):
    with pytest.raises(InvalidInput) as info:
        parse_project_filters(QueryDict(query))
    assert field in info.value.fields
    assert info.value.status == 400


def test_parse_result_filters():
    f = parse_result_filters(QueryDict("kind=tool&target_group=Politik&sort=-year"))
    assert (f.kinds, f.target_groups, f.sort) == (("tool",), ("Politik",), "-year")
    with pytest.raises(InvalidInput):
        parse_result_filters(QueryDict("target_group=" + "x" * 301))


def test_period_and_euro_filters():
    import datetime as dt
    from types import SimpleNamespace

    from ortswandel.catalogue.templatetags.catalogue_tags import euro, period

    both = SimpleNamespace(start_date=dt.date(2016, 6, 1), end_date=dt.date(2019, 5, 31))
    assert period(both) == "06/2016 – 05/2019"
    assert period(SimpleNamespace(start_date=dt.date(2016, 6, 1), end_date=None)) == "ab 06/2016"
    assert period(SimpleNamespace(start_date=None, end_date=dt.date(2021, 3, 31))) == "bis 03/2021"
    assert period(SimpleNamespace(start_date=None, end_date=None)) == ""
    assert euro(1234567.4) == "1.234.567 €"
    assert euro(None) == ""
