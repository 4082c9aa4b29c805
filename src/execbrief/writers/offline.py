"""The offline writer: deterministic reports from facts, with no network and no model.

Every sentence it writes is a fact's own statement or recommendation, or a table cell
formatted from a fact's value, so each block cites exactly the facts it shows. The same
view gives the same report, byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from ..formatting import humanize, long_date, money, month_label, month_range_label, number, percent
from ..lenses.select import rank
from ..model import SEVERITIES, Block, Chart, ChartSeries, Fact, LensSection, LensView, Report, ReportSection, SourceRef

__all__ = ["OfflineWriter", "briefing_facts", "changes_section", "register", "section_block", "section_blocks",
           "sources_for", "summary_facts",
           "upkeep_block"]

# column headings of the metrics tables
LABELS = {
    "revenue": "Revenue", "costs": "Costs", "net": "Net",
    "revenue_total": "Revenue", "costs_total": "Costs", "net_total": "Net",
    "net_margin": "Margin",
}
MAX_DATA_QUALITY = 25


def _value(fact: Fact) -> str:
    if fact.value is None:
        return "—"
    if fact.unit == "%":
        return percent(fact.value)
    if fact.unit and len(fact.unit) == 3 and fact.unit.isupper():
        return money(fact.value, fact.unit)
    return number(fact.value)


def _period(period: str | None) -> str:
    if not period:
        return ""
    if ".." in period:
        first, last = period.split("..", 1)
        return month_range_label(first, last)
    if len(period) == 7 and period[4] == "-":
        return month_label(period)
    return period


def _severity_prefix(fact: Fact) -> str:
    return f"{fact.severity.capitalize()}: " if fact.severity and fact.kind in ("finding", "gap") else ""


def _bullet(fact: Fact) -> str:
    text = _severity_prefix(fact) + fact.statement
    if fact.kind in ("finding", "gap") and fact.recommendation and not _said_already(fact.statement, fact.recommendation):
        text += f" Fix: {fact.recommendation.rstrip('.')}."
    return text


_LETTERS = re.compile(r"[^a-z0-9]+")


def _said_already(statement: str, advice: str) -> bool:
    """Whether the advice only says again what the statement says: a task that is its own
    finding ("SumUp login has no two-factor. Turn it on"), shown once, not twice."""
    said, again = _LETTERS.sub("", statement.lower()), _LETTERS.sub("", advice.lower())
    return bool(again) and again[:30] in said


def _metrics_table(facts: Sequence[Fact], section: LensSection, view: LensView) -> Block:
    names = list(section.select.names) or sorted({f.name for f in facts})
    rows: dict[tuple[str, str], dict[str, Fact]] = {}
    for fact in facts:
        rows.setdefault((fact.entity or "", fact.period or ""), {})[fact.name] = fact
    columns = ("Business", "Period") + tuple(LABELS.get(n, humanize(n).capitalize()) for n in names)
    body = []
    for (entity, period), cells in sorted(rows.items(), key=lambda kv: (kv[0][0] == "", kv[0])):
        who = view.entities.get(entity, entity) if entity else "All businesses"
        body.append((who, _period(period)) + tuple(_value(cells[n]) if n in cells else "—" for n in names))
    cites = tuple(f.id for f in facts)
    return Block(kind="table", columns=columns, rows=tuple(body), cites=cites)


MAX_SERIES = 4  # more lines or bar groups than this in one plot are decoded, not seen

Key = tuple[str, str, str]  # (entity, metric name, subject) of one series


def _chart_groups(keys: list[Key], title: str, view: LensView) -> list[tuple[str, list[Key]]]:
    """One chart per idea, each of at most ``MAX_SERIES`` series.

    Several metrics of several businesses become the group's own chart (its metrics
    together) and one chart per metric across the businesses ("Net by business"); a list
    still too long (services, businesses) continues in further charts.
    """
    entities = list(dict.fromkeys(k[0] for k in keys))
    names = list(dict.fromkeys(k[1] for k in keys))
    if len(keys) <= MAX_SERIES:
        groups = [(title, keys)]
    elif len(entities) > 1 and len(names) > 1:
        groups = []
        if "" in entities:
            groups.append((f"All businesses: {', '.join(_metric(n) for n in names)}", [k for k in keys if not k[0]]))
        for name in names:
            groups.append((f"{_metric(name).capitalize()} by business", [k for k in keys if k[1] == name and k[0]]))
    else:
        groups = [(title, keys)]
    out = []
    for label, members in groups:
        for n in range(0, len(members), MAX_SERIES):
            out.append((label if n == 0 else f"{label} (continued)", members[n:n + MAX_SERIES]))
    return out


def _metric(name: str) -> str:
    return LABELS.get(name, humanize(name)).lower()


def _charts(facts: Sequence[Fact], section: LensSection, view: LensView) -> tuple[Block, ...]:
    """Charts of metric facts, periods along the axis; one per idea when one would crowd."""
    periods = sorted({f.period for f in facts if f.period})
    series: dict[Key, dict[str, Fact]] = {}
    for fact in facts:
        if fact.period and fact.value is not None:
            series.setdefault((fact.entity or "", fact.name, fact.subject or ""), {})[fact.period] = fact
    names = list(section.select.names)
    order = sorted(series, key=lambda k: (k[0] == "", k[0], names.index(k[1]) if k[1] in names else 0, k[1], k[2]))
    if len({k[2] for k in order}) > MAX_SERIES:  # many services: the largest first
        order.sort(key=lambda k: -sum(abs(f.value or 0) for f in series[k].values()))
    groups = _chart_groups(order, section.title, view)
    blocks = []
    for n, (title, keys) in enumerate(groups):
        blocks.append(_chart(keys, series, periods, section, view, title, n))
    return tuple(blocks)


def _chart(keys: list[Key], series: dict[Key, dict[str, Fact]], periods: list[str], section: LensSection,
           view: LensView, title: str, n: int) -> Block:
    """One chart block: its image data, and the same figures as a table for the text part."""
    one_entity = len({k[0] for k in keys}) == 1
    one_name = len({k[1] for k in keys}) == 1
    labels = []
    for entity, name, subject in keys:
        who = view.entities.get(entity, entity) if entity else "All businesses"
        if subject:  # one series per service or account: named by it
            labels.append(subject)
        elif one_entity and not one_name:
            labels.append(_metric(name).capitalize())
        elif one_name and not one_entity:
            labels.append(who)
        else:
            labels.append(f"{who} {_metric(name)}")
    units = {f.unit for k in keys for f in series[k].values() if f.unit}
    chart = Chart(
        id=f"{view.key}-{section.id}" + (f"-{n + 1}" if n else ""), title=title, kind=section.chart,
        unit=units.pop() if len(units) == 1 else None, categories=tuple(_period(p) for p in periods),
        series=tuple(
            ChartSeries(name=label, values=tuple(series[key][p].value if p in series[key] else None for p in periods))
            for key, label in zip(keys, labels)
        ),
    )
    rows = tuple(
        (label,) + tuple(_value(series[key][p]) if p in series[key] else "—" for p in periods)
        for key, label in zip(keys, labels)
    )
    return Block(kind="chart", chart=chart, text=title if title != section.title else None,
                 columns=("Series",) + chart.categories, rows=rows,
                 cites=tuple(f.id for key in keys for f in series[key].values()))


def _bucket_labels(buckets: Sequence[int]) -> list[str]:
    labels, start = [], 1
    for days in buckets:
        labels.append(f"Next {days} days" if start == 1 else f"Days {start}\u2013{days}")
        start = days + 1
    return labels + [f"After day {buckets[-1]}" if buckets else "Later", "No date"]


def _bucket(fact: Fact, buckets: Sequence[int], view: LensView) -> int:
    if fact.due is None:
        return len(buckets) + 1
    days = (fact.due - view.as_of).days
    return next((n for n, limit in enumerate(buckets) if days <= limit), len(buckets))


def _actions(facts: Sequence[Fact], omitted: int, view: LensView, buckets: Sequence[int] = ()) -> Block:
    # soonest first; undated last; ties by severity then id, so the order is stable
    ordered = sorted(rank(facts), key=lambda f: (f.due is None, f.due.isoformat() if f.due else ""))
    groups: tuple[tuple[str, int], ...] = ()
    if buckets:
        ordered = sorted(ordered, key=lambda f: _bucket(f, buckets, view))  # stable: keeps date order
        labels = _bucket_labels(buckets)
        counts = Counter(_bucket(fact, buckets, view) for fact in ordered)
        groups = tuple((labels[n], counts[n]) for n in sorted(counts))
    items, item_cites = [], []
    for fact in ordered:
        what = (fact.recommendation or fact.statement).rstrip(".")
        who = view.entities.get(fact.entity, fact.entity) if fact.entity else "Group"
        if fact.due is None:
            when = "No date"
        elif fact.due < view.as_of:
            when = f"{fact.due.isoformat()} (overdue)"
        else:
            when = fact.due.isoformat()
        items.append(f"{when}: {who}: {what}.")
        # an action cites the finding it addresses too, when the lens view carries it
        addressed = tuple(e for e in fact.evidence if e in view.facts and e != fact.id)
        item_cites.append((fact.id,) + addressed)
    cites = tuple(dict.fromkeys(c for group in item_cites for c in group))
    return Block(
        kind="actions", items=tuple(items), cites=cites, item_cites=tuple(item_cites),
        omitted=omitted, groups=groups,
    )


def section_blocks(section: LensSection, view: LensView, in_summary: frozenset[str] = frozenset()) -> tuple[Block, ...]:
    """The blocks the offline writer makes for a lens section: one, or one chart per idea."""
    if section.style == "chart" and view.sections.get(section.id):
        return _charts(view.sections[section.id], section, view)
    return (section_block(section, view, in_summary),)


def section_block(section: LensSection, view: LensView, in_summary: frozenset[str] = frozenset()) -> Block:
    """The (first) block the offline writer makes for a lens section.

    Facts the summary already states (``in_summary``) are not repeated in a list of
    findings; the list says it leaves them to the summary.
    """
    facts = view.sections.get(section.id, ())
    omitted = view.omitted.get(section.id, 0)
    if not facts:
        return Block(kind="note", text="Nothing to report: no facts matched this section.")
    if section.style == "metrics":
        return _metrics_table(facts, section, view)
    if section.style == "chart":
        return _charts(facts, section, view)[0]
    if section.style == "actions":  # the summary states findings; their actions stay in the plan
        return _actions(facts, omitted, view, section.buckets)
    # what the summary states leaves room for the section's next facts (its budget is the
    # lines it shows, so it never hides one while the summary repeats another)
    summarized = sum(1 for f in facts if f.id in in_summary)
    # (a reserve fact another section shows, a CEO's watch list, is left to it; selection
    # counted it out of this section's omitted ones)
    elsewhere = {f.id for other, shown in view.sections.items() if other != section.id for f in shown}
    reserve = [f for f in view.reserve.get(section.id, ()) if f.id not in elsewhere]
    rest = tuple(f for f in (*facts, *reserve) if f.id not in in_summary)[:len(facts)]
    omitted = max(0, omitted + len(facts) - summarized - len(rest))
    # (counts in words would be figures the verifier must trace: the text says "those")
    lead = "Besides those in the summary above:" if summarized else ""
    if not rest:
        return Block(kind="note", text="All of them are in the summary above.", omitted=omitted)
    return Block(
        kind="bullets", text=lead or None, items=tuple(_bullet(f) for f in rest),
        cites=tuple(f.id for f in rest), item_cites=tuple((f.id,) for f in rest), omitted=omitted,
    )


SUMMARY_MIN, SUMMARY_MAX = 3, 5
# a recommendation this short reads as part of a summary line; a longer one stays in the plan
SHORT_ADVICE = 90
_ASIDE = re.compile(r"\s*\(([^()]*)\)")
_HAS_MONEY_OR_DATE = re.compile(
    r"[$\u20ac\u00a3\u00a5]|\b[A-Z]{3} \d|\d{4}-\d{2}|\b(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\b")


def _trimmed(statement: str) -> str:
    """A statement without the asides that carry no money, date or masked key ("not a git repository")."""
    def keep(m: re.Match[str]) -> str:
        return m.group(0) if _HAS_MONEY_OR_DATE.search(m.group(1)) or "\u2026" in m.group(1) else ""
    return _ASIDE.sub(keep, statement)


def _due_dates(view: LensView) -> dict[str, Fact]:
    """For each fact an action of the view addresses, the soonest such action."""
    soonest: dict[str, Fact] = {}
    for action in view.facts.values():
        if action.kind != "action" or action.due is None:
            continue
        for target in (action.id, *action.evidence):
            known = soonest.get(target)
            if known is None or (known.due, known.id) > (action.due, action.id):
                soonest[target] = action
    return soonest


def summary_facts(view: LensView) -> list[Fact]:
    """The three to five findings the summary leads with, across all sections.

    Critical and high findings first (ranked as the sections rank them); where there are
    fewer than three, medium ones fill the lines. Actions stay in the dated plan: a summary
    line gives the date of the action that fixes its finding.
    """
    shown = {f.id: f for facts in view.sections.values() for f in facts if f.kind in ("finding", "gap")}
    dated = _due_dates(view)

    def acted_on(f: Fact) -> int:  # within a severity, a line with money or a date comes first
        return 0 if f.id in dated or f.due or _HAS_MONEY_OR_DATE.search(f.statement) else 1

    def ranked(facts: list[Fact]) -> list[Fact]:
        order = {f.id: n for n, f in enumerate(rank(facts, view.lens.focus))}
        return sorted(facts, key=lambda f: (SEVERITIES.index(f.severity or "info"), acted_on(f), order[f.id]))

    pressing = ranked([f for f in shown.values() if f.severity in ("critical", "high")])[:SUMMARY_MAX]
    if len(pressing) < SUMMARY_MIN:
        medium = ranked([f for f in shown.values() if f.severity == "medium"])
        pressing += medium[:SUMMARY_MIN - len(pressing)]
    return pressing


def _summary_line(fact: Fact, action: Fact | None, view: LensView) -> tuple[str, tuple[str, ...]]:
    """One summary sentence: what is wrong, with its money or date, and what to do when it is short."""
    text = _severity_prefix(fact) + _trimmed(fact.statement).strip()
    cites: tuple[str, ...] = (fact.id,)
    advice = (fact.recommendation or "").rstrip(".")
    if advice and len(advice) <= SHORT_ADVICE and not _said_already(fact.statement, advice):
        text += f" {advice}."
    due = fact.due or (action.due if action is not None else None)
    if due is not None and not _HAS_MONEY_OR_DATE.search(text):
        text += f" {'Overdue since' if due < view.as_of else 'Act by'} {long_date(due)}."
        if fact.due is None and action is not None:
            cites += (action.id,)
    return text, cites


def _changed(view: LensView) -> dict[str, Fact]:
    """The change fact (new, worse, better) of each fact that has one, by the fact's id."""
    return {c.evidence[0]: c for c in view.changes if c.evidence}


