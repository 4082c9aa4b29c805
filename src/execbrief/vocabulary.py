"""The vocabulary: which words mean which topic, what a heading says about its items, and
which words make an item a problem, a plan or worth keeping. Data, not code.

The package ships ``vocabulary.toml``; a workspace extends it with ``lenses/topics.toml``
(the same shape) or ``[topics]`` in execbrief.toml. Lenses may select only topics the
vocabulary knows, and analyzers classify items with it (``topics``, ``role``, ``signals``).

Matching is one regular expression per list, built as a prefix tree, run over the text
lower-cased with every run of punctuation and spaces made one space. An entry matches at
the start of a word and ends at a word's end, with an inflection allowed (``campaign``
finds "campaigns", "campaigned"); an entry ending in ``*`` is a stem and matches any ending
(``vacan*``: vacant, vacancy). A stemmer library would need a Python loop per word, and
notes at scale hold millions of words; the expression runs in C.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import ConfigError

__all__ = ["Vocabulary", "builtin_vocabulary", "load_vocabulary", "ROLES", "SIGNALS"]

ROLES = ("missing_kpi", "risk", "plan", "done")  # in the order they win when a heading says several
SIGNALS = ("problem", "critical", "high", "low", "hedge", "action", "resolved", "fine")
_INFLECTIONS = frozenset({"", "s", "es", "ed", "d", "ing", "er", "ers", "ly", "ies", "ied"})
_SPACES = re.compile(r"[^a-z0-9]+")
# money that came, late: a problem to watch, not a high one ("Pereira paid 11 days late")
_PAID_LATE = re.compile(r"\b(?:paid|came in|arrived)\s+(?:\w+\s+){0,3}late\b", re.I)
_IT = re.compile(r"(?<![A-Za-z])IT(?![A-Za-z])")
_TOPIC_NAME = re.compile(r"[a-z][a-z0-9-]*$")


def _normal(text: str) -> str:
    # ("#" is a word of its own: "card #s" is card numbers, "card's" a card's)
    return _SPACES.sub(" ", text.lower().replace("#", " hash ")).strip()


_WORD_END = "(?:ers|ing|ies|ied|es|ed|er|ly|s|d)?(?![a-z0-9])"  # a word entry, inflected or not
_STEM_END = "[a-z0-9]*"  # a stem entry, any ending


def _trie(words: Iterable[str], stems: Iterable[str]) -> str:
    """One alternation as a prefix tree, each entry ending as it may (a word with an
    inflection or none, a stem with anything): at each place it finds the longest entry
    that ends there, and a shorter one where the longer does not end well ("vacant" finds
    the stem "vacan", "leader" finds nothing for the word "lead")."""
    root: dict = {}
    for entries, end in ((words, _WORD_END), (stems, _STEM_END)):
        for word in entries:
            node = root
            for ch in word:
                node = node.setdefault(ch, {})
            if node.get("") != _STEM_END:  # (an entry that is a word and a stem: a stem)
                node[""] = end

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")" if branches else ""
        if "" not in node:
            return body
        return f"(?:{body}|{node['']})" if body else node[""]

    return emit(root)


class _Matcher:
    """Finds the labels of the entries a text holds (``{entry: labels}``)."""

    def __init__(self, entries: Mapping[str, Iterable[str]]) -> None:
        stems: dict[str, set[str]] = {}
        words: dict[str, set[str]] = {}
        for raw, labels in entries.items():
            stem = raw.endswith("*")
            key = _normal(raw.rstrip("*"))
            if key:
                (stems if stem else words).setdefault(key, set()).update(labels)
        self._stems = {k: frozenset(v) for k, v in stems.items()}
        self._words = {k: frozenset(v) for k, v in words.items()}
        # an entry found carries the labels of the shorter entries it starts with ("data leak"
        # holds "data"): the expression finds only the longest at each place
        every = {**{k: set(v) for k, v in words.items()}}
        for k, v in stems.items():
            every.setdefault(k, set()).update(v)
        self._with_prefixes: dict[str, frozenset[str]] = {}
        for key in every:  # (each of its prefixes looked up: not every entry tried against every other)
            labels = set(every[key])
            for n in range(1, len(key)):
                more = every.get(key[:n])
                if more is not None and (key[:n] in self._stems or key[n] == " "):
                    labels |= more
            self._with_prefixes[key] = frozenset(labels)
        # every match is an entry found (the expression checks how it ends, in C): what is
        # left here is naming the entry a matched span is, once per distinct span
        # (compiled when first needed: a run that reuses an earlier one's reports never matches)
        self._pattern = r"(?=(?<![a-z0-9])(" + _trie(self._words, self._stems) + "))" if every else None
        self._compiled: re.Pattern[str] | None = None
        self._spans: dict[str, frozenset[str]] = {}
        self.find = lru_cache(maxsize=65536)(self._find)

    def regex(self) -> re.Pattern[str]:
        """The expression of every entry, compiled once (~0.4 s for the built-in vocabulary)."""
        if self._compiled is None:
            assert self._pattern is not None
            self._compiled = re.compile(self._pattern)
        return self._compiled

    def compile(self) -> None:
        """Compile the expression now, if there is one."""
        if self._pattern is not None:
            self.regex()

    def entry(self, span: str) -> str:
        """The entry a matched span is: itself, a word with its inflection taken off, or the
        longest stem it starts with (the longest of these)."""
        found = [span] if span in self._words or span in self._stems else []
        found += [span[:-len(end)] for end in _INFLECTIONS if end and span.endswith(end) and span[:-len(end)] in self._words]
        found += [span[:n] for n in range(len(span) - 1, 0, -1) if span[:n] in self._stems]
        return max(found, key=len)

    def _find(self, text: str | None) -> frozenset[str]:
        if not text or self._pattern is None:
            return frozenset()
        found: set[str] = set()
        spans = self._spans
        for span in self.regex().findall(_normal(text)):
            labels = spans.get(span)
            if labels is None:
                labels = spans[span] = self._with_prefixes[self.entry(span)]
            found |= labels
        return frozenset(found)


@dataclass(frozen=True)
class _Topic:
    words: tuple[str, ...]
    headings: tuple[str, ...]
    domain: bool
    implies: tuple[str, ...]
    always: tuple[str, ...] = ()  # words that give the topic under another domain's heading too


class Vocabulary:
    """Topics, heading roles and signal words, compiled for matching."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        topics: dict[str, _Topic] = {}
        for name, spec in (data.get("topics") or {}).items():
            topics[name] = _Topic(tuple(spec.get("words") or ()), tuple(spec.get("headings") or ()),
                                  bool(spec.get("domain")), tuple(spec.get("implies") or ()),
                                  tuple(spec.get("always") or ()))
        self.topics: dict[str, _Topic] = topics
        self.names: frozenset[str] = frozenset(topics)
        self.domains = frozenset(n for n, t in topics.items() if t.domain)
        self._implies = {n: t.implies for n, t in topics.items() if t.implies}
        self._marketing = frozenset(n for n, i in self._implies.items() if "marketing" in i) | {"marketing"}
        by_word: dict[str, set[str]] = {}
        by_heading: dict[str, set[str]] = {}
        for name, topic in topics.items():
            for word in topic.words:
                by_word.setdefault(word, set()).add(name)
                by_heading.setdefault(word, set()).add(name)
            for word in topic.headings:
                by_heading.setdefault(word, set()).add(name)
            for word in topic.always:  # ("!accounting": kept under another domain's heading)
                by_word.setdefault(word, set()).update((name, "!" + name))
        signals = data.get("signals") or {}
        # an item's own words are read once, for its topics and its signals together (one
        # pass over the text instead of two: a run reads every item of every note)
        self._words = _Matcher(_merge([
            {w: {("topic", t) for t in names} for w, names in by_word.items()},
            *({w: {("signal", s)} for w in signals.get(s) or ()} for s in SIGNALS),
        ]))
        self._headings = _Matcher(by_heading)
        roles = data.get("roles") or {}
        self._roles = _Matcher({w: {r} for r in ROLES for w in roles.get(r) or ()})
        # a heading that opens with a done word says its items are done, whatever follows
        # ("Done this month" is no plan)
        self._done_first = _Matcher({w: {"done"} for w in roles.get("done") or ()})
        self._stated = tuple(_stated_pattern(name, spec) for name, spec in sorted((data.get("stated") or {}).items()))
        # a KPI stated in words that a kind of business calls by another name ("rating 4.8" is a
        # holiday let's review rating, a courier's customer rating)
        self._kind_names = {name: dict(spec.get("kinds") or {}) for name, spec in (data.get("stated") or {}).items()}
        self._unsaid = _unsaid(data.get("unsaid") or {}, "the vocabulary")
        self._triggers = _Triggers({w for entry in self._unsaid for w in entry.when})
        self._senses = _other_senses(data.get("other-senses") or {}, "the vocabulary")
        self.digest = "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        self.topics_of = lru_cache(maxsize=8192)(self._topics_of)
        self._context = lru_cache(maxsize=8192)(self._context_topics)  # a section's items share it
        self.read = lru_cache(maxsize=65536)(self._read)  # (an item's signals, then its topics)

    def compile(self) -> None:
        """Compile the matchers now: before worker processes fork, so each does not again."""
        for matcher in (self._words, self._headings, self._roles):
            matcher.compile()

    def stated_name(self, name: str, kind: str | None) -> str:
        """What a business of this kind calls a KPI stated in words."""
        return self._kind_names.get(name, {}).get(kind or "", name)

    def stated(self, text: str) -> list[tuple[str, str, str]]:
        """The KPIs an item states in its own words, as (KPI name, "money" or "percent", the
        figure as written): "roughly 41% occupancy" → ("occupancy_rate", "percent", "41");
        "op acct $11,320" → ("cash_balance", "money", "$11,320"). Only a figure right beside
        the KPI's words counts, and one an item spends ("paid $500 from the business account")
        states no balance."""
        found: list[tuple[str, str, str]] = []
        if _ANY_DIGIT.search(text) is None:
            return found  # (every figure has a digit)
        low = text.lower()
        for name, unit, pattern, needles in self._stated:
            if not any(n in low for n in needles):
                continue  # (each phrase's longest word is in any text it matches: ~45 → ~7 µs an item)
            m = pattern.search(text)
            if m is None or (unit == "money" and _SPENT.search(text)):
                continue
            if _AIM_AFTER.match(text, m.end()) or _AIM_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
                continue  # "the 95% on-time target", "a target of 95% on time": an aim, not a measure
            found.append((name, unit, m.group("a") or m.group("b")))
        return found

    def __repr__(self) -> str:  # what the incremental runner's context digest reads
        return f"Vocabulary({self.digest})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def _read(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """An item's own words, read once: (the topics they name, the signals they hit)."""
        found = self._words._find(text)
        return _labels(found, "topic"), _labels(found, "signal")

    def role(self, heading: str | None) -> str | None:
        """What a heading says its items are: ``risk``, ``plan``, ``missing_kpi``, ``done`` or None."""
        found = self._roles.find(heading or "")
        if "done" in found and len(found) > 1:
            first = re.match(r"\W*(\w+(?:\s+\w+)?)", heading or "")
            if first and (self._done_first.find(first.group(1)) or self._done_first.find(first.group(1).split()[0])):
                return "done"
        return next((r for r in ROLES if r in found), None)

    def signals(self, text: str | None) -> frozenset[str]:
        """The signal lists (``problem``, ``critical``, ``high``, ``low``, ``hedge``, ``action``,
        ``resolved``) the text hits, less the words of the vocabulary's ``unsaid`` phrases and
        plus the signals those give: "late February" is a time, not lateness; "no arrears" good
        news; "not urgent" a low matter."""
        text = text or ""
        gave: frozenset[str] = frozenset()
        present = self._triggers.present(text.lower())
        for entry in self._unsaid:
            if entry.when and present.isdisjoint(entry.when):
                continue
            text, n = entry.regex.subn(" ", text)
            if n:
                gave |= entry.gives
        found = self.read(text)[1]
        if "high" in found and ("late" in text or "Late" in text) and _PAID_LATE.search(text) \
                and "high" not in self.read(_PAID_LATE.sub(" paid ", text))[1]:
            found = found - {"high"}
        if "✅" in text or "✔" in text or "☑" in text:  # a tick says it is done, in any words
            found = found | {"resolved"}
        return found | gave if gave else found

    def topics_for(self, body: str | None, *, heading: str | None = None, tags: Iterable[str] = ()) -> tuple[str, ...]:
        """Topics for an item: its note's tags that are topics, its heading's words, its own words.

        Tags and the heading say what an item is about; its own words add a domain only when
        they are silent ("our own website" in a Channels list is marketing, not tech), except
        security, which is always worth a CTO's look.
        """
        body, heading = self._in_its_sense(body or ""), self._in_its_sense(heading or "")
        return self.topics_of(self._context(heading, tuple(tags)), self.read(body)[0])

    def _in_its_sense(self, text: str) -> str:
        """The text without the words it uses in another sense than a topic's ("a backup
        driver" is a person, not a copy of data; "Co-hosting handover notes" no web hosting)."""
        if self._senses is not None:
            lower = text.lower()
            if any(word in lower for word in self._senses[0]):
                return self._senses[1].sub(" ", text)
        return text

    def _context_topics(self, heading: str, tags: tuple[str, ...]) -> frozenset[str]:
        """The topics a heading and a note's tags give every item under them."""
        tagged = frozenset(t.strip().lower() for t in tags if t and t.strip()) & self.names
        found = tagged | self._headings.find(heading)
        if "IT" in heading and "tech" in self.names and _IT.search(heading):
            found |= {"tech"}  # "## IT" in capitals: "how it's going" is no IT heading
        return found

    def _topics_of(self, context: frozenset[str], own: frozenset[str]) -> tuple[str, ...]:
        found = set(context)
        always = {t[1:] for t in own if t[0] == "!"}
        if always:
            own = own - {"!" + t for t in always}
        if found & self.domains:
            own = frozenset(t for t in own if t not in self.domains or t == "security" or t in always)
        elif "security" in own:  # a password in a listing's login is about security, not marketing
            own = own - self._marketing
        found |= own
        for name in list(found):
            found.update(self._implies.get(name, ()))
        if not found & self.domains:
            found.add("operations")
        return tuple(sorted(found))

    def unknown(self, topics: Iterable[str]) -> list[str]:
        """The topics, of these, that the vocabulary does not know (sorted)."""
        return sorted(set(topics) - self.names)


