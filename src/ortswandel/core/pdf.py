"""PDF documents in the house layout (fpdf2: pure Python, no system libraries).

:class:`Document` is a small builder for the platform's PDF downloads (copies of applications,
grant letters, final reports): a title block with metadata lines, headings (also as PDF
bookmarks), paragraphs, sanitised rich text rendered as plain paragraphs and lists, simple
tables, server-rendered SVG charts (:mod:`ortswandel.core.charts`) as vector graphics with their
text alternative, "Quelle" lines, and a footer with the page numbers. Pages are A4, portrait
by default (``orientation="landscape"`` for wide tables). The PDF carries its title, language
(``de``), author and subject as document metadata.

Font: text is set in a Unicode TrueType font found on this machine (:func:`unicode_font`):
DejaVu Sans (Debian ``fonts-dejavu-core``, installed by ``scripts/install_system_deps.sh``) or
Liberation Sans; only the glyphs used are embedded (subset). Nothing is fetched at run time. Where
no such font is installed the document falls back to the PDF core font Helvetica in the
Windows-1252 encoding, which covers German text and €; letters outside it lose their accents
("Łukasz" → "Lukasz") rather than failing — the system check ``ortswandel.W010`` warns about it.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .richtext import sanitize_html

CONTENT_TYPE = "application/pdf"

#: Unicode fonts looked for, first found wins: (family, regular, bold).
FONT_CANDIDATES: tuple[tuple[str, str, str], ...] = (
    (
        "DejaVuSans",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "LiberationSans",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
)
FALLBACK_FAMILY = "Helvetica"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_NOT_DECOMPOSABLE = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "ħ": "h"})

# Layout (mm, pt)
MARGIN = 20
BODY = 10
SMALL = 8
LINE = 5
MUTED = (90, 90, 90)  # contrast 7.4:1 on white
HEAD_FILL = (230, 230, 230)
CELL_PAD = (0.6, 1.2)  # table cell padding (vertical, horizontal)
_VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')

logger = logging.getLogger(__name__)


@functools.cache
def unicode_font() -> tuple[str, str, str] | None:
    """``(family, regular path, bold path)`` of the first installed Unicode font, or ``None``."""
    for family, regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return family, regular, bold
    return None


def plain(value: Any) -> str:
    """Text as it may go into a PDF: ``None`` → "", control characters removed."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def _cp1252(text: str) -> str:
    """Text the core font can draw: characters outside Windows-1252 without their accents."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch.translate(_NOT_DECOMPOSABLE))
            bare = "".join(c for c in base if not unicodedata.combining(c))
            out.append(bare.encode("cp1252", "replace").decode("cp1252"))
        else:
            out.append(ch)
    return "".join(out)


_LATIN1 = str.maketrans(  # quotes as entities: they may stand in attribute values
    {
        "–": "-",
        "—": "-",
        "−": "-",
        "„": "&quot;",
        "“": "&quot;",
        "”": "&quot;",
        "‚": "&apos;",
        "‘": "&apos;",
        "’": "&apos;",
        "…": "...",
        "€": "EUR",
        "•": "*",
        "\u202f": " ",
    }
)


def _svg_text(markup: str) -> str:
    """SVG markup whose text fpdf2 can draw: it sets SVG text in the core font Helvetica,
    which knows Latin-1 only — typographic dashes and quotes become their ASCII forms, € "EUR",
    other letters lose their accents. (The text alternative below the chart keeps Unicode.)"""
    text = markup.translate(_LATIN1)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        else:
            base = unicodedata.normalize("NFKD", ch.translate(_NOT_DECOMPOSABLE))
            bare = "".join(c for c in base if not unicodedata.combining(c))
            out.append(bare.encode("latin-1", "replace").decode("latin-1"))
    return "".join(out)


def euro(value: Decimal | float | int | str | None, digits: int = 2) -> str:
    """``12500`` → "12.500,00 €" (in the active language's number format); ``None`` → "–"."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return plain(value)
    return f"{number_format(number, digits, force_grouping=True)} €"


def local_datetime(value: datetime | None) -> str:
    """An aware datetime in Europe/Berlin (the site's time zone), e.g. "05.03.2026 14:30"."""
    if value is None:
        return "–"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


class _Blocks(HTMLParser):
    """Sanitised rich text → ``(kind, text, depth)`` blocks: ``p``, ``h``, ``li``, ``quote``."""

    BLOCK = {"p", "h2", "h3", "h4", "li", "blockquote", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, int]] = []
        self._text: list[str] = []
        self._lists: list[list[Any]] = []  # [ordered, counter]
        self._kind = "p"
        self._href: str | None = None
        self._link_text: list[str] = []
        self._quote = 0
        self._cells: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"[ \t]+", " ", "".join(self._text)).strip()
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        if text:
            kind = "quote" if self._quote and self._kind == "p" else self._kind
            self.blocks.append((kind, text, len(self._lists)))
        self._text = []
        self._kind = "p"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self._lists.append([tag == "ol", int(dict(attrs).get("start") or 1) - 1])
        elif tag == "li":
            self._flush()
            marker = "•"
            if self._lists:
                ordered = self._lists[-1]
                if ordered[0]:
                    ordered[1] += 1
                    marker = f"{ordered[1]}."
            self._kind = "li"
            self._text.append(marker + "\u00a0")
        elif tag in self.BLOCK:
            self._flush()
            self._kind = "h" if tag in ("h2", "h3", "h4") else "p"
            if tag == "blockquote":
                self._quote += 1
            if tag == "tr":
                self._cells = []
        elif tag == "br":
            self._text.append("\n")
        elif tag in ("td", "th"):
            self._text.append(" | " if self._cells else "")
            self._cells.append(tag)
        elif tag == "a":
            self._href = dict(attrs).get("href")
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag == "blockquote":
            self._flush()
            self._quote = max(0, self._quote - 1)
        elif tag in self.BLOCK:
            self._flush()
        elif tag == "a":
            label = "".join(self._link_text).strip()
            href = self._href or ""
            if href and href != label and href.startswith(("http://", "https://", "mailto:")):
                self._text.append(f" ({href.removeprefix('mailto:')})")
            self._href = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._href is not None:
            self._link_text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(html: str | None) -> list[tuple[str, str, int]]:
    """Rich text (sanitised again here, whatever its origin) as plain blocks; no markup survives."""
    parser = _Blocks()
    parser.feed(sanitize_html(html or ""))
    parser.close()
    return parser.blocks