def _summary(view: LensView, chosen: list[Fact]) -> tuple[Block, ...]:
    if not chosen:
        return (Block(kind="note", text="No critical or high-severity findings in this briefing."),)
    actions = _due_dates(view)
    changed = _changed(view)
    lines = []
    for fact in chosen:
        text, cites = _summary_line(fact, actions.get(fact.id), view)
        change = changed.get(fact.id)
        if change is not None:  # "New: Critical: …": the changes section then leaves it out
            text = change.statement.split(":", 1)[0] + ": " + text
            cites += (change.id,)
        lines.append((text, cites))
    return (Block(
        kind="bullets", items=tuple(text for text, _ in lines),
        cites=tuple(dict.fromkeys(c for _, cites in lines for c in cites)),
        item_cites=tuple(cites for _, cites in lines),
    ),)


def upkeep_block(facts: Sequence[Fact]) -> tuple[Block, ...]:
    """The data keeper's footer: each distinct instruction of the facts shown, with its fact."""
    seen: dict[str, list[str]] = {}
    for fact in facts:
        if fact.upkeep:
            seen.setdefault(fact.upkeep, []).append(fact.id)
    if not seen:
        return ()
    return (Block(
        kind="bullets", items=tuple(seen), cites=tuple(i for ids in seen.values() for i in ids),
        item_cites=tuple(tuple(ids) for ids in seen.values()),
    ),)