_FIGURE = {
    "money": r"(?:USD|EUR|GBP|CA\$|A\$|[$€£])\s?\d[\d,]*(?:\.\d+)?(?:\s?[kK](?![a-z]))?",
    "percent": r"\d{1,3}(?:\.\d+)?(?=\s?%)",
    "score": r"[1-9](?:\.\d{1,2})?(?![\d%,])(?:\s*(?:/|out of)\s*(?:5|10)\b)?",
}
_ANY_DIGIT = re.compile(r"\d")
_HEDGE = r"(?:about|around|roughly|approx\.?|approximately|nearly|almost|just over|just under|~)?\s*"
_AIMS = r"(?:target|goal|aim|budget|forecast|plan|promise[sd]?|threshold|minimum|sla|requirement|required|needed)"
_AIM_AFTER = re.compile(rf"\W*(?:rate\W+)?{_AIMS}\b", re.I)
_AIM_BEFORE = re.compile(rf"\b{_AIMS}\W+(?:(?:of|for|is|at|was|to|that)\W+)?(?:about\W+|around\W+)?$", re.I)
# a figure an item pays, moves or spends is no balance
_SPENT = re.compile(r"\b(?:paid|pay|spent|spend|transferr\w*|withdr[ae]w\w*|moved|sent|owe[sd]?|due)\b", re.I)


