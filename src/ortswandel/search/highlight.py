"""Highlighting for search hits: matched words in ``<mark>``, everything else escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import german

SNIPPET_WORDS = 30


class Matcher:
    """Does a word match the query (same stem, or starts with the prefix)? Memoised per word,
    because the same words recur across the snippets of one page."""

    def __init__(self, parsed: german.ParsedQuery) -> None:
        self.stems = parsed.highlight_stems
        self.prefix = parsed.highlight_prefix
        self.memo: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        hit = self.memo.get(word)
        if hit is None:
            hit = not german.is_stop_word(word) and (
                german.stem(word) in self.stems
                or (bool(self.prefix) and german.fold(word).startswith(self.prefix))
            )
            self.memo[word] = hit
        return hit


def highlight(
    text: str, parsed: german.ParsedQuery, *, matcher: Matcher | None = None
) -> SafeString:
    """``text`` escaped, with ``<mark>`` around every word matching the query by stem/prefix."""
    is_match = matcher or Matcher(parsed)
    out: list[str] = []
    last = 0
    for m in german.WORD_RE.finditer(text):
        if is_match(m.group(0)):
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of input text is escaped above


def snippet(
    text: str,
    parsed: german.ParsedQuery,
    *,
    size: int = SNIPPET_WORDS,
    matcher: Matcher | None = None,
) -> SafeString:
    """About ``size`` words of ``text`` around the densest cluster of matches, highlighted."""
    tokens = list(german.WORD_RE.finditer(text))
    if not tokens:
        return mark_safe("")
    is_match = matcher or Matcher(parsed)
    flags = [is_match(t.group(0)) for t in tokens] if not parsed.is_empty else []
    start = 0
    if flags and any(flags):
        window = sum(flags[:size])
        best, best_start = window, 0
        for i in range(1, max(1, len(tokens) - size + 1)):
            window += flags[i + size - 1] - flags[i - 1]
            if window > best:
                best, best_start = window, i
        first = next(i for i in range(best_start, len(tokens)) if flags[i])
        start = max(0, min(best_start, first - 4))
    end = min(len(tokens), start + size)
    # Back up to the start if the window would run past the end anyway.
    if end - start < size:
        start = max(0, end - size)
    stop = tokens[end].start() if end < len(tokens) else len(text)
    fragment = text[tokens[start].start() : stop].rstrip()
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(tokens) else ""
    body = (
        highlight(fragment, parsed, matcher=is_match) if not parsed.is_empty else escape(fragment)
    )
    return mark_safe(f"{lead}{body}{tail}")  # noqa: S308 - the fragment is escaped