def briefing_facts(view: LensView) -> dict[str, Fact]:
    """Every fact a report of this view may cite, by id: the view's facts, the changes since the
    last briefing, and each section's reserve (the next facts a list shows in place of those the
    summary states)."""
    return {**{f.id: f for r in view.reserve.values() for f in r}, **view.facts, **{f.id: f for f in view.changes}}


def sources_for(blocks: Sequence[Block], facts: dict[str, Fact]) -> tuple[SourceRef, ...]:
    """The numbered source list: each cited fact once, in order of first citation."""
    refs: list[SourceRef] = []
    seen: set[str] = set()
    for block in blocks:
        for fact_id in block.cites:
            if fact_id in seen or fact_id not in facts:
                continue
            seen.add(fact_id)
            label = "; ".join(facts[fact_id].sources) or "computed from the fact base"
            refs.append(SourceRef(number=len(refs) + 1, fact_id=fact_id, label=label))
    return tuple(refs)


def data_quality(view: LensView) -> tuple[str, ...]:
    """The run's data warnings, as shown at the end of every report."""
    labels = [w.label() for w in view.warnings]
    if len(labels) > MAX_DATA_QUALITY:
        rest = len(labels) - MAX_DATA_QUALITY
        labels = labels[:MAX_DATA_QUALITY] + [f"…and {rest} more warnings (see `execbrief history`)."]
    return tuple(labels)


