"""Which business a piece of text names: one resolver for every source.

A business is known by its id, its name and its aliases (abbreviations among them). Text
names it when the label's words appear in order, whatever the case and punctuation between
them ("Elm St. duplex", "elm-st-duplex", "ELM ST DUPLEX"), with a plural or possessive on
any word ("Harbor Flats'" for "Harbor Flat") and the usual street words spelt either way
("St"/"Street", "Ave"/"Avenue", "Rd"/"Road"). A short all-capitals alias ("HYD") is matched
in capitals only, so it does not fire on the same letters in ordinary prose. An alias that
starts with an article or a possessive ("the cart", "our loft") is also said without it ("Cart's
shut tomorrow", "Cart, I'm putting the latte up"), as people drop it in speech and in shorthand.

Sources ask it in the order the design gives: a front matter or ledger value (``label``),
then a heading, a title, a file or folder name, then an item's own words (``in_text``).
Last, a line that names no business may still say what kind of business it is about ("the
tenant in unit B", "the biggest retainer I have"): ``by_kind`` gives it to the one business
of that kind, where the workspace has exactly one (the words are ``mentions`` in
``kinds.toml``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping, Protocol

__all__ = ["EntityResolver", "normal_label"]

# street words written either way: one pattern per family, the same key for label matching
_VARIANTS: dict[str, tuple[str, str]] = {}
for _family, _pattern in (
    (("st", "street", "str"), r"st(?:r(?:eet)?)?"),
    (("ave", "av", "avenue"), r"av(?:e(?:nue)?)?"),
    (("rd", "road"), r"r(?:oa)?d"),
    (("ln", "lane"), r"l(?:a)?ne?"),
    (("dr", "drive"), r"dr(?:ive)?"),
    (("blvd", "boulevard"), r"b(?:ou)?l(?:e)?v(?:ar)?d"),
    (("co", "company"), r"co(?:mpany)?"),
    (("and", "&"), r"(?:and|&)"),
):
    for _word in _family:
        _VARIANTS[_word] = (_family[0], _pattern)

_WORDS = re.compile(r"[a-z0-9&]+")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,4}")
_MIN_LABEL = 3  # a label shorter than this (other than an acronym) names nothing in text
_ARTICLE = re.compile(r"(?i)(?:the|our|my)\s+(?=\S)")
_MIN_BARE = 4  # shorter bare words ("the van" → "van", "the bar") are too common to name a business alone
# a web or mail address: "greenlinelandscape.com", "marcus@ledgerlightbooks.example.com"
_TLDS = r"(?:com|net|org|io|co|uk|us|ca|au|biz|info|app|dev|shop|store|site|online)(?![\w-])"
_ADDRESS_END = re.compile(r"\." + _TLDS, re.I)  # (looked for first: ~0.3 µs an item, the whole search ~5)
_ADDRESS = re.compile(r"(?<![\w.-])(?:[\w.+-]+@)?((?:[a-z0-9-]+\.)+)" + _TLDS, re.I)
_MIN_RUN = 5  # characters: a label run together in an address shorter than this matches too much


class _Entity(Protocol):
    id: str
    name: str
    aliases: list[str]
    kind: str | None


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def normal_label(text: str) -> str:
    """A label's key: lower-case words, singular, street words in one spelling."""
    words = _WORDS.findall(text.lower().replace("'s", ""))
    return " ".join(_VARIANTS[w][0] if w in _VARIANTS else _singular(w) for w in words)


def _word_pattern(word: str) -> str:
    if word in _VARIANTS:
        return _VARIANTS[word][1]
    if word.isdigit():
        return re.escape(word)
    stem = _singular(word)
    if stem.endswith("y") and stem != word:  # "properties" → "propert(?:y|ies)"
        return re.escape(stem[:-1]) + r"(?:y|ies)(?:'s?)?"
    return re.escape(stem) + r"(?:e?s)?(?:'s?)?"


def _label_pattern(label: str, *, exact: bool = False) -> str | None:
    """A name or alias with its words' plurals and street variants; an ``exact`` label (an
    id, written for machines: ``books``) only as written, or a tenant's "appt book" would
    name the bookkeeping business."""
    words = _WORDS.findall(label.lower())
    if not words:
        return None
    if exact:
        return r"[\W_]*".join(re.escape(w) for w in words) + r"(?:'s)?"
    return r"[\W_]*".join(_word_pattern(w) for w in words)


