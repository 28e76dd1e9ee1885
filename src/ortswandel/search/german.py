"""German text handling for search: tokenising, stop words, Snowball stemming, query parsing.

Used on both sides of the SQLite FTS5 index (the document text is stored as stems, the query is
stemmed the same way) and, on every backend, to highlight matches in snippets. PostgreSQL stems
with its own ``german`` configuration; the query *parsing* here is shared so that both backends
accept exactly the same input and never see operator syntax from the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Letters and digits only: everything else (quotes, brackets, operators, ``*``, ``:``, ``_``)
# separates words, so no user input can reach the FTS engine as syntax.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
PHRASE_RE = re.compile(r'"([^"]*)"')
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MIN_PREFIX = 3

# The Snowball German stop-word list (the one PostgreSQL's ``german`` configuration uses), so that
# "Kommunen und Städte" behaves the same on SQLite and PostgreSQL.
STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den
    des dem die das dass daß du er ihn ihm es ihr ihre ihrem ihren ihrer ihres euch eure eurem
    euren eurer eures dasselbe dazu dein deine deinem deinen deiner deines denn derer dessen
    dich dir dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer
    eines einig einige einigem einigen einiger einiges einmal etwas für gegen gewesen hab habe
    haben hat hatte hatten hier hin hinter ich mich mir im in indem ins ist jede jedem jeden
    jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
    können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen
    meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
    seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher
    solches soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres
    unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen
    welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde
    würden zu zum zur zwar zwischen
    """.split()  # noqa: SIM905 - the published list, kept readable
)

_stemmer = snowballstemmer.stemmer("german")


def fold(word: str) -> str:
    """Lower-case and strip diacritics (``Förderung`` → ``forderung``), as FTS5 does."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball German stem of one word, folded (``Kommunen`` → ``kommun``)."""
    return fold(_stemmer.stemWord(word.casefold()))


def words(text: str) -> list[str]:
    """The words of ``text`` in order (letters and digits; everything else separates)."""
    return WORD_RE.findall(text)


def is_stop_word(word: str) -> bool:
    return word.casefold() in STOP_WORDS


def stems(text: str) -> list[str]:
    """Stems of all non-stop words of ``text``, in order (the SQLite index representation)."""
    return [stem(w) for w in WORD_RE.findall(text) if w.casefold() not in STOP_WORDS]


def stemmed_text(text: str) -> str:
    return " ".join(stems(text))


def folded_text(text: str) -> str:
    """Unstemmed folded words (used for prefix matching of an unfinished last word)."""
    return " ".join(fold(w) for w in WORD_RE.findall(text) if w.casefold() not in STOP_WORDS)


@dataclass(frozen=True)
class ParsedQuery:
    """A user query reduced to plain data: no operator from the input survives parsing.

    ``terms`` are single words (all required), ``phrases`` are word sequences (each required, in
    order), ``prefix`` is the last bare word, which also matches as a prefix (search-as-you-type).
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str = ""
    raw: str = ""
    all_words: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefix)

    @property
    def highlight_stems(self) -> frozenset[str]:
        return frozenset(stem(w) for w in self.all_words)

    @property
    def highlight_prefix(self) -> str:
        return fold(self.prefix) if self.prefix else ""


def parse_query(raw: str) -> ParsedQuery:
    """Split ``raw`` into required words, quoted phrases and a last-word prefix.

    Unbalanced quotes are ignored; stop words are dropped (as PostgreSQL does); at most
    ``MAX_TERMS`` words are used. The last bare word, when the query ends with it and it has at
    least ``MIN_PREFIX`` letters, also matches as a prefix (search-as-you-type). The caller checks
    the length (``MAX_QUERY_LENGTH``) first.
    """
    text = raw.strip()
    phrases: list[tuple[str, ...]] = []
    for match in PHRASE_RE.finditer(text):
        phrase_words = tuple(w for w in words(match.group(1)) if not is_stop_word(w))
        if phrase_words:
            phrases.append(phrase_words)
    rest = PHRASE_RE.sub(" ", text).rstrip()
    bare = [w for w in words(rest) if not is_stop_word(w)]
    prefix = ""
    if bare and len(bare[-1]) >= MIN_PREFIX and rest.endswith(bare[-1]) and text.endswith(bare[-1]):
        prefix = bare.pop()

    budget = MAX_TERMS
    terms: list[str] = []
    seen: set[str] = set()
    for w in bare:
        if budget <= 0:
            break
        if stem(w) not in seen:
            seen.add(stem(w))
            terms.append(w)
            budget -= 1
    kept_phrases: list[tuple[str, ...]] = []
    for p in phrases:
        if budget <= 0:
            break
        kept = p[:budget]
        budget -= len(kept)
        if len(kept) == 1 and stem(kept[0]) not in seen:
            seen.add(stem(kept[0]))
            terms.append(kept[0])
        elif len(kept) > 1:
            kept_phrases.append(kept)
    if budget <= 0:
        prefix = ""
    all_words = (*terms, *(w for p in kept_phrases for w in p), *((prefix,) if prefix else ()))
    return ParsedQuery(
        terms=tuple(terms),
        phrases=tuple(kept_phrases),
        prefix=prefix,
        raw=raw,
        all_words=tuple(all_words),
    )


def fts5_query(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression over the stemmed columns (and the folded column for the prefix).

    Every token is a stem of letters/digits wrapped in double quotes, so the expression can never
    contain FTS5 operators taken from the input.
    """
    parts = [f'{{title body}} : "{stem(w)}"' for w in parsed.terms]
    parts += ['{title body} : "' + " ".join(stem(w) for w in p) + '"' for p in parsed.phrases]
    if parsed.prefix:
        parts.append(
            f'({{title body}} : "{stem(parsed.prefix)}" OR raw : "{fold(parsed.prefix)}"*)'
        )
    return " AND ".join(parts)