MAX_CHANGES = 12


def changes_section(view: LensView, in_summary: frozenset[str] = frozenset()) -> ReportSection:
    """The opening section: what is new, resolved, worse or better since the baseline."""
    if view.baseline is None:
        block = Block(kind="note", text="First briefing of this kind: there is no earlier briefing to compare with.")
        return ReportSection(id="changes", title="What changed", blocks=(block,))
    title = f"What changed since {view.baseline}"
    if not view.changes:
        block = Block(kind="note", text="Nothing changed since the last briefing.")
        return ReportSection(id="changes", title=title, blocks=(block,))
    # a change to a fact the summary states is marked there ("New: …"), not repeated here
    changes = [c for c in view.changes if not (c.evidence and c.evidence[0] in in_summary)]
    marked = len(changes) < len(view.changes)
    if not changes:
        block = Block(kind="note", text="Every change is marked in the summary above.")
        return ReportSection(id="changes", title=title, blocks=(block,))
    shown = changes[:MAX_CHANGES]
    block = Block(
        kind="bullets", items=tuple(f.statement for f in shown), cites=tuple(f.id for f in shown),
        item_cites=tuple((f.id,) for f in shown), omitted=len(changes) - len(shown),
        text="Besides those marked in the summary above:" if marked else None,
    )
    return ReportSection(id="changes", title=title, blocks=(block,))