def _make_fpdf() -> Any:
    from fpdf import FPDF

    class _PDF(FPDF):
        ow_footer = ""
        ow_family = FALLBACK_FAMILY
        ow_convert = staticmethod(plain)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(self.ow_family, "", SMALL - 1)
            self.set_text_color(*MUTED)
            width = self.w - self.l_margin - self.r_margin
            page = self.ow_convert(
                _("Seite %(n)s von %(total)s") % {"n": self.page_no(), "total": "{nb}"}
            )
            self.cell(width * 0.75, 5, self.ow_convert(self.ow_footer), align="L")
            self.cell(width * 0.25, 5, page, align="R")
            self.set_text_color(0, 0, 0)

    return _PDF


class Document:
    """One PDF document in the house layout (A4, portrait unless ``orientation="landscape"``).

    ``title`` becomes the document title (metadata and window title); ``footer`` the text left
    in every page footer (default: "Ortswandel · erstellt am <date>").
    """

    def __init__(
        self,
        *,
        title: str,
        subject: str = "",
        author: str = "Ortswandel",
        keywords: Sequence[str] = (),
        footer: str | None = None,
        created: datetime | None = None,
        orientation: str = "portrait",
    ) -> None:
        from fpdf.enums import PageMode
        from fpdf.prefs import ViewerPreferences

        self.created = created or timezone.now()
        if orientation not in ("portrait", "landscape"):
            raise ValueError(f"orientation must be portrait or landscape, not {orientation!r}")
        pdf = _make_fpdf()(orientation=orientation, unit="mm", format="A4")
        font = unicode_font()
        if font is not None:
            family, regular, bold = font
            pdf.add_font(family, "", regular)
            pdf.add_font(family, "B", bold)
            pdf.ow_family = family
        else:
            pdf.core_fonts_encoding = "windows-1252"
            pdf.ow_convert = lambda value: _cp1252(plain(value))
        self.pdf = pdf
        self.family: str = pdf.ow_family
        self._t = pdf.ow_convert
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_title(self._t(title))
        pdf.set_lang("de")
        pdf.set_author(self._t(author))
        pdf.set_creator("Ortswandel")
        if subject:
            pdf.set_subject(self._t(subject))
        if keywords:
            pdf.set_keywords(self._t(", ".join(keywords)))
        pdf.set_creation_date(self.created)
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        pdf.page_mode = PageMode.USE_OUTLINES
        stamp = date_format(timezone.localtime(self.created), "SHORT_DATE_FORMAT")
        pdf.ow_footer = (
            footer
            if footer is not None
            else _("Ortswandel · erstellt am %(date)s") % {"date": stamp}
        )
        pdf.add_page()
        pdf.set_font(self.family, "", BODY)

    # --- building blocks ------------------------------------------------------------------

    @property
    def width(self) -> float:
        return float(self.pdf.w - self.pdf.l_margin - self.pdf.r_margin)

    def _write(
        self,
        text: str,
        *,
        size: float = BODY,
        bold: bool = False,
        height: float = LINE,
        indent: float = 0,
        muted: bool = False,
    ) -> None:
        pdf = self.pdf
        pdf.set_font(self.family, "B" if bold else "", size)
        if muted:
            pdf.set_text_color(*MUTED)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            self.width - indent, height, self._t(text), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(0, 0, 0)

    def title_block(self, title: str, lines: Sequence[str] = ()) -> None:
        """The document's title (bookmarked) and its metadata lines below it."""
        self.pdf.start_section(self._t(title)[:120], level=0)
        self._write(title, size=16, bold=True, height=8)
        for line in lines:
            if line:
                self._write(line, size=SMALL + 1, height=4.5, muted=True)
        self.pdf.ln(4)

    def heading(self, text: str, level: int = 1) -> None:
        """A heading (level 1 or 2); it moves to the next page rather than stand alone."""
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        pdf.ln(3 if level == 1 else 1.5)
        pdf.start_section(self._t(text)[:120], level=min(level, 2))
        self._write(text, size=13 if level == 1 else 11, bold=True, height=7 if level == 1 else 6)
        pdf.ln(1)

    def paragraph(
        self, text: str, *, size: float = BODY, muted: bool = False, indent: float = 0
    ) -> None:
        if plain(text).strip():
            self._write(text, size=size, muted=muted, indent=indent)
            self.pdf.ln(1.5)

    def bullets(self, items: Sequence[str], *, size: float = BODY) -> None:
        for item in items:
            self._write(f"•\u00a0{item}", size=size, indent=4)
        self.pdf.ln(1.5)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Label/value rows (a definition list): the label bold, the value wrapped beside it."""
        pdf = self.pdf
        label_width = min(55.0, self.width * 0.35)
        for label, value in pairs:
            if pdf.get_y() > pdf.h - 40:  # room for the label (short); the value may break
                pdf.add_page()
            pdf.set_font(self.family, "B", BODY)
            y, page = pdf.get_y(), pdf.page
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(
                label_width - 2, LINE, self._t(label), align="L", new_x="LMARGIN", new_y="NEXT"
            )
            label_end = pdf.get_y()
            pdf.set_xy(pdf.l_margin + label_width, y)
            pdf.set_font(self.family, "", BODY)
            text = self._t(value) or "–"
            pdf.multi_cell(
                self.width - label_width, LINE, text, align="L", new_x="LMARGIN", new_y="NEXT"
            )
            bottom = pdf.get_y() if pdf.page != page else max(pdf.get_y(), label_end)
            pdf.set_y(bottom + 1)
        pdf.ln(1.5)

    def rich_text(self, html: str | None) -> None:
        """Sanitised HTML from the editor as paragraphs, headings and lists (never as markup)."""
        for kind, text, depth in html_blocks(html):
            if kind == "h":
                self._write(text, bold=True, height=6)
            elif kind == "li":
                self._write(text, indent=4 * max(depth, 1))
            elif kind == "quote":
                self._write(text, indent=6, muted=True)
            else:
                self._write(text)
            self.pdf.ln(1 if kind == "li" else 1.5)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        numeric: Sequence[int] = (),
        caption: str = "",
        size: float = SMALL + 1,
        width: float | None = None,
        truncate: bool = False,
    ) -> None:
        """A simple table; the header row repeats on every page; ``numeric`` columns align right.
        Cells are plain text (``None`` → "–"). ``widths`` are relative column widths over
        ``width`` (default: the text width).

        Where every cell fits on one line the table is drawn cell by cell (no layout pass:
        ~25 % less CPU for bench/bench_pdf.py's final report; with the embedded Unicode font
        most of the time goes into text widths either way); otherwise fpdf2 lays it out with
        wrapped cells. ``truncate=True`` always draws one line per
        cell and shortens what does not fit ("Bevölk.") — for wide numeric tables whose
        column headers are long."""
        pdf = self.pdf
        if caption:
            if pdf.get_y() > pdf.h - 40:
                pdf.add_page()
            self._write(caption, size=size, bold=True)
            pdf.ln(0.5)
        total = min(width or self.width, self.width)
        n = len(header)
        rel = list(widths) if widths else [1.0] * n
        cols = [total * w / sum(rel) for w in rel]
        head = [self._t(cell) for cell in header]
        body = [[self._t("–" if v is None or v == "" else v) for v in values] for values in rows]
        align = ["R" if i in numeric else "L" for i in range(n)]
        if truncate or self._fits(head, body, cols, size):
            self._grid(head, body, cols, align, size, truncate=truncate)
        else:
            self._fpdf_table(head, body, rel, align, size, total=total)
        pdf.ln(3)

    def _fits(self, head: list[str], body: list[list[str]], cols: list[float], size: float) -> bool:
        pdf = self.pdf
        room = [c - 2 * CELL_PAD[1] for c in cols]
        pdf.set_font(self.family, "B", size)
        if any(pdf.get_string_width(t) > room[j] or "\n" in t for j, t in enumerate(head)):
            return False
        pdf.set_font(self.family, "", size)
        return all(
            len(r) <= len(cols)
            and all(pdf.get_string_width(t) <= room[j] and "\n" not in t for j, t in enumerate(r))
            for r in body
        )

    def _shorten(self, text: str, room: float) -> str:
        text = text.replace("\n", " ")
        if self.pdf.get_string_width(text) <= room:
            return text
        while len(text) > 2 and self.pdf.get_string_width(text + ".") > room:
            text = text[:-1]
        return text.rstrip() + "."

    def _grid(
        self,
        head: list[str],
        body: list[list[str]],
        cols: list[float],
        align: list[str],
        size: float,
        *,
        truncate: bool,
    ) -> None:
        """The fast path: one line per cell, drawn with ``cell`` (no layout pass)."""
        pdf = self.pdf
        height = size * 0.5 + 2 * CELL_PAD[0]
        room = [c - 2 * CELL_PAD[1] for c in cols]
        c_margin = pdf.c_margin
        pdf.c_margin = CELL_PAD[1]

        def draw_head() -> None:
            pdf.set_font(self.family, "B", size)
            pdf.set_fill_color(*HEAD_FILL)
            pdf.set_x(pdf.l_margin)
            for j, text in enumerate(head):
                shown = self._shorten(text, room[j]) if truncate else text
                pdf.cell(cols[j], height, shown, border=1, fill=True, align=align[j])
            pdf.ln(height)
            pdf.set_font(self.family, "", size)

        if pdf.get_y() + 2 * height > pdf.page_break_trigger:
            pdf.add_page()
        draw_head()
        for values in body:
            if pdf.get_y() + height > pdf.page_break_trigger:
                pdf.add_page()
                draw_head()
            pdf.set_x(pdf.l_margin)
            for j, text in enumerate(values[: len(cols)]):
                shown = self._shorten(text, room[j]) if truncate else text
                pdf.cell(cols[j], height, shown, border=1, align=align[j])
            pdf.ln(height)
        pdf.c_margin = c_margin

    def _fpdf_table(
        self,
        head: list[str],
        body: list[list[str]],
        rel: list[float],
        align: list[str],
        size: float,
        *,
        total: float,
    ) -> None:
        """The general path: fpdf2's table layout with wrapped cells."""
        from fpdf.fonts import FontFace

        pdf = self.pdf
        pdf.set_font(self.family, "", size)
        names = {"L": "LEFT", "R": "RIGHT"}
        with pdf.table(
            col_widths=tuple(rel),
            text_align=tuple(names[a] for a in align),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            line_height=size * 0.5,
            width=total,
            first_row_as_headings=True,
            repeat_headings=1,
            padding=CELL_PAD,
        ) as table:
            row = table.row()
            for cell in head:
                row.cell(cell)
            for values in body:
                row = table.row()
                for cell in values:
                    row.cell(cell)

    def chart(
        self,
        svg: Any,
        text: str,
        *,
        title: str = "",
        width: float = 140,
        level: int = 2,
    ) -> None:
        """A server-rendered SVG chart (:mod:`ortswandel.core.charts`) drawn as vector graphics,
        ``width`` mm wide (at most the text width), with its text alternative below and its
        ``title`` as a heading (bookmarked at ``level``) above. A chart fpdf2 cannot draw is
        left out (logged); its title and text alternative are still printed."""
        pdf = self.pdf
        width = min(width, self.width)
        markup = str(svg).replace('width="100%"', 'width="480"')
        box = _VIEWBOX.search(markup)
        height = width * float(box[2]) / float(box[1]) if box and float(box[1]) else width * 0.6
        if pdf.get_y() + height + 20 > pdf.page_break_trigger:
            pdf.add_page()
        if title:
            self.heading(title, level=level)
        markup = _svg_text(markup)
        logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # <title>/<desc> are not drawn
        try:
            pdf.image(io.BytesIO(markup.encode("utf-8")), w=width)
        except Exception:  # a chart fpdf2 cannot draw: its text (and table) follow anyway
            logger.warning("chart %r not drawn in the PDF", title or text[:40], exc_info=True)
        pdf.ln(1)
        self.paragraph(text, size=SMALL, muted=True)

    def source(self, text: str, *, as_of: datetime | None = None) -> None:
        """A "Quelle: …" line (with its "Stand" date when given)."""
        line = _("Quelle: %(source)s") % {"source": text}
        if as_of is not None:
            line += " " + _("(Stand: %(date)s)") % {
                "date": date_format(timezone.localtime(as_of), "SHORT_DATE_FORMAT")
            }
        self._write(line, size=SMALL, muted=True, height=4)
        self.pdf.ln(1.5)

    def new_page(self) -> None:
        self.pdf.add_page()

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def check_font(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """``ortswandel.W010``: no Unicode font for PDFs (registered as a deploy check)."""
    from django.core.checks import Warning

    if unicode_font() is not None:
        return []
    return [
        Warning(
            "No Unicode TrueType font for PDF documents: names outside Windows-1252 lose their "
            "accents (Łukasz → Lukasz).",
            hint="Install Debian's fonts-dejavu-core (scripts/install_system_deps.sh).",
            id="ortswandel.W010",
        )
    ]


def download_response(body: bytes, name: str, content_type: str = CONTENT_TYPE) -> HttpResponse:
    """A private download (``attachment``, not cached by shared caches, never sniffed)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def zip_bytes(files: Sequence[tuple[str, bytes]]) -> bytes:
    """Several documents in one ZIP archive (names made unique)."""
    import zipfile

    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in files:
            unique, i = name, 1
            while unique in seen:
                i += 1
                stem, dot, ext = name.rpartition(".")
                unique = f"{stem}-{i}.{ext}" if dot else f"{name}-{i}"
            seen.add(unique)
            archive.writestr(unique, body)
    return buffer.getvalue()
