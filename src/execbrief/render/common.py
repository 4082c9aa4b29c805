"""Rules shared by the HTML and plain-text renderers, so both say the same thing."""

from __future__ import annotations

import re
from datetime import date

from ..formatting import long_date
from ..model import Block, Report
from .sources import SourceIndex

__all__ = [
    "CitedItem",
    "cite_groups",
    "cite_numbers",
    "first_sentence",
    "grouped",
    "format_date",
    "item_citations",
    "looks_numeric",
    "omitted_line",
    "status_line",
    "subject_for",
]


# A table cell "looks numeric" when it is an amount, a count, a ratio or a percentage:
# "1,250", "-3.5%", "$12,400", "(1,200)", "EUR 40k", "3x", "+2 pp".
_NUMERIC = re.compile(
    r"^[+\-\u2212]?\(?(?:[A-Z]{3}\s?)?[$\u20ac\u00a3\u00a5]?\s?[+\-\u2212]?"
    r"\d[\d,\u202f ]*(?:\.\d+)?\s?(?:%|[kKMB]|bn|pp|x)?\)?$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\u201c])")

CitedItem = tuple[str, list[int]]


def subject_for(report: Report) -> str:
    """The email subject: ``title: organization, period``, on one line."""
    subject = f"{report.title}: {report.organization}, {report.period}"
    # A CR or LF in a header would let report content inject headers; fold to spaces.
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", subject)


def cite_numbers(index: SourceIndex, fact_ids: tuple[str, ...] | list[str]) -> list[int]:
    """Source-list numbers (places, see ``sources.py``) for the cited fact ids, sorted, each once.

    Ids missing from ``report.sources`` are left out: tracing them is the verifier's job,
    and a dangling reference number would point the reader at nothing.
    """
    return index.numbers(fact_ids)


def item_citations(index: SourceIndex, block: Block) -> tuple[list[CitedItem], list[int]]:
    """Each item with its own citation numbers, and the numbers to show after the block.

    With ``item_cites`` each item carries its own references, and only block citations no
    item already shows follow the block; without them, the block's citations follow it.
    """
    if not block.item_cites:
        return [(item, []) for item in block.items], cite_numbers(index, block.cites)
    items: list[CitedItem] = []
    shown: set[int] = set()
    for i, item in enumerate(block.items):
        numbers = cite_numbers(index, block.item_cites[i]) if i < len(block.item_cites) else []
        shown.update(numbers)
        items.append((item, numbers))
    rest = [n for n in cite_numbers(index, block.cites) if n not in shown]
    return items, rest


def cite_groups(numbers: list[int]) -> list[str]:
    """Citation numbers as short labels: runs of three or more become ranges (``4–27``)."""
    groups: list[list[int]] = []
    for n in sorted(numbers):
        if groups and n == groups[-1][-1] + 1:
            groups[-1].append(n)
        else:
            groups.append([n])
    return [f"{g[0]}\u2013{g[-1]}" if len(g) >= 3 else str(x) for g in groups for x in ([g[0]] if len(g) >= 3 else g)]


def grouped(block: Block, entries: list) -> list[tuple[str | None, int, list]]:
    """Split a block's entries by its labelled groups: (label, first number, entries)."""
    if not block.groups:
        return [(None, 1, entries)]
    out, start = [], 0
    for label, count in block.groups:
        out.append((label, start + 1, entries[start:start + count]))
        start += count
    if start < len(entries):
        out.append((None, start + 1, entries[start:]))
    return out


def looks_numeric(cell: str) -> bool:
    """Whether a table cell holds a number, so it is right-aligned."""
    return bool(_NUMERIC.match(cell.strip()))


def first_sentence(report: Report) -> str:
    """The first sentence of the summary, used as the email preheader."""
    for block in report.summary:
        for text in block.texts():
            text = " ".join(text.split())
            if text:
                return _SENTENCE_END.split(text, maxsplit=1)[0]
    return ""


def format_date(value: date) -> str:
    """``30 June 2024``: unambiguous everywhere and independent of the process locale."""
    return long_date(value)


def omitted_line(count: int, kind: str = "bullets") -> str:
    """The muted line under a block that had to leave items out: a plan's are its latest
    actions, a list's its lowest-ranked items."""
    if kind == "actions":
        return f"\u2026and {count} later action{'' if count == 1 else 's'}"
    noun = "item" if count == 1 else "items"
    return f"\u2026and {count} more lower-priority {noun}"


def status_line(report: Report) -> str:
    """What the footer says about verification."""
    count = len(report.sources)
    facts = f"{count} fact" if count == 1 else f"{count} facts"
    if report.status == "verified":
        return f"Verified against {facts}"
    if report.status == "corrected":
        return f"Verified against {facts} after corrections"
    # Other statuses mean different things to different writers; name them plainly.
    return f"Status: {report.status}"