@dataclass(frozen=True)
class _Unsaid:
    """An ``unsaid`` entry compiled: the words one of which a text must hold for it to be
    looked for (lower case; none: always), its expression, the signals it gives."""
    when: tuple[str, ...]
    regex: re.Pattern[str]
    gives: frozenset[str]


class _Triggers:
    """Which of some words a text holds (each as ``word in text``), found in one scan of the
    text rather than one per word: at each place the longest word there is what the scan
    finds, and the words it begins with are there too."""

    def __init__(self, words: set[str]) -> None:
        ordered = sorted(words, key=lambda w: (-len(w), w))  # (longest first: an alternation takes the first)
        self._scan = re.compile("(?=(" + "|".join(map(re.escape, ordered)) + "))") if ordered else None
        self._begins = {w: frozenset(p for p in ordered if w.startswith(p)) for w in ordered}

    def present(self, text: str) -> frozenset[str]:
        if self._scan is None:
            return frozenset()
        found: set[str] = set()
        for word in set(self._scan.findall(text)):
            found |= self._begins[word]
        return frozenset(found)


def _unsaid(entries: Mapping[str, Any], where: str) -> tuple[_Unsaid, ...]:
    """The ``unsaid`` entries, checked and compiled, one expression each."""
    out = []
    for name, spec in sorted(entries.items()):
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: unsaid.{name} must be a table with phrases = [...] or patterns = [...]")
        phrases, patterns, given, when = (spec.get(k) or [] for k in ("phrases", "patterns", "gives", "when"))
        for key, value in (("phrases", phrases), ("patterns", patterns), ("gives", given), ("when", when)):
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError(f"{where}: unsaid.{name}.{key} must be a list of non-empty strings")
        wrong = [g for g in given if g not in SIGNALS]
        if wrong:
            raise ConfigError(f"{where}: unsaid.{name}.gives names {wrong[0]!r}; a signal is one of {', '.join(SIGNALS)}")
        if not phrases and not patterns:
            raise ConfigError(f"{where}: unsaid.{name} needs phrases = [...] or patterns = [...]")
        _check_patterns(patterns, f"{where}: unsaid.{name}")
        # a phrase is looked for where its longest word is; a pattern where a `when` word is, or always
        starts = {max(re.split(r"[^\w'-]+", p.strip().lower()), key=len).rstrip("*#") for p in phrases}
        triggers = () if patterns and not when else tuple(sorted({w.lower() for w in when} | starts))
        out.append(_Unsaid(triggers, re.compile("|".join([*patterns, *map(_phrase_pattern, phrases)]), re.I),
                           frozenset(given)))
    return tuple(out)