class EntityResolver:
    """Names the configured business that a value, a name or a text refers to."""

    def __init__(self, entities: Iterable[_Entity], mentions: Mapping[str, Iterable[str]] | None = None) -> None:
        """``mentions``: per kind of business, the words that say a line is about one (for ``by_kind``)."""
        entities = list(entities)
        self.ids: frozenset[str] = frozenset()
        self._by_key: dict[str, str] = {}
        plain: list[tuple[str, str]] = []  # (pattern, id), matched case-insensitively
        capitals: list[tuple[str, str]] = []  # (acronym, id), matched as written
        ids = set()
        for entity in entities:
            ids.add(entity.id)
            bare = [m.string[m.end():] for a in entity.aliases if (m := _ARTICLE.match(a.strip()))]
            for label in (entity.id, entity.name, *entity.aliases, *bare):
                key = normal_label(label)
                if key:
                    self._by_key.setdefault(key, entity.id)
                stripped = label.strip()
                if _ACRONYM.fullmatch(stripped):
                    capitals.append((re.escape(stripped) + r"(?:'?s)?", entity.id))
                    continue
                pattern = _label_pattern(label, exact=label is entity.id and label not in (entity.name, *entity.aliases))
                least = _MIN_BARE if label in bare and label not in entity.aliases else _MIN_LABEL
                if pattern and len(key.replace(" ", "")) >= least:
                    plain.append((pattern, entity.id))
        self.ids = frozenset(ids)
        # longest first, so "Harbor Flats Annex" wins over "Harbor Flats" at the same place
        plain.sort(key=lambda p: -len(p[0]))
        capitals.sort(key=lambda p: -len(p[0]))
        self._plain_ids = [eid for _, eid in plain]
        self._capital_ids = [eid for _, eid in capitals]
        self._plain = re.compile(
            r"(?<![a-z0-9])(?:" + "|".join(f"({p})" for p, _ in plain) + r")(?![a-z0-9])", re.I
        ) if plain else None
        self._capitals = re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(f"({p})" for p, _ in capitals) + r")(?![A-Za-z0-9])"
        ) if capitals else None
        self.in_text = lru_cache(maxsize=65536)(self._in_text)  # headings and titles repeat
        # each label run together ("greenline"), longest first, for addresses
        self._runs = sorted(((run, eid) for key, eid in self._by_key.items()
                             if len(run := key.replace(" ", "")) >= _MIN_RUN), key=lambda r: -len(r[0]))
        # the kinds that exactly one business has, and the words that mention them
        of_kind: dict[str, list[str]] = {}
        for entity in entities:
            if getattr(entity, "kind", None):
                of_kind.setdefault(entity.kind, []).append(entity.id)  # type: ignore[arg-type]
        self._kinds = [(re.compile("|".join(words)), owners[0]) for kind, owners in of_kind.items()
                       if len(owners) == 1 and (words := list((mentions or {}).get(kind, ())))]

    def __bool__(self) -> bool:
        return bool(self.ids)

    def label(self, value: object) -> str | None:
        """The business a whole value names (front matter ``entity``, a ledger cell), or None."""
        text = str(value).strip()
        if not text:
            return None
        if text in self.ids:
            return text
        return self._by_key.get(normal_label(text))

    def _in_text(self, text: str | None) -> str | None:
        """The business the text names, anywhere in it; None when it names none, or several
        (an item about two businesses is the group's)."""
        found = self.named(text)
        return next(iter(found)) if len(found) == 1 else None

    def named(self, text: str | None) -> frozenset[str]:
        """Every business the text names (two at most: past one, which does not matter)."""
        if not text or not self.ids:
            return frozenset()
        found: set[str] = set()
        for regex, ids in ((self._plain, self._plain_ids), (self._capitals, self._capital_ids)):
            if regex is not None:
                found.update(ids[m.lastindex - 1] for m in regex.finditer(text))  # the group is the label
                if len(found) > 1:
                    break
        if len(found) < 2 and self._runs and _ADDRESS_END.search(text) is not None:
            found.update(self._in_addresses(text))
        return frozenset(found)

    def _in_addresses(self, text: str) -> set[str]:
        """The businesses whose name or alias is run together in a web or mail address of the
        text ("GoDaddy emailed: greenlinelandscape.com expires 12/12": Greenline's)."""
        found = set()
        for m in _ADDRESS.finditer(text):
            squashed = re.sub(r"[^a-z0-9]", "", m.group(1).lower())
            for run, eid in self._runs:
                if run in squashed:
                    found.add(eid)
                    break
        return found

    def leading(self, text: str | None) -> str | None:
        """The business a text opens with ("Fenwick Rd unit A", "Gull Cottage"; not "$300 from
        Fenwick Rd")."""
        if not text or not self.ids:
            return None
        text = text.lstrip(" *_`#>-")
        for regex, ids in ((self._plain, self._plain_ids), (self._capitals, self._capital_ids)):
            m = regex.match(text) if regex is not None else None
            if m is not None:
                return ids[m.lastindex - 1]  # type: ignore[operator]
        return None

    def by_kind(self, text: str | None) -> str | None:
        """The business a text that names none is about by what it mentions ("the tenant in
        unit B": the one rental), when one kind is mentioned and one business has it."""
        if not text or not self._kinds:
            return None
        lowered = text.lower()
        found = {eid for regex, eid in self._kinds if regex.search(lowered)}
        return next(iter(found)) if len(found) == 1 else None

    def in_name(self, name: str, *, run_together: bool = False) -> str | None:
        """The business a file, folder, repository or resource name names (``elm-st_notes``):
        its words as text; with ``run_together``, else a long label run together in it
        (``harborflats-booking``, as cloud resources are named)."""
        found = self.in_text(re.sub(r"[-_.]+", " ", name))
        if found is not None or not run_together:
            return found
        squashed = re.sub(r"[^a-z0-9]", "", name.lower())
        for key, eid in sorted(self._by_key.items(), key=lambda kv: -len(kv[0])):
            run = key.replace(" ", "")
            if len(run) >= 5 and run in squashed:  # short labels ("app", "web") would match everything
                return eid
        return None
