"""German words to index terms: lower case, umlauts and ß folded, reduced to their stem.

The same function reads the indexed text and the query, so both sides always agree: "Lastenräder"
and "Lastenrad" are both "lastenrad", "Gründungen" and "Gründung" both "grundung", "Straße" and
"Strasse" both "strass"."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

_WORD = re.compile(r"\w+", re.UNICODE)
_QUERY_PART = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "æ": "ae", "œ": "oe"})
_stemmer = snowballstemmer.stemmer("german")
MAX_QUERY_WORDS = 12
PREFIX_FROM = 4  # a term of at least this many letters also finds compounds it begins: "Leerstand" → "Leerstandsflächen"


def is_prefix(term: str) -> bool:
    """Whether the engines match `term` (one word) as the beginning of longer words too."""
    return " " not in term and len(term) >= PREFIX_FROM


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The index term of one word."""
    folded = unicodedata.normalize("NFC", word.lower()).translate(_FOLD)
    folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return _stemmer.stemWord(folded)


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def terms(text: str) -> str:
    """The index terms of a text, in order, separated by spaces (positions kept for phrases)."""
    return " ".join(term(word) for word in words(text))


@dataclass
class Query:
    """What a user typed: words (all must occur), phrases ("…", in this order), excluded (-word)."""
    required: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.required or self.phrases)

    @property
    def wanted(self) -> set[str]:
        """Every term a hit is highlighted for."""
        return set(self.required) | {t for phrase in self.phrases for t in phrase}


def parse(text: str) -> Query:
    """`Lastenrad "Stadtlogistik Louise" -Sparkasse` → words, phrases and exclusions as terms."""
    query, count = Query(), 0
    for minus, phrase, word_minus, word in _QUERY_PART.findall(text or ""):
        parts = [term(w) for w in words(phrase if phrase else word)]
        parts = [p for p in parts if p]
        if not parts or count >= MAX_QUERY_WORDS:
            continue
        count += len(parts)
        if minus or word_minus:
            query.excluded.extend(parts[:1] if len(parts) == 1 else [])
            if len(parts) > 1:
                query.excluded.append(" ".join(parts))
        elif len(parts) > 1:
            query.phrases.append(parts)
        else:
            query.required.append(parts[0])
    return query


def _found(word: str, wanted: set[str]) -> bool:
    """Whether a word of a text is one the engines matched: its term, or a compound it begins."""
    found = term(word)
    return found in wanted or any(w != found and is_prefix(w) and found.startswith(w) for w in wanted)


def snippet(text: str, wanted: set[str], width: int = 28) -> Markup:
    """About `width` words of `text` around its first hit, the hits marked; escaped."""
    found = list(_WORD.finditer(text))
    if not found:
        return Markup("")
    first = next((i for i, m in enumerate(found) if _found(m.group(), wanted)), 0)
    lo = max(0, first - width // 3)
    hi = min(len(found), lo + width)
    start, end = found[lo].start(), found[hi - 1].end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return Markup(prefix) + marked(text[start:end], wanted) + Markup(suffix)


def marked(text: str, wanted: set[str]) -> Markup:
    """`text` escaped, its hits marked (a hit's title as the engines matched it)."""
    out, cursor = [], 0
    for m in _WORD.finditer(text):
        out.append(escape(text[cursor:m.start()]))
        word = escape(m.group())
        out.append(Markup(f"<mark>{word}</mark>") if _found(m.group(), wanted) else word)
        cursor = m.end()
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
