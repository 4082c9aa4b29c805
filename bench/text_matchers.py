"""Measure the libraries the notes-understanding issue named against what execbrief does by hand.

    .venv/bin/pip install ahocorasick-rs PyStemmer dateparser pyromark markdown-it-pyrs
    .venv/bin/python bench/text_matchers.py /tmp/bench-ws/notes --notes 2000

Three questions, on the items of real notes (the generated scale workspace, then every
corpus workspace in tests/corpus, which nobody tuned the rules to):

1. **topic matching**: the vocabulary's one regular expression (a prefix tree, run in C)
   against Aho-Corasick (``ahocorasick-rs``, Rust) with the same word-boundary and inflection
   rules, and against Snowball stemming (``PyStemmer``, C) with phrase lookup by stems: time per
   item, and how often each finds the same topics as the vocabulary;
2. **due dates**: ``sources.notes._due`` against ``dateparser.search.search_dates`` and
   ``dateutil.parser.parse(fuzzy=True)``: time per task line, and right answers on the date
   forms the issue lists;
3. **markdown**: the line scanner against ``pyromark`` (pulldown-cmark) and
   ``markdown-it-pyrs``: time to parse the notes (the libraries give a tree or HTML; the
   scanner gives the items execbrief needs, so this is the floor a library would start from).

Prints one JSON document. Nothing here is an execbrief dependency.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from execbrief.sources.markdown_scan import scan  # noqa: E402
from execbrief.sources.notes import _due, resolve_due  # noqa: E402
from execbrief.vocabulary import _INFLECTIONS, _normal, builtin_vocabulary  # noqa: E402

DATE_CASES = [  # (task text, note date, due as a reader means it)
    ("call plumber re quote (due 12/8)", date(2026, 11, 24), date(2026, 12, 8)),
    ("renew policy by Dec 15", date(2026, 11, 24), date(2026, 12, 15)),
    ("send invoices EOW", date(2026, 11, 24), date(2026, 11, 27)),
    ("chase deposit 2026-12-04", date(2026, 11, 24), date(2026, 12, 4)),
    ("book the van's service by Friday", date(2026, 11, 24), date(2026, 11, 27)),
    ("close the books by end of month", date(2026, 11, 24), date(2026, 11, 30)),
    ("file 1099s by 1/31/2027", date(2026, 11, 24), date(2027, 1, 31)),
    ("renew the licence by 15 December", date(2026, 11, 24), date(2026, 12, 15)),
    ("pay the roofer (due 2026-12-01)", date(2026, 11, 24), date(2026, 12, 1)),
    ("order 3 new tyres for van 2", date(2026, 11, 24), None),
    ("ask 2 clients for a review", date(2026, 11, 24), None),
]


def items_of(folder: Path, limit: int) -> tuple[list[str], list[str], list[str]]:
    """(bullet and sentence texts, task texts, note texts) of the first ``limit`` notes."""
    texts, tasks, notes = [], [], []
    for path in sorted(folder.rglob("*.md"))[:limit]:
        text = path.read_text("utf-8", errors="replace")
        notes.append(text)
        body = scan(text.split("\n"), 0)
        for sec in body.sections:
            texts += [b["text"] for b in sec["bullets"]] + [p["text"] for p in sec["paras"]]
        tasks += [t["text"] for t in body.tasks]
    return texts, tasks, notes


def timed(fn, items) -> tuple[float, list]:
    started = time.perf_counter()
    out = [fn(x) for x in items]
    return time.perf_counter() - started, out


def aho_matcher(entries: dict[str, frozenset[str]], stems: set[str]):
    import ahocorasick_rs

    keys = list(entries)
    ac = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def find(text: str) -> frozenset[str]:
        norm = _normal(text)
        found: set[str] = set()
        for n, start, end in ac.find_matches_as_indexes(norm, overlapping=False):
            if start and norm[start - 1].isalnum():
                continue
            tail = re.match(r"[a-z0-9]*", norm[end:]).group(0)
            if keys[n] in stems or tail in _INFLECTIONS:
                found |= entries[keys[n]]
        return frozenset(found)

    return find


def stem_matcher(entries: dict[str, frozenset[str]]):
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    by_first: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
    for key, labels in entries.items():
        words = tuple(stemmer.stemWords(key.split()))
        by_first.setdefault(words[0], []).append((words, labels))

    def find(text: str) -> frozenset[str]:
        words = stemmer.stemWords(_normal(text).split())
        found: set[str] = set()
        for i, w in enumerate(words):
            for phrase, labels in by_first.get(w, ()):
                if tuple(words[i:i + len(phrase)]) == phrase:
                    found |= labels
        return frozenset(found)

    return find


def topics(texts: list[str]) -> dict:
    vocab = builtin_vocabulary()
    matcher = vocab._words
    entries = {**matcher._words, **matcher._stems}
    ours_s, ours = timed(matcher._find, texts)
    out = {"items": len(texts), "vocabulary_regex": {"us_per_item": round(ours_s / len(texts) * 1e6, 2)}}
    for name, make in (("ahocorasick_rs", lambda: aho_matcher(entries, set(matcher._stems))),
                       ("pystemmer", lambda: stem_matcher(entries))):
        fn = make()
        seconds, theirs = timed(fn, texts)
        same = sum(a == b for a, b in zip(ours, theirs))
        out[name] = {"us_per_item": round(seconds / len(texts) * 1e6, 2),
                     "same_topics_as_regex": f"{same / len(texts):.1%}"}
    return out


def dates(tasks: list[str]) -> dict:
    import dateparser.search
    from dateutil import parser as du

    def ours(case):
        text, ref, _ = case
        found = _due(text, 1, [])
        return resolve_due(found, ref) if found else None

    def with_dateparser(case):
        text, ref, _ = case
        found = dateparser.search.search_dates(text, settings={"RELATIVE_BASE": _dt(ref), "PREFER_DATES_FROM": "future"})
        return found[0][1].date() if found else None

    def with_dateutil(case):
        text, ref, _ = case
        try:
            return du.parse(text, fuzzy=True, default=_dt(ref)).date()
        except (ValueError, OverflowError):
            return None

    sample = [(t, date(2026, 11, 24), None) for t in tasks[:2000]]
    out = {"task_lines": len(sample), "forms": len(DATE_CASES)}
    for name, fn in (("execbrief _due", ours), ("dateparser.search_dates", with_dateparser),
                     ("dateutil fuzzy", with_dateutil)):
        right = sum(fn(case) == case[2] for case in DATE_CASES)
        seconds, _ = timed(fn, sample)
        out[name] = {"right": f"{right}/{len(DATE_CASES)}", "us_per_task_line": round(seconds / len(sample) * 1e6, 1)}
    return out


def _dt(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def markdown(notes: list[str]) -> dict:
    import markdown_it_pyrs
    import pyromark

    mb = sum(len(n.encode()) for n in notes) / 1e6
    out = {"notes": len(notes), "MB": round(mb, 1)}
    for name, fn in (("execbrief line scanner", lambda t: scan(t.split("\n"), 0)),
                     ("pyromark events", lambda t: list(pyromark.events(t))),
                     ("markdown-it-pyrs tree", lambda t: markdown_it_pyrs.MarkdownIt("commonmark").enable("table").tree(t))):
        seconds, _ = timed(fn, notes)
        out[name] = {"seconds": round(seconds, 2), "MB_per_s": round(mb / seconds, 1)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notes", type=Path, help="a folder of markdown notes (the scale workspace's notes/)")
    ap.add_argument("--notes", dest="limit", type=int, default=2000, help="how many notes to read")
    args = ap.parse_args()
    texts, tasks, notes = items_of(args.notes, args.limit)
    corpus = Path(__file__).resolve().parents[1] / "tests" / "corpus"
    ctexts, ctasks, cnotes = items_of(corpus, 10_000)
    print(json.dumps({
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
        "scale_notes": {"topics": topics(texts), "dates": dates(tasks), "markdown": markdown(notes)},
        "corpus": {"topics": topics(ctexts), "markdown": markdown(cnotes)},
    }, indent=1))


if __name__ == "__main__":
    main()
