"""The demo-content machinery: hooks found through the app registry, strict data files,
all-or-nothing loading (the facts themselves are pinned in ``test_demo_content.py``)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ortswandel.catalogue.models import Programme, Project
from ortswandel.core import demo
from ortswandel.events.models import Event


def test_hooks_come_from_the_app_configs_in_installed_apps_order():
    from django.apps import apps

    order = [config.label for config in apps.get_app_configs()]
    for hook, required in (
        ("demo_loader", ["catalogue", "events"]),  # events refer to the catalogue's programmes
        ("demo_accounts", ["accounts"]),
        ("demo_context", ["search"]),
    ):
        labels = [label for label, _load in demo.demo_hooks(hook)]
        assert labels == sorted(labels, key=order.index), hook
        assert [label for label in labels if label in required] == required, hook
    with pytest.raises(ValueError, match="unknown demo hook"):
        demo.demo_hooks("demo_loaders")


def test_every_data_file_parses_to_a_mapping():
    for package in (
        "ortswandel.accounts.demo",
        "ortswandel.catalogue.demo",
        "ortswandel.events.demo",
        "ortswandel.participation.demo",
    ):
        names = demo.demo_file_names(package)
        assert names, package
        for name in names:
            assert isinstance(demo.read_demo_data(package, name), dict)


def test_local_datetime_absolute_relative_and_malformed():
    berlin = demo.BERLIN
    assert demo.local_datetime("2020-10-28 09:30", where="x") == dt.datetime(
        2020, 10, 28, 9, 30, tzinfo=berlin
    )
    relative = demo.local_datetime({"days_from_today": 2, "time": "14:00"}, where="x")
    assert relative.date() == timezone.localdate() + dt.timedelta(days=2)
    assert (relative.hour, relative.minute) == (14, 0)
    assert demo.local_datetime(None, where="x") is None
    for bad in ("28.10.2020 09:30", 600, {"days_from_today": "2", "time": "14:00"}):
        with pytest.raises(demo.DemoDataError, match="x"):
            demo.local_datetime(bad, where="x")
    with pytest.raises(demo.DemoDataError, match="quoted time"):
        demo.local_time(600, where="agenda")  # YAML reads an unquoted 10:00 as 600


def test_check_keys_names_the_unknown_key():
    assert demo.check_keys({"a": 1}, ("a", "b"), where="f.yaml") == {"a": 1}
    with pytest.raises(demo.DemoDataError, match=r"f\.yaml: unknown key\(s\) tittle"):
        demo.check_keys({"tittle": "x"}, ("title",), where="f.yaml")
    with pytest.raises(demo.DemoDataError, match="expected a mapping"):
        demo.check_keys(["x"], ("title",), where="f.yaml")


@pytest.mark.django_db
def test_upsert_puts_back_omitted_fields_and_rejects_other_choices():
    values = {"name": "P", "kind": "federal_funding", "funder": "BMBF"}
    programme = demo.upsert(
        Programme, key={"slug": "p"}, record=values, fields=("name", "kind", "funder")
    )
    assert programme.funder == "BMBF"
    again = demo.upsert(
        Programme, key={"slug": "p"}, record={"name": "P", "kind": "federal_funding"},
        fields=("name", "kind", "funder"),
    )  # fmt: skip
    assert again.pk == programme.pk and again.funder == ""  # left out → emptied
    with pytest.raises(demo.DemoDataError, match="'federal' is not a choice"):
        demo.upsert(Programme, key={"slug": "q"}, record={"kind": "federal"}, fields=("kind",))


@pytest.mark.django_db
def test_a_malformed_data_file_stops_the_command_and_loads_nothing(monkeypatch):
    from ortswandel.events import demo as events_demo

    real = events_demo.read_demo_data

    def with_typo(package, name):
        data = real(package, name)
        data["events"][0]["tittle"] = "Tippfehler"
        return data

    monkeypatch.setattr(events_demo, "read_demo_data", with_typo)
    with pytest.raises(CommandError, match="unknown key") as excinfo:
        call_command("load_demo_content", "--no-accounts", stdout=StringIO())
    assert excinfo.value.returncode == 2
    assert not Programme.objects.exists()  # the catalogue, loaded before, is rolled back
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_an_unquoted_ags_is_an_error_not_a_silent_number(monkeypatch):
    from ortswandel.catalogue import demo as catalogue_demo

    real = catalogue_demo.read_demo_data

    def unquoted(package, name):
        data = real(package, name)
        if name == "organisations.yaml":
            data["organisations"][0]["seat"] = 1339392  # what YAML makes of 05113000
        return data

    monkeypatch.setattr(catalogue_demo, "read_demo_data", unquoted)
    with pytest.raises(CommandError, match="must be a quoted string"):
        call_command("load_demo_content", "--no-accounts", stdout=StringIO())
    assert not Project.objects.exists()