class OfflineWriter:
    """Writes reports from facts alone."""

    name = "offline"

    def __init__(self, settings: object | None = None) -> None:
        self.settings = settings

    def write(self, view: LensView) -> Report:
        """The report for one lens view."""
        chosen = summary_facts(view)
        summary = _summary(view, chosen)
        in_summary = frozenset(f.id for f in chosen)
        sections = (changes_section(view, in_summary),) + tuple(
            ReportSection(id=s.id, title=s.title, blocks=section_blocks(s, view, in_summary))
            for s in view.lens.sections
            if view.sections.get(s.id) or not s.optional
        )
        shown = [f for facts in view.sections.values() for f in facts]
        upkeep = upkeep_block(shown)
        blocks = list(summary) + [b for s in sections for b in s.blocks] + list(upkeep)
        return Report(
            lens=view.lens.id, key=view.key, title=view.lens.title, audience=view.lens.audience,
            organization=view.organization, period=view.period, as_of=view.as_of,
            summary=summary, sections=sections, upkeep=upkeep,
            sources=sources_for(blocks, {**{f.id: f for r in view.reserve.values() for f in r}, **view.facts}),
            data_quality=data_quality(view), writer=self.name,
        )


def register(registry: object) -> None:
    """Entry point: register the offline writer."""
    registry.add_writer("offline", OfflineWriter)  # type: ignore[attr-defined]
