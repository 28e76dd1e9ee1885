"""The PDF builder of the house (ortswandel.core.pdf): layout blocks, metadata, rich text as plain
text, the font fallback, downloads. The text is extracted from the real PDF (pypdf)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ortswandel.core import pdf
from ortswandel.core.pdf import Document, euro, html_blocks


def text_of(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def test_rich_text_becomes_plain_blocks_and_nothing_runs():
    blocks = html_blocks(
        '<h2>Ziele</h2><p>Mehr <strong>Grün</strong> &amp; <a href="https://example.org/x">Bänke</a>'
        '<img src=x onerror="alert(1)"></p><script>alert(2)</script>'
        '<ol start="3"><li>eins<ul><li>innen</li></ul></li><li>zwei</li></ol>'
        "<blockquote><p>Zitat</p></blockquote><p>a<br>b</p>"
    )
    assert blocks == [
        ("h", "Ziele", 0),
        ("p", "Mehr Grün & Bänke (https://example.org/x)", 0),
        ("li", "3.\u00a0eins", 1),
        ("li", "•\u00a0innen", 2),
        ("li", "4.\u00a0zwei", 1),
        ("quote", "Zitat", 0),
        ("p", "a\nb", 0),
    ]


def test_document_metadata_layout_and_page_numbers():
    doc = Document(title="Bericht über Görlitz", subject="Test", keywords=["Kommune"])
    doc.title_block("Bericht über Görlitz", ["Stand: heute"])
    doc.heading("Finanzen")
    doc.table(
        ["Jahr", "Betrag"],
        [[2000 + i, euro(Decimal(i * 1000))] for i in range(90)],
        numeric=(1,),
    )
    doc.rich_text("<p>Ende <em>gut</em></p>")
    doc.source("Statistisches Amt")
    body = doc.output()
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata.title == "Bericht über Görlitz"
    assert reader.metadata.subject == "Test"
    assert reader.trailer["/Root"]["/Lang"] == "de"
    pages = text_of(body)
    assert len(pages) >= 2
    assert f"Seite 1 von {len(pages)}" in pages[0]
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    assert "Jahr" in pages[1] and "Betrag" in pages[1]  # the header row repeats
    assert "89.000,00 €" in pages[-1]
    assert "Ende gut" in pages[-1] and "Quelle: Statistisches Amt" in pages[-1]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Bericht über Görlitz" in outline


def test_without_a_unicode_font_german_text_and_euro_survive(monkeypatch):
    monkeypatch.setattr(pdf, "unicode_font", lambda: None)
    doc = Document(title="Grüße")
    doc.paragraph("Grüße aus Weißwasser: 12.500 € – Łukasz Dvořák\x00")
    text = text_of(doc.output())[0]
    # á is in Windows-1252 and stays; Ł and ř are not and lose their marks
    assert "Grüße aus Weißwasser: 12.500 € – Lukasz Dvorák" in text
    assert pdf.check_font()[0].id == "ortswandel.W010"


@pytest.mark.skipif(pdf.unicode_font() is None, reason="no Unicode font installed")
def test_with_the_unicode_font_names_keep_their_letters():
    doc = Document(title="Namen")
    doc.paragraph("Łukasz Dvořák, Şahin Øberg, Zoë")
    assert "Łukasz Dvořák, Şahin Øberg, Zoë" in text_of(doc.output())[0]
    assert pdf.check_font() == []


def test_downloads_and_archives():
    response = pdf.download_response(b"%PDF-1.4", "bericht.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bericht.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(pdf.zip_bytes([("a.pdf", b"1"), ("a.pdf", b"2")])))
    assert archive.namelist() == ["a.pdf", "a-2.pdf"]
    assert archive.read("a-2.pdf") == b"2"
    assert euro(None) == "–"


CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 400 200" role="img">'
    '<rect x="10" y="10" width="100" height="150" fill="#1f4e79"/>'
    '<line x1="0" y1="190" x2="400" y2="190" stroke="#000"/></svg>'
)


def test_landscape_chart_and_fast_table():
    doc = Document(title="Bericht", orientation="landscape")
    doc.chart(CHART, "Balken: Kita 120 Plätze – Schule 80 €", title="Plätze je Einrichtung")
    doc.table(
        ["Jahr", "Einwohner"], [[2025 + i, f"{16000 - i:,}"] for i in range(80)], numeric=(1,)
    )
    doc.table(["Bezeichnung sehr lang", "x"], [["a", 1]], widths=(1, 1), width=50, truncate=True)
    reader = PdfReader(io.BytesIO(doc.output()))
    assert all(p.mediabox.width > p.mediabox.height for p in reader.pages)
    assert len(reader.pages) >= 2  # the long table broke onto the next page
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Kita 120 Plätze – Schule 80 €" in text and "Plätze je Einrichtung" in text
    assert "16000" in text.replace(",", "") and "2104" in text
    assert text.count("Einwohner") >= 2  # the header row repeats on the new page
    assert "Bezeich" in text and "Bezeichnung sehr lang" not in text  # shortened to fit
    with pytest.raises(ValueError):
        Document(title="x", orientation="sideways")


def test_a_chart_fpdf_cannot_draw_keeps_its_text(caplog):
    doc = Document(title="Bericht")
    with caplog.at_level("WARNING", logger="ortswandel.core.pdf"):
        doc.chart("<svg><g", "Die Zahlen stehen in der Tabelle.", title="Kaputt")
    text = PdfReader(io.BytesIO(doc.output())).pages[0].extract_text()
    assert "Die Zahlen stehen in der Tabelle." in text and "Kaputt" in text
    assert "not drawn" in caplog.text
