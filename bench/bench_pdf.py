#!/usr/bin/env python
"""PDF documents (ortswandel.core.pdf): build time and size of typical documents.

No database: the documents are built from representative content with the same builder and
calls as :mod:`ortswandel.calls.documents` and :mod:`ortswandel.participation.report_pdf`:

1. an application copy: title block, facts, 8 form answers (≈ 600 characters each), the budget
   table (3 years + sum), 3 attachments, source line (3 pages);
2. a final report: description, figures, 6 phases, 8 results each with 4 status updates,
   100 ideas, 3 survey questions (6 pages).

Printed per document: best and median of ``--repeat`` builds, the median CPU time (less
affected by a loaded machine), pages, bytes, and the median's ratio to the target.
Target: < 1 s per document (a download that feels immediate), measured with the Unicode font
embedded (subset) as in production.

Usage: ``.venv/bin/python bench/bench_pdf.py [--repeat 10]``
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_S = 1.0
TEXT = (
    "Das Quartier an der Bahnhofstraße soll für alle Generationen offen sein: Wohnungen ohne "
    "Schwellen, ein Treffpunkt mit Café, Wege ohne Stufen zur Haltestelle und zum Markt. "
    "Beteiligt sind die Wohnungsgenossenschaft, der Seniorenbeirat, die Grundschule und der "
    "Sportverein; Frau Łukasz-Dvořák vom Seniorenbeirat leitet die Werkstätten. "
)


def application(doc_cls, euro) -> bytes:
    doc = doc_cls(title="Bewerbung: Quartier der Generationen", subject="Ausschreibung")
    doc.title_block(
        "Bewerbung: Quartier der Generationen",
        ["Ausschreibung: Stadt der Zukunft 2026", "Status: eingereicht", "eingereicht am …"],
    )
    doc.facts(
        [
            ("Kommune", "Stahnsdorf (AGS 12069616)"),
            ("Mitantragstellende Kommunen", "Teltow (AGS 12069604), Kleinmachnow"),
            ("Partner", "Wohnungsgenossenschaft Beispiel eG\nSeniorenbeirat"),
        ]
    )
    doc.heading("Angaben")
    doc.facts([(f"Frage {i}", TEXT * 2) for i in range(8)])
    doc.heading("Finanzplan")
    rows = [[str(y), euro(50000), euro(10000), "20,0 %", euro(40000)] for y in (2026, 2027, 2028)]
    doc.table(
        ["Jahr", "Gesamtkosten", "Eigenanteil", "Eigenanteil (%)", "beantragte Förderung"],
        [*rows, ["Summe", euro(150000), euro(30000), "20,0 %", euro(120000)]],
        widths=(16, 24, 24, 16, 26),
        numeric=(1, 2, 3, 4),
    )
    doc.heading("Anlagen")
    doc.table(["Bezeichnung", "Datei", "Größe"], [["Lageplan", "lageplan.pdf", "1,2 MB"]] * 3)
    doc.source("Ortswandel, Bewerbung Nr. 17")
    return doc.output()


def report(doc_cls, euro) -> bytes:
    doc = doc_cls(title="Abschlussbericht: Zukunftsdialog Stahnsdorf")
    doc.title_block("Abschlussbericht: Zukunftsdialog Stahnsdorf", ["Stahnsdorf (AGS 12069616)"])
    doc.rich_text(f"<p>{TEXT}</p><ul><li>Werkstätten</li><li>Online-Beteiligung</li></ul>")
    doc.heading("Kennzahlen")
    doc.table(["Kennzahl", "Wert"], [[f"Kennzahl {i}", i * 17] for i in range(8)], numeric=(1,))
    doc.heading("Ablauf")
    doc.table(
        ["Phase", "Art", "Beginn", "Ende"],
        [[f"Phase {i}", "Umfrage", "01.03.", "10.03."] for i in range(6)],
    )
    doc.heading("Ergebnisse")
    for i in range(8):
        doc.heading(f"Ergebnis {i}: Bänke am Teich", level=2)
        doc.facts([("Umsetzungsstand", "in Umsetzung"), ("Fortschritt", "40 %")])
        doc.bullets(["„Bank am Dorfteich“", "„Mehr Schatten“"], size=9)
        doc.table(
            ["Datum", "Status", "Fortschritt", "Anmerkung"],
            [["01.04.2026", "in Planung", f"{k * 25} %", "Bestellt beim Bauhof"] for k in range(4)],
            widths=(20, 28, 18, 70),
            numeric=(2,),
        )
    doc.heading("Ideen und Rückmeldungen")
    doc.table(
        ["Idee", "Unterstützungen", "Rückmeldung"],
        [
            [f"Idee {i}: Spielplatz sanieren", 100 - i, "aufgegriffen: im Haushalt 2027"]
            for i in range(100)
        ],
        widths=(55, 22, 80),
        numeric=(1,),
    )
    doc.heading("Umfragen und Bürgerhaushalt")
    for q in range(3):
        doc.table(
            ["Antwort", "Anzahl", "Anteil"],
            [[f"Antwort {c}", c * 9, f"{c * 10},0 %"] for c in range(5)],
            numeric=(1, 2),
            caption=f"Frage {q}",
        )
    doc.paragraph(f"Budget: {euro(25000)}")
    doc.source("Beteiligungsplattform Ortswandel")
    return doc.output()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
    import django

    django.setup()
    from django.utils import translation
    from pypdf import PdfReader

    from ortswandel.core.pdf import Document, euro, unicode_font

    translation.activate("de")
    font = unicode_font()
    print(f"font: {font[0] if font else 'Helvetica (fallback, no Unicode font installed)'}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    application(Document, euro)  # warm-up: imports, font metrics
    for name, build in (("application copy", application), ("final report", report)):
        times, cpu, body = [], [], b""
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            body = build(Document, euro)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        pages = len(PdfReader(io.BytesIO(body)).pages)
        median = statistics.median(times)
        print(
            f"{name}: {pages} pages, {len(body) / 1024:.1f} KiB; best {min(times) * 1000:.0f} ms, "
            f"median {median * 1000:.0f} ms, CPU median {statistics.median(cpu) * 1000:.0f} ms; "
            f"target < {TARGET_S * 1000:.0f} ms "
            f"(ratio {median / TARGET_S:.2f})"
        )


if __name__ == "__main__":
    main()
