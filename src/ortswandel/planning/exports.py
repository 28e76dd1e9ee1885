"""Exports of the workspace: CSV, XLSX and a PDF report for the council.

All three are built from the same tables (:func:`tables`), so they cannot disagree. The PDF is
built with the house PDF builder (:class:`ortswandel.core.pdf.Document`: landscape A4, Unicode
font, bookmarks, page numbers) and holds the measured error band, the charts (vector graphics
with their text alternative), the assumptions, every table, the sources and their attribution.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ortswandel.core.charts import number
from ortswandel.core.pdf import Document
from ortswandel.core.spreadsheets import safe_row

from .assumptions import CAPACITY_FIELDS, UNCERTAINTY_SOURCE
from .presenters import ITEM_LABELS
from .workspace import Settings

FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FACILITY_LABELS = dict(CAPACITY_FIELDS)
Table = tuple[str, list[str], list[list[Any]]]


def _de(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float | int):
        text = f"{value:,.{digits}f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(value)


def tables(result: dict[str, Any], fan: dict[str, Any] | None = None) -> list[Table]:
    """Every result as ``(title, header, rows)``; years run down the rows."""
    return [t for _section, t in sectioned_tables(result, fan)]


def sectioned_tables(
    result: dict[str, Any], fan: dict[str, Any] | None = None
) -> list[tuple[str, Table]]:
    """``(section, table)`` pairs: sections ``totals``, ``ages``, ``pyramid``, ``fan``,
    ``infrastructure``, ``budget``."""
    years = result["years"]
    names = result["scenarios"]
    out: list[tuple[str, Table]] = [
        (
            "totals",
            (
                _("Einwohner insgesamt"),
                [_("Jahr"), *names],
                [[y, *(result["totals"][n][i] for n in names)] for i, y in enumerate(years)],
            ),
        )
    ]
    for n in names:
        groups = result["age_groups"][n]
        out.append(
            (
                "ages",
                (
                    _("Altersgruppen – %(name)s") % {"name": n},
                    [_("Jahr"), *groups],
                    [[y, *(groups[g][i] for g in groups)] for i, y in enumerate(years)],
                ),
            )
        )
    for n in names:
        pyr = result["pyramid"][n]
        sexes = (_("Frauen"), _("Männer"))
        header = [_("Alter")] + [f"{s} {y}" for y in pyr["years"] for s in sexes]
        rows = [
            [
                g,
                *(
                    v
                    for j in range(len(pyr["years"]))
                    for v in (pyr["female"][j][k], pyr["male"][j][k])
                ),
            ]
            for k, g in enumerate(pyr["groups"])
        ]
        title = _("Bevölkerungspyramide – %(name)s") % {"name": n}
        out.append(("pyramid", (title, header, rows)))
    if fan:
        q = [_("%(p)s %%-Quantil") % {"p": round(p * 100)} for p in fan["quantiles"]]
        for n, series in fan["scenarios"].items():
            out.append(
                (
                    "fan",
                    (
                        _("Unsicherheit aus %(n)s Zufallspfaden – %(name)s")
                        % {"n": fan["trajectories"], "name": n},
                        [_("Jahr"), *q],
                        [[y, *(s[i] for s in series)] for i, y in enumerate(fan["years"])],
                    ),
                )
            )
    for n in names:
        for key, row in result["infrastructure"][n].items():
            header = [_("Jahr"), _("Bedarf")]
            cols = [row["demand"]]
            for extra, label in (
                ("capacity", _("Plätze")),
                ("utilisation", _("Auslastung")),
                ("classes", _("Klassen")),
            ):
                if extra in row:
                    header.append(label)
                    cols.append(row[extra])
            out.append(
                (
                    "infrastructure",
                    (
                        f"{_(FACILITY_LABELS[key])} – {n}",
                        header,
                        [[y, *(c[i] for c in cols)] for i, y in enumerate(years)],
                    ),
                )
            )
    for n in names:
        b = result["budget"][n]
        items = list(b["items"])
        labels = [_(ITEM_LABELS[k]) if k in ITEM_LABELS else k for k in items]
        out.append(
            (
                "budget",
                (
                    _("Haushalt (EUR, konstante Preise) – %(name)s; Barwert %(npv)s EUR")
                    % {"name": n, "npv": number(b["npv"])},
                    [_("Jahr"), *labels, _("Saldo")],
                    [
                        [y, *(b["items"][k][i] for k in items), b["net"][i]]
                        for i, y in enumerate(years)
                    ],
                ),
            )
        )
    return out


def assumptions_table(result: dict[str, Any], defaults: dict[str, Any], s: Settings) -> Table:
    def shown(v: Any, d: Any) -> Any:
        return d if v is None else v

    rows: list[list[Any]] = [
        [
            "Geburtenrate",
            "Kinder je Frau",
            shown(s.tfr, defaults["tfr"]),
            defaults["tfr"],
            defaults["tfr_source"],
        ],
        [
            "Lebenserwartung Frauen",
            "Jahre",
            shown(s.e0_female, defaults["e0_female"]),
            defaults["e0_female"],
            defaults["e0_source"],
        ],
        [
            "Lebenserwartung Männer",
            "Jahre",
            shown(s.e0_male, defaults["e0_male"]),
            defaults["e0_male"],
            defaults["e0_source"],
        ],
        [
            "Wanderung (Faktor)",
            "1 = wie bisher",
            s.migration_factor,
            1.0,
            defaults["migration_source"],
        ],
    ]
    rows += [
        [p["label"], p["unit"], p["value"], p["default"], p["source"]]
        for p in result["budget_params"]
    ]
    rows.append(["Unsicherheit (Zufallspfade)", "", "", "", UNCERTAINTY_SOURCE])
    care = result.get("care") or {"shares": {}}
    for key, label in CAPACITY_FIELDS:
        if key in care["shares"]:
            share = round(care["shares"][key], 4)
            rows.append([f"Anteil {label}", "Anteil", share, share, result["care_source"]])
    return ("Annahmen", ["Annahme", "Einheit", "Wert", "Standard", "Quelle"], rows)


def error_lines(result: dict[str, Any]) -> list[str]:
    return [
        f"Diese Methode lag bei den Kreisen nach {r['horizon']} "
        f"Jahr{'en' if r['horizon'] > 1 else ''} "
        f"im Mittel um {_de(r['mape'], 1)} % daneben (Kinder 0–5: {_de(r['mape_0_5'], 1)} %, "
        f"65+: {_de(r['mape_65'], 1)} %)."
        for r in result["error_band"]
    ]


def _csv(all_tables: list[Table]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    for title, header, rows in all_tables:
        w.writerow(safe_row([title]))
        w.writerow(safe_row(header))  # scenario names are typed by people
        w.writerows([[_de(v, 3) if isinstance(v, float) else v for v in r] for r in rows])
        w.writerow([])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx(all_tables: list[Table]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, header, rows in all_tables:
        name = "".join(c for c in title if c not in "[]:*?/\\")[:28]
        base, i = name, 1
        while name in used:
            i += 1
            name = f"{base[:25]} {i}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append(safe_row([title]))
        ws.append(safe_row(header))
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pdf_number(v: Any) -> str:
    return _de(v, 3 if isinstance(v, float) and abs(v) < 10 and v != int(v) else 0)


def _cells(rows: list[list[Any]]) -> list[list[str]]:
    return [[v if isinstance(v, str) else _pdf_number(v) for v in row] for row in rows]


def _pdf(
    result: dict[str, Any],
    all_tables: list[Table],
    extra: list[Table],
    notes: list[str],
    charts: list[Any] | None = None,
) -> bytes:
    """The council report: landscape A4 in the house layout (:class:`core.pdf.Document`)."""
    title = _("Bevölkerungsvorausberechnung %(name)s (AGS %(ags)s)") % {
        "name": result["name"],
        "ags": result["ags"],
    }
    doc = Document(
        title=title,
        subject=_("Vorausberechnung %(name)s") % {"name": result["name"]},
        keywords=("Bevölkerungsvorausberechnung", result["name"], result["ags"]),
        orientation="landscape",
    )
    first, last = result["totals"]["Basis"][0], result["totals"]["Basis"][-1]
    doc.title_block(title)
    doc.paragraph(
        f"Basis 31.12.{result['launch']}: {_de(first)} Einwohner; "
        f"{result['years'][-1]}: {_de(last)} (Basis-Szenario). "
        f"Szenarien: {', '.join(result['scenarios'])}. Erstellt mit Ortswandel."
    )
    doc.heading(_("Gemessene Genauigkeit der Methode"))
    for line in notes:
        doc.paragraph(line, size=9)
    if charts:
        doc.heading(_("Diagramme"))
        for chart in charts:
            doc.chart(chart.svg, chart.description, title=chart.title)
    for table_title, header, rows in extra:  # text tables: wrapped cells
        doc.heading(table_title)
        doc.table(header, _cells(rows), widths=(50, 30, 18, 18, 150), size=8)
    doc.heading(_("Tabellen"))
    for table_title, header, rows in all_tables:
        n = len(header)
        doc.heading(table_title, level=2)
        doc.table(
            header,
            _cells(rows),
            numeric=range(1, n),
            size=8 if n <= 8 else 6.5 if n <= 12 else 5.5,
            width=40 * n,
            truncate=True,
        )
    doc.heading(_("Quellen"))
    for src in result["sources"]:
        doc.paragraph(f"{src.get('title', '')}: {src.get('attribution', '')}", size=8)
    if result.get("estimates"):
        doc.heading(_("Schätzungen"))
        for e in result["estimates"]:
            doc.paragraph(e, size=8)
    return doc.output()


def render(
    fmt: str,
    result: dict[str, Any],
    *,
    fan: dict[str, Any] | None,
    defaults: dict[str, Any],
    settings: Settings,
    charts: list[Any] | None = None,
) -> bytes:
    all_tables = tables(result, fan)
    assumptions = assumptions_table(result, defaults, settings)
    if fmt == "csv":
        return _csv([assumptions, *all_tables])
    if fmt == "xlsx":
        return _xlsx([assumptions, *all_tables])
    return _pdf(result, all_tables, [assumptions], error_lines(result), charts or [])


def response(
    fmt: str,
    result: dict[str, Any],
    *,
    fan: dict[str, Any] | None,
    defaults: dict[str, Any],
    settings: Settings,
    charts: list[Any] | None = None,
) -> HttpResponse:
    body = render(fmt, result, fan=fan, defaults=defaults, settings=settings, charts=charts)
    resp = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="vorausberechnung-{result["ags"]}.{fmt}"'
    return resp