def _other_senses(spec: Mapping[str, Any], where: str) -> tuple[tuple[str, ...], re.Pattern[str]] | None:
    """``other-senses``: the words one of which a text must hold (lower case) and one
    expression of every pattern; None without patterns."""
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: other-senses must be a table with when = [...] and patterns = [...]")
    when, patterns = (spec.get(k) or [] for k in ("when", "patterns"))
    for key, value in (("when", when), ("patterns", patterns)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"{where}: other-senses.{key} must be a list of non-empty strings")
    if not patterns:
        return None
    if not when:
        raise ConfigError(f"{where}: other-senses needs when = [...]: the words its patterns start from")
    _check_patterns(patterns, f"{where}: other-senses")
    return tuple(sorted({w.lower() for w in when})), re.compile("|".join(patterns), re.I)


def _check_patterns(patterns: Iterable[str], where: str) -> None:
    """A ConfigError naming ``where`` for the first pattern that is no regular expression."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: pattern {pattern!r} is no regular expression ({exc})") from None


def _phrase_pattern(phrase: str) -> str:
    """A phrase as words: any run of spaces and punctuation between them, ``*`` a stem's
    ending, ``#`` a number."""
    words = [re.escape(w).replace(r"\*", r"\w*").replace(r"\#", r"\d[\d,.]*")
             for w in re.split(r"[^\w*#'-]+", phrase.strip()) if w]
    return r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)"


