"""Exports of the workspace: CSV, XLSX and a PDF report for the council.

All three are built from the same tables (:func:`tables`), so they cannot disagree. The PDF is
written with fpdf2 (pure Python, no system libraries; its core fonts cover German text, so no
font file is needed) and holds the assumptions, every table, the measured error band, the
sources and their attribution.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ortswandel.core.charts import number
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


def _latin(text: Any) -> str:
    s = str(text).replace("–", "-").replace("—", "-").replace("„", '"').replace("“", '"')
    s = s.replace("’", "'").replace("…", "...").replace("€", "EUR").replace("−", "-")
    return s.encode("latin-1", "replace").decode("latin-1")


def _pdf_number(v: Any) -> str:
    return _de(v, 3 if isinstance(v, float) and abs(v) < 10 and v != int(v) else 0)


def _pdf_grid(pdf: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    """A numeric table drawn cell by cell (fpdf2's table layout is ~10× slower)."""
    pdf.ln(3)
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    _para(pdf, 6, _latin(title))
    width = pdf.w - pdf.l_margin - pdf.r_margin
    n = len(header)
    size = 8 if n <= 8 else 6.5 if n <= 12 else 5.5
    col = min(width / n, 40)
    line = 4.2

    def head() -> None:
        pdf.set_font("Helvetica", "B", size)
        pdf.set_fill_color(230, 230, 230)
        pdf.set_x(pdf.l_margin)
        for h in header:
            text = _latin(h)
            while pdf.get_string_width(text) > col - 1 and len(text) > 3:
                text = text[:-2] + "."
            pdf.cell(col, line, text, border=1, fill=True, align="C")
        pdf.ln(line)
        pdf.set_font("Helvetica", size=size)

    head()
    for row in rows:
        if pdf.get_y() > pdf.h - pdf.b_margin - line:
            pdf.add_page()
            head()
        pdf.set_x(pdf.l_margin)
        for j, v in enumerate(row):
            text = _latin(v if isinstance(v, str) else _pdf_number(v))
            pdf.cell(col, line, text, border=1, align="L" if j == 0 else "R")
        pdf.ln(line)


def _para(pdf: Any, height: float, text: str) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_charts(pdf: Any, charts: list[Any]) -> None:
    """Each chart as vector graphics (fpdf2 draws the SVG) with its text alternative below."""
    import logging

    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # <title>/<desc> are not drawn
    for chart in charts:
        if pdf.get_y() > pdf.h - 110:
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 11)
        _para(pdf, 6, _latin(chart.title))
        svg = _latin(str(chart.svg)).replace('width="100%"', 'width="480"')
        try:
            pdf.image(io.BytesIO(svg.encode("utf-8")), w=140)
        except Exception:  # a chart fpdf cannot draw: its text and table follow anyway
            logging.getLogger(__name__).warning("chart %s not drawn in the PDF", chart.id)
        pdf.set_font("Helvetica", size=8)
        _para(pdf, 4, _latin(chart.description))
        pdf.ln(2)


def _pdf(
    result: dict[str, Any],
    all_tables: list[Table],
    extra: list[Table],
    notes: list[str],
    charts: list[Any] | None = None,
) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin(f"Vorausberechnung {result['name']}"))
    pdf.set_lang("de")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    _para(pdf, 9, _latin(f"Bevölkerungsvorausberechnung {result['name']} (AGS {result['ags']})"))
    pdf.set_font("Helvetica", size=10)
    first, last = result["totals"]["Basis"][0], result["totals"]["Basis"][-1]
    _para(
        pdf,
        5,
        _latin(
            f"Basis 31.12.{result['launch']}: {_de(first)} Einwohner; "
            f"{result['years'][-1]}: {_de(last)} (Basis-Szenario). "
            f"Szenarien: {', '.join(result['scenarios'])}. Erstellt mit Ortswandel."
        ),
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, _latin("Gemessene Genauigkeit der Methode"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in notes:
        _para(pdf, 4.5, _latin(line))
    if charts:
        pdf.ln(3)
        _pdf_charts(pdf, charts)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    for title, header, rows in extra:  # text tables: wrapped cells
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        _para(pdf, 6, _latin(title))
        pdf.set_font("Helvetica", size=8)
        with pdf.table(
            headings_style=heading,
            col_widths=(50, 30, 18, 18, 150),
            text_align="LEFT",
            line_height=4,
        ) as table:
            r = table.row()
            for h in header:
                r.cell(_latin(h))
            for row in rows:
                r = table.row()
                for v in row:
                    r.cell(_latin(v if isinstance(v, str) else _pdf_number(v)))
    for title, header, rows in all_tables:
        _pdf_grid(pdf, title, header, rows)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Quellen", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    for src in result["sources"]:
        _para(pdf, 4, _latin(f"{src.get('title', '')}: {src.get('attribution', '')}"))
    if result.get("estimates"):
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 6, _latin("Schätzungen"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        for e in result["estimates"]:
            _para(pdf, 4, _latin(e))
    return bytes(pdf.output())


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
