"""Strategies for hostile input: junk text, TOML and JSON values of every type, mutations of
a valid document, and the pieces of notes and ledger rows a careless or hostile hand writes.

Importing it loads the Hypothesis profile. ``ci`` (the default, part of ``make test``): few
examples per property and a fixed seed, so CI stays well under two minutes and fails the
same way twice. ``long`` (``make fuzz``): many more examples, a fresh seed each run, and the
example database in ``.hypothesis/`` so a failure found once is tried first next time.
"""

from __future__ import annotations

import json
import math
import os
from datetime import date
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]

settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("long", max_examples=600, deadline=None, suppress_health_check=_QUIET,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# names a run knows: the small workspace's businesses, and a few words that mean something
ENTITIES = ["alpha", "beta", "Alpha Rentals", "Beta Delivery", "ALPHA", "gamma"]


def examples(ci: int, long: int) -> int:
    """Examples for a slow property: ``ci`` in the CI profile, ``long`` under ``make fuzz``."""
    return long if os.environ.get("HYPOTHESIS_PROFILE") == "long" else min(ci, settings.default.max_examples)


def junk(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text with control characters, NUL, right-to-left marks, emoji and markup-ish symbols."""
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=max_size) | st.sampled_from([
        "", " ", "\x00", "\r\n", "\u202e", "💸", "$", "-", "()", "1,2,3", "NaN", "Infinity", "1e400", "—", "\t",
        "<script>", "{{ x }}", "${HOME}", "'", '"', "\\", "|", "#", "---", ":", "null", "~",
    ])


def numbers() -> st.SearchStrategy[Any]:
    """Numbers of every size and kind a field may get instead of what it wants."""
    return st.one_of(
        st.integers(), st.integers(min_value=-(10 ** 40), max_value=10 ** 40),
        st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, -1, 10 ** 30, 2 ** 63, -(2 ** 63)]),
    )


def days() -> st.SearchStrategy[date]:
    return st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(st.booleans(), numbers(), junk(), days())


def values(depth: int = 2) -> st.SearchStrategy[Any]:
    """Any TOML value: scalars, lists and tables, nested a little."""
    if depth == 0:
        return scalars()
    inner = values(depth - 1)
    return st.one_of(scalars(), st.lists(inner, max_size=4),
                     st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=3))


def json_values(depth: int = 2) -> st.SearchStrategy[Any]:
    """Any JSON value (NaN and Infinity included: Python's json writes and reads them)."""
    base = st.one_of(st.none(), st.booleans(), numbers(), junk())
    if depth == 0:
        return base
    inner = json_values(depth - 1)
    return st.one_of(base, st.lists(inner, max_size=3), st.dictionaries(junk(8), inner, max_size=3))


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """One value as TOML text (inline tables and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if -(2 ** 63) <= value < 2 ** 63 else _toml_string(str(value))  # TOML ints are 64-bit
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_string(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(data: dict[str, Any]) -> str:
    """A whole document, each top-level key on its own line."""
    return "".join(f"{_toml_string(str(k))} = {toml_value(v)}\n" for k, v in data.items())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += _paths(value, (*prefix, n))
    return found


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def like(value: Any) -> st.SearchStrategy[Any]:
    """A value of the same type as ``value``, at odd extremes: what passes a type check and
    still surprises the code after it."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.one_of(st.integers(-5, 5), st.integers(0, 40_000), st.sampled_from([1, 36_500, 10_000, 1_200]))
    if isinstance(value, float):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(value, str):
        return junk(30)
    if isinstance(value, list):
        return st.lists(like(value[0]) if value else junk(10), max_size=5)
    return values(1)


@st.composite
def mutated(draw: Any, document: Any, replacement: st.SearchStrategy[Any] | None = None, times: int = 3,
            typed: bool = False) -> Any:
    """``document`` (a dict from TOML or JSON) with a few parts replaced, deleted or added;
    ``typed``: each part replaced by a value of its own type (``like``), nothing deleted."""
    doc = json.loads(json.dumps(document, default=str))  # a deep copy of plain data
    replacement = replacement if replacement is not None else values()
    for _ in range(draw(st.integers(min_value=1, max_value=times))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(doc, path[:-1])
        action = "typed" if typed else draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if action == "typed":
            if not isinstance(parent[path[-1]], dict):
                parent[path[-1]] = draw(like(parent[path[-1]]))
        elif action == "replace":
            parent[path[-1]] = draw(replacement)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.from_regex(r"[a-z_]{1,10}", fullmatch=True))] = draw(replacement)
        else:
            parent.append(draw(replacement))
    return doc


# notes


def _day_text() -> st.SearchStrategy[str]:
    return st.one_of(
        days().map(date.isoformat),
        st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
        st.sampled_from(["2026-02-30", "9999-12-31", "0001-01-01", "31 Feb", "Nov 31, 2026", "tomorrow",
                         "end of month", "next friday", "EOW", "by 15 December", "2026/13/01"]),
    )


def _money_text() -> st.SearchStrategy[str]:
    return st.one_of(
        numbers().map(lambda n: f"${n}"),
        st.integers(-(10 ** 30), 10 ** 30).map(lambda n: f"${n:,}"),
        st.sampled_from(["$1.2k", "€99/month", "$NaN", "$1e309", "USD 12,34,567", "£-0.00", "$" + "9" * 4301]),
    )


def note_lines() -> st.SearchStrategy[list[str]]:
    """Lines of a markdown note: headings, tasks, bullets, table rows, prose, junk."""
    line = st.one_of(
        st.builds(lambda level, name: "#" * level + " " + name, st.integers(1, 7), st.sampled_from(ENTITIES) | junk(20)),
        st.builds(lambda done, text, day: f"- [{done}] {text} by {day}", st.sampled_from([" ", "x", "X", "?"]),
                  junk(20), _day_text()),
        st.builds(lambda text, money: f"- {text} {money}", junk(20), _money_text()),
        st.builds(lambda cells: "| " + " | ".join(cells) + " |",
                  st.lists(st.one_of(junk(10), _money_text(), _day_text()), min_size=1, max_size=5)),
        st.just("|---|---|"), st.just("| Item | Cost | Due |"),
        junk(60),
    )
    return st.lists(line, max_size=25)


def front_matter() -> st.SearchStrategy[str]:
    entry = st.one_of(
        st.builds(lambda key, value: f"{key}: {value}",
                  st.sampled_from(["updated", "date", "entity", "kpis", "status", "tags", "title"]),
                  st.one_of(_day_text(), junk(20), numbers().map(str), st.sampled_from(ENTITIES),
                            st.just("[1, 2"), st.just("{a: 1}"), st.just("*anchor"), st.just("!!python/object:os.system"))),
        junk(30),
    )
    return st.lists(entry, max_size=6).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n")


@st.composite
def note_bytes(draw: Any) -> bytes:
    """A note's bytes: maybe front matter, lines, maybe NUL bytes late, maybe CRLF or Latin-1."""
    text = (draw(front_matter()) if draw(st.booleans()) else "") + "\n".join(draw(note_lines())) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if draw(st.integers(0, 5)) == 0:
        data = data + b"\x00binary tail\x00"
    if draw(st.integers(0, 5)) == 0:
        data = data.replace(b"e", b"\xe9")  # not UTF-8
    return data


# ledger


def amount_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10 ** 9), max_value=10 ** 9).map(str),
        numbers().map(str), junk(12),
        st.sampled_from(["(250.00)", "$1,450.00", "-$0.00", "1.234.567,89", "١٢٣", "1e5", "NaN", "-inf", "",
                         "9" * 27, "9" * 4301, "0.0000001", "+-1", "$ 12", "12-"]),
    )


def ledger_rows() -> st.SearchStrategy[list[list[str]]]:
    row = st.tuples(_day_text() | junk(12), amount_text(), st.sampled_from(ENTITIES) | junk(10),
                    junk(12), st.sampled_from(["revenue", "cost", "draw", "transfer"]) | junk(8), junk(30))
    return st.lists(row.map(list), max_size=20)