def _stated_pattern(name: str, spec: Mapping[str, Any]) -> tuple[str, str, re.Pattern[str], tuple[str, ...]]:
    """A KPI's words with its figure right before ("41% occupancy", "$14,000 in the business
    account") or right after them ("occupancy 38%", "op acct: about $11,320")."""
    unit = spec.get("unit")
    if unit not in _FIGURE or not isinstance(spec.get("words"), list):
        raise ConfigError(f"vocabulary: stated.{name} needs unit = \"money\", \"percent\" or \"score\" and words = [...]")
    named = spec.get("kinds", {})
    if not isinstance(named, Mapping) or not all(isinstance(v, str) for v in named.values()):
        raise ConfigError(f"vocabulary: stated.{name} kinds must name a KPI per kind of business, "
                          "e.g. kinds = { delivery = \"customer_rating\" }")
    words = "|".join(r"\W+".join(map(re.escape, w.split())) for w in sorted(spec["words"], key=len, reverse=True))
    figure = _FIGURE[unit]
    before = (rf"(?<![\w.,])(?P<a>{figure})%?\s+(?:(?:a|per|in|on|at|of|the|our|my|rate|\w+ly)\s+){{0,3}}"
              rf"(?:{words})\b")
    after = (rf"\b(?:{words})(?:\s+rate)?\W{{0,3}}(?:(?:is|was|at|of|now|on|down|up|to|\d{{1,2}}/\d{{1,2}})\W+){{0,2}}"
             rf"(?:\d+ (?:of|out of) \d+\W{{0,3}})?{_HEDGE}(?P<b>{figure})")  # "nights booked: 2 of 30 (7%)"
    needles = tuple(sorted({max(w.lower().split(), key=len) for w in spec["words"] if w.split()}))
    return name, unit, re.compile(f"{before}|{after}", re.I), needles


