"""Markdown export of a report, for wikis and pull requests (GitHub-flavoured tables)."""

from __future__ import annotations

from ..model import Block, Report
from .common import cite_groups, format_date, grouped, item_citations, omitted_line, status_line
from .sources import SourceIndex, source_index

__all__ = ["render_markdown"]

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _escape(text: str) -> str:
    """Markdown-escape untrusted text so a note cannot add links, images or markup."""
    return " ".join(text.split()).translate(_SPECIAL)


def _refs(numbers: list[int]) -> str:
    out = []
    for label in cite_groups(numbers):
        first = label.split("\u2013")[0]  # a range links to its first source
        out.append(f" [\\[{label}\\]](#source-{first})")
    return "".join(out)


def _block(index: SourceIndex, block: Block) -> list[str]:
    lines: list[str] = []
    if block.kind in ("bullets", "actions"):
        items, rest = item_citations(index, block)
        for group, start, entries in grouped(block, items):
            if group:
                lines.append(f"\n**{_escape(group)}**\n")
            for n, (item, numbers) in enumerate(entries, start):
                marker = f"{n}." if block.kind == "actions" else "-"
                lines.append(f"{marker} {_escape(item)}{_refs(numbers)}")
        if rest:
            lines.append(f"\nSources:{_refs(rest)}")
    elif block.kind in ("table", "chart"):
        lines.append("| " + " | ".join(_escape(c) for c in block.columns) + " |")
        lines.append("|" + "|".join("---" if i < 2 else "---:" for i in range(len(block.columns))) + "|")
        lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in block.rows]
        lines.append("")
        lines.append(f"Sources:{_refs(item_citations(index, block)[1])}")
    elif block.kind == "note":
        lines.append(f"_{_escape(block.text or '')}_")
    else:
        lines.append(_escape(block.text or "") + _refs(item_citations(index, block)[1]))
    if block.omitted:
        lines.append(f"\n_{omitted_line(block.omitted, block.kind)}_")
    return lines


def render_markdown(report: Report) -> str:
    """The report as Markdown; deterministic, like the other renderings."""
    out = [
        f"# {_escape(report.title)}: {_escape(report.organization)}",
        "",
        f"For {_escape(report.audience)} · {report.period} · as of {format_date(report.as_of)}",
        "",
        "## Summary",
        "",
    ]
    index = source_index(report)
    for block in report.summary:
        out += _block(index, block) + [""]
    for section in report.sections:
        out += [f"## {_escape(section.title)}", ""]
        for block in section.blocks:
            out += _block(index, block) + [""]
    if report.upkeep or report.data_quality:
        out += ["## For whoever keeps the data", ""]
        for block in report.upkeep:
            out += _block(index, block) + [""]
        out += [f"- {_escape(w)}" for w in report.data_quality] + ([""] if report.data_quality else [])
    if index.groups:
        out += ["## Sources", ""]
        for group in index.groups:
            places = " · ".join(
                f'<a id="source-{p.number}"></a>\\[{p.number}\\]' + (f" {_escape(p.label)}" if p.label else "")
                for p in group.places
            )
            out.append(f"- {_escape(group.name)}: {places}")
        out.append("")
    out += ["---", f"_Written by {_escape(report.writer)} · {status_line(report)}_", ""]
    return "\n".join(out)