@lru_cache(maxsize=16384)  # few distinct sets of labels
def _labels(found: frozenset[tuple[str, str]], kind: str) -> frozenset[str]:
    return frozenset(name for k, name in found if k == kind)


def _merge(maps: Iterable[dict[str, set[Any]]]) -> dict[str, set[Any]]:
    out: dict[str, set[Any]] = {}
    for m in maps:
        for k, v in m.items():
            out.setdefault(k, set()).update(v)
    return out


def _builtin_data() -> dict[str, Any]:
    return tomllib.loads(resources.files("execbrief").joinpath("vocabulary.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def builtin_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package."""
    return Vocabulary(_builtin_data())


def extended(base: Mapping[str, Any], extra: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``base`` with ``extra``'s topics, roles, signals, unsaid phrases and other senses added
    (words appended, new topics and entries added)."""
    out = json.loads(json.dumps(base))
    for name, spec in (extra.get("topics") or {}).items():
        if not isinstance(spec, dict) or not _TOPIC_NAME.match(str(name)):
            raise ConfigError(f"{where}: topic {name!r} must be a table named in lower-case letters, digits "
                              "and '-', with words = [...] (and optionally headings, always, implies)")
        into = out.setdefault("topics", {}).setdefault(name, {})
        for key in ("words", "headings", "always", "implies"):
            value = spec.get(key) or []
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise ConfigError(f"{where}: topics.{name}.{key} must be a list of strings")
            into[key] = list(dict.fromkeys([*(into.get(key) or []), *value]))
        if "domain" in spec:
            into["domain"] = bool(spec["domain"])
    for table, allowed in (("roles", ROLES), ("signals", SIGNALS)):
        for name, words in (extra.get(table) or {}).items():
            if name not in allowed or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ConfigError(f"{where}: {table}.{name} must be one of {', '.join(allowed)}, "
                                  "with a list of strings")
            into_list = out.setdefault(table, {}).setdefault(name, [])
            into_list.extend(w for w in words if w not in into_list)
    for name, spec in (extra.get("unsaid") or {}).items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: unsaid.{name} must be a table with phrases = [...] or patterns = [...]")
        into = out.setdefault("unsaid", {}).setdefault(name, {})
        for key, value in spec.items():
            if key not in ("phrases", "patterns", "gives", "when"):
                raise ConfigError(f"{where}: unsaid.{name}.{key} is not a key; use phrases, patterns, gives or when")
            into[key] = list(dict.fromkeys([*(into.get(key) or []), *(value if isinstance(value, list) else [value])]))
    senses = extra.get("other-senses") or {}
    if senses:
        if not isinstance(senses, dict) or set(senses) - {"when", "patterns"}:
            raise ConfigError(f"{where}: other-senses must be a table with when = [...] and patterns = [...]")
        if senses.get("patterns") and not senses.get("when"):  # (its patterns are looked for beside its own words)
            raise ConfigError(f"{where}: other-senses needs when = [...]: the words its patterns start from")
        into = out.setdefault("other-senses", {})
        for key, value in senses.items():
            into[key] = list(dict.fromkeys([*(into.get(key) or []), *(value if isinstance(value, list) else [value])]))
    _unsaid(out.get("unsaid") or {}, where)  # (a bad entry is named here, with its file)
    _other_senses(out.get("other-senses") or {}, where)
    implied = {i for spec in out.get("topics", {}).values() for i in spec.get("implies") or ()}
    missing = sorted(implied - set(out.get("topics", {})))
    if missing:
        raise ConfigError(f"{where}: a topic implies {missing[0]!r}, which is no topic")
    return out


def load_vocabulary(workspace: Path | None, configured: Mapping[str, Any] | None = None) -> Vocabulary:
    """The built-in vocabulary extended by ``lenses/topics.toml`` and ``[topics]`` in the config."""
    data: dict[str, Any] = _builtin_data()
    changed = False
    file = workspace / "lenses" / "topics.toml" if workspace is not None else None
    if file is not None and file.is_file():
        try:
            extra = tomllib.loads(file.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
            why = "nested too deeply" if isinstance(exc, RecursionError) else exc
            raise ConfigError(f"{file}: cannot read the vocabulary ({why}): fix the TOML", path=file) from None
        data, changed = extended(data, extra, str(file)), True
    if configured:
        data, changed = extended(data, {"topics": configured}, "[topics] in execbrief.toml"), True
    return Vocabulary(data) if changed else builtin_vocabulary()
