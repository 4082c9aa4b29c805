"""Operations: open and overdue tasks, risks and problems, KPIs and notes from the notes.

Table rows become facts in ``records.py`` (only the current row of each record).

The notes source already leaves archived and closed notes out unless the workspace asks
for them (``include_archived``); these rules skip any that come through anyway, so an
archived plan never reads as a live risk. A risk bullet that names a date ("unless it
passes reinspection by 15 December") carries its next date as ``due``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Sequence

from ..formatting import humanize, money, number, percent
from ..model import SEVERITIES, Evidence, Fact, stable_id
from ..redaction import secret_column
from .base import AnalysisContext, rule
from .views import NOTES
from .build import fact
from ..sources.notes import ARCHIVED_STATUSES
from ..sources.spoken import spoken_figures
from ..sources.values import find_dates, heading_days, month_heading, parse_money, resolve_day
from ..vocabulary import Vocabulary

__all__ = ["analyze", "note_infos", "NoteInfo", "parse_kpi_value", "quantity", "risk_date", "table_row"]

_RANK = {s: n for n, s in enumerate(SEVERITIES)}  # (most severe first)
_SEVERITY_TAG = re.compile(r"^\s*[\[(]\s*(critical|high|medium|low|info)\s*[\])]\s*[:\-–]?\s*", re.I)
_DUE_TEXT = re.compile(r"\s*(\(due [0-9-]+\)|due:? ?[0-9]{4}-[0-9]{2}-[0-9]{2}|📅 ?[0-9-]+)\s*", re.I)


@dataclass(frozen=True)
class NoteInfo:
    """What the operations rules need to know about the note an item came from."""

    title: str
    tags: tuple[str, ...]
    updated: date | None
    closed: bool
    guessed: bool = False  # ``updated`` is the file's modification time, not a date the note gives


def note_infos(evidence: Sequence[Evidence]) -> dict[str, NoteInfo]:
    """What the rules need to know of each note, by path, from its ``document`` evidence."""
    out = {}
    for ev in evidence:
        if ev.source == "notes" and ev.kind == "document":
            r = ev.record
            updated = r.get("updated")
            status = (r.get("status") or "").strip().lower()
            out[ev.provenance.path] = NoteInfo(
                title=ev.text or ev.provenance.path,
                tags=tuple(str(t) for t in r.get("tags") or ()),
                updated=date.fromisoformat(updated[:10]) if updated else None,
                closed=status in ARCHIVED_STATUSES,
                guessed=r.get("updated_from") == "mtime",
            )
    return out


@rule(reads=NOTES)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """All operations facts for the note evidence in ``evidence``."""
    notes = note_infos(evidence)
    live = [
        ev for ev in evidence
        if ev.source == "notes" and not notes.get(ev.provenance.path, NoteInfo("", (), None, False)).closed
    ]
    facts: list[Fact] = []
    for ev in live:
        info = notes.get(ev.provenance.path) or NoteInfo(ev.provenance.path, (), None, False)
        if ev.kind == "task" and not ev.record.get("done"):
            facts.append(open_task(ev, info, ctx))
        elif ev.kind == "task" and ev.record.get("cancelled"):
            facts.append(cancelled_task(ev, info, ctx))
        elif ev.kind == "task":
            facts.append(done_task(ev, info, ctx))
        elif ev.kind == "section":
            facts.extend(section_items(ev, info, ctx))
        elif ev.kind == "document":
            facts.extend(kpi_values(ev, info, ctx))
            stale = stale_note(ev, info, ctx)
            if stale:
                facts.append(stale)
    return facts


# a line under a "what I don't track" heading that says it is tracked: "jobs/wk I do count (~14)"
_DO_TRACK = re.compile(r"(?i)\b(?:i|we)\s+(?:do\s+)?(?:count|track|log|measure|record)\b|\b(?:is|are) (?:already )?tracked\b")


def _start_tracking(said: str) -> str:
    """What to do about a KPI the notes say nobody tracks: "Online store conversion rate: Shopify
    shows it, nobody looks at it" → "Start tracking online store conversion rate." (not the line
    again), as before an aside in brackets; a line that names no KPI before either is quoted."""
    head, colon, _ = said.partition(":")
    if not colon:  # "Retail attach rate at the salon (how many clients buy a product …)"
        head, colon, _ = said.partition(" (")
    if colon and 2 <= len(head.split()) <= 8 and not any(c.isdigit() for c in head):
        return f"Start tracking {head[0].lower() + head[1:] if not head[:2].isupper() else head}."
    return f"Start tracking it: {said.rstrip('.')}."


def _unlabelled(text: str, who: str) -> str:
    """An item without the business's name it opens with as a label ("Brennan Events: Declan's
    certificate expires …"), which its statement says before it already."""
    if len(text) > len(who) + 2 and text[len(who)] == ":" and text[:len(who)].lower() == who.lower():
        return text[len(who) + 1:].lstrip()
    return text


def _who(ev: Evidence, ctx: AnalysisContext) -> str:
    return ctx.entity_name(ev.entity) if ev.entity else "Group"


def open_task(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact:
    """An unchecked checkbox: an action, overdue when its due date has passed."""
    label = ev.record.get("label") or _UNLABELLED  # (a task is an action whatever kind a label says)
    due_text = label.get("due") or ev.record.get("due")
    due = date.fromisoformat(due_text) if due_text else None
    task = plain(_DUE_TEXT.sub(" ", ev.text or "").strip().rstrip(".,;:—–- "))  # ("…, $180, due 12/20": no dangling comma)
    topics = (_labelled_topics(ctx.vocabulary, label)
              or ctx.topics_for(task, heading=ev.record.get("heading"), tags=info.tags))
    said = said_on(ev.record, info, ctx)
    flagged = _STATUS.match(task)
    if flagged and _STATUS_SEVERITY[flagged.group(1)[0]] and "kind" not in label:
        # "- [ ] ❌ Google Business Profile never claimed: …": a problem on a checklist, with
        # its fix to do (the plan dates the fix by its severity)
        text = task[flagged.end():].strip()
        who = ctx.entity_name(ev.entity) if ev.entity else "Group"
        dated = f" (next date: {due.isoformat()})" if due else ""
        return fact(
            id=stable_id("f", "task", ev.provenance.path, task.lower()),
            kind="finding", name="risk", entity=ev.entity, severity=_STATUS_SEVERITY[flagged.group(1)[0]],
            due=due, period=said, statement=f"{who}: {text}{dated}.", recommendation=text,
            topics=tuple(sorted({*topics, "risk"})), evidence=(ev.id,), sources=(ev.provenance.label(),),
        )
    return _task_fact(ev, ev.entity, task, due, topics, ev.provenance.label(), ctx, said)


# a checklist item's status mark: red or a cross is a high problem, amber or a warning a medium one
_STATUS = re.compile(r"^\s*([🔴❌⛔🟠🟡⚠]\ufe0f?)\s*[:\-–]?\s*")
_STATUS_SEVERITY = {"🔴": "high", "❌": "high", "⛔": "high", "🟠": "medium", "🟡": "medium", "⚠": "medium"}


def cancelled_task(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact:
    """A task struck through ("~~get quote for van racking~~ -> not this year"): no longer to
    do, and no sign that what it was for got done (it settles nothing)."""
    text = plain((ev.text or "").replace("~~", "").strip())
    heading = ev.record.get("heading") or ""
    who = _who(ev, ctx)
    return fact(
        id=stable_id("f", "cancelled", ev.provenance.path, text.lower()),
        kind="note", name="cancelled", entity=ev.entity, period=said_on(ev.record, info, ctx),
        statement=f"{who} — {heading or info.title}: {text.rstrip('.')} (struck out: not to be done).",
        topics=ctx.topics_for(text, heading=heading, tags=info.tags), evidence=(ev.id,),
        sources=(ev.provenance.label(),),
    )


def done_task(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact:
    """A checked checkbox: a note of what was done, which settles an earlier problem or task
    about the same thing (``resolution``) unless it says it is not over ("still not paid")."""
    text = plain((ev.text or "").strip())
    where = ev.provenance.label()
    return _done(ev, ev.entity, text, ev.record.get("heading") or "", where, info, ctx,
                 ctx.topics_for(text, heading=ev.record.get("heading"), tags=info.tags),
                 ctx.vocabulary.signals(text), said_on(ev.record, info, ctx))


def _done(ev: Evidence, entity: str | None, text: str, heading: str, where: str, info: NoteInfo,
          ctx: AnalysisContext, topics: tuple[str, ...], signals: frozenset[str], said: str | None) -> Fact:
    who = ctx.entity_name(entity) if entity else "Group"
    value, unit = quantity(text, ctx.currency)
    # "called them; still not paid": done, but nothing is settled
    settles = ("problem" not in signals or _TICKED.match(text) is not None) and not _NOT_OVER.search(text)
    return fact(
        id=stable_id("f", "done", ev.provenance.path, heading.lower(), text.lower()),
        kind="note", name="resolved" if settles else "done", entity=entity, value=value, unit=unit,
        period=said,
        statement=f"{who} — {heading or info.title}: {text.rstrip('.')}.",
        topics=topics, evidence=(ev.id,), sources=(where,),
    )


def said_on(record: dict[str, Any], info: NoteInfo, ctx: AnalysisContext) -> str | None:
    """The day an item was written: its nearest dated heading's ("## 2026-11-17", "Week of 2
    November 2026", "# Partners meeting — 2026-11-18"; "## October" is October's last day),
    else its note's (front matter, a
    dated line, else the day the file was last changed: a living document is current).
    An e-mail's or chat's line says its own (``2026-11-19T16:05``: its message's ``Date:``,
    its chat line's time), which orders the lines of one day."""
    today = ctx.as_of.isoformat()
    own = record.get("said")
    if own and own[:10] <= today:
        return own
    reference = _note_day(info, ctx)
    for heading in (record.get("heading") or "", *reversed(record.get("parents") or ()), info.title):
        for day in heading_days(heading, ctx.dmy, reference):
            if day.isoformat() <= today:
                return day.isoformat()
        if heading and len(heading) <= 16 and (month := month_heading(heading, reference)):
            return month.isoformat()  # "## October" in a running status doc: its items are October's
    # (a file changed after the as-of date was, as far as this run knows, written on it)
    return min(info.updated, ctx.as_of).isoformat() if info.updated else None


_UNLABELLED: dict[str, Any] = {}
# a password cell that points at another login's password instead of holding one
_REUSED = re.compile(r"\s*(?:the\s+)?same(?:\s+password)?\s+as\b|\s*(?:re-?used?|shared)\s+(?:from|with)\b", re.I)


def _labelled_topics(vocab: Vocabulary, label: dict[str, Any]) -> tuple[str, ...]:
    """The topics an LLM reader's label gives (with those they imply), or none."""
    return vocab.topics_of(frozenset(label["topics"]), frozenset()) if "topics" in label else ()


def _task_fact(ev: Evidence, entity: str | None, task: str, due: date | None, topics: tuple[str, ...],
               where: str, ctx: AnalysisContext, said: str | None = None) -> Fact:
    tag = _SEVERITY_TAG.match(task)  # "[high] Fire risk assessment … book one before 19 Dec": the writer's
    if tag:
        task = task[tag.end():].strip()
    overdue = due is not None and due < ctx.as_of
    if overdue:
        severity, name = "high", "overdue_task"
        when = f", overdue since {due.isoformat()}"  # type: ignore[union-attr]
    elif due is not None and due > ctx.as_of + timedelta(days=_LEAD) and (_EXPIRES.search(task) or _FILING.search(task)) \
            and due <= ctx.as_of + timedelta(days=EXPIRY_WARNING_DAYS):
        # "Hiscox public liability renews 8 Jan, no quote yet": what lapses then is done a month before
        start = due - timedelta(days=_LEAD)
        severity, name, when = "medium", "open_task", f", due {due.isoformat()}: start by {start.isoformat()}"
        due = start
    elif due is not None:
        severity = "medium" if due <= ctx.as_of + timedelta(days=14) else "low"
        name, when = "open_task", f", due {due.isoformat()}"
    else:
        severity, name, when = "low", "open_task", ", no due date"
    if tag and _RANK[tag.group(1).lower()] < _RANK[severity]:  # (its date may say more: "overdue" is high)
        severity = tag.group(1).lower()
    who = ctx.entity_name(entity) if entity else "Group"
    return fact(
        id=stable_id("f", "task", ev.provenance.path, task.lower()),
        kind="action", name=name, entity=entity, severity=severity, due=due, period=said,
        statement=f"{who}: {task}{when}.",
        recommendation=task, topics=topics, evidence=(ev.id,), sources=(where,),
    )


def _severity(text: str, signals: frozenset[str], vocab: Vocabulary, default: str = "medium") -> tuple[str, str]:
    """Severity from a leading ``[high]`` tag or from its words; the text without the tag.
    What only may happen ("unpaid balances may be subject to a lien") is a medium problem:
    high needs a sentence that says it high without a hedge."""
    tag = _SEVERITY_TAG.match(text)
    if tag:
        return tag.group(1).lower(), text[tag.end():].strip()
    for level in ("critical", "high", "low"):
        if level in signals:
            if level != "low" and "hedge" in signals and not any(
                    level in (said := vocab.signals(sentence)) and "hedge" not in said
                    for sentence in _SENTENCE.split(text)):
                return "medium", text  # ("Unless you tell me otherwise we will file the eviction")
            return level, text
    return default, text


_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_ASIDE = re.compile(r"\s*\([^()]*\)(?=[^()]*\w)")  # (one the sentence goes on past)
_LAST_CLAUSE = re.compile(r"(?<=[.!?;])\s+|,?\s+(?:and|but|so|now)\s+(?=\S)|\s*(?:→|->|=>)\s*", re.I)


# what a holding company has none of by design: it owns the others and earns little itself
_BY_DESIGN = re.compile(r"(?i)\b(?:has|have|had|with) no (?:customers?|clients?|income|revenue|sales|staff|employees)"
                        r"(?:(?:,| and| or| and no| or no) (?:customers?|clients?|income|revenue|sales|staff|employees))*"
                        r"(?: of its own)?")


# a client, tenant or contract that went, and what says it is still a matter
_GONE = re.compile(r"(?i)\b(?:did not renew|didn'?t renew|not renewed|churned|moved out|cancell?ed|ended|left us)\b")
_STILL = re.compile(r"(?i)\b(?:still|again|since|owes?|owing|owed|unpaid|overdue|outstanding|not yet|until|dispute\w*|"
                    r"lien|chas\w+|deposit)\b")
_LONG_AGO = 60  # days before the as-of date: what went then is history
# days before the as-of date: a problem an item written then tells of is history (its note is
# stale, which a finding of its own says; nobody wrote since that it still is a problem)
_HISTORY = 183


def _long_gone(text: str, dates: Sequence[str], ctx: AnalysisContext) -> bool:
    """Whether an item tells of a client, tenant or contract that went two months or more
    before the as-of date ("contract ran to 31 July and they did not renew"), every date it
    names that long ago, and nothing still open about it."""
    if not dates or not _GONE.search(text) or _STILL.search(text):
        return False
    return max(dates) < (ctx.as_of - timedelta(days=_LONG_AGO)).isoformat()


def _fine(signals: frozenset[str]) -> bool:
    """Whether an item says what looks like a problem is as it should be ("That is right: no
    jobs in August"), with no high or critical word beside it."""
    return "fine" in signals and not signals & {"high", "critical"}


def _ends_over(text: str, vocab: Vocabulary) -> bool:
    """Whether an item's last clause says the problem it tells of is over ("…four payouts were
    missing. Added them 11/28 and the feed is back up"), with no problem word or doubt in it."""
    # an aside the sentence goes on past is why, not what became of it: "The $10,000 line-of-
    # credit draw (plates, permits and Ridgeway paying late) was repaid in full on Oct 15"; one
    # at the end is what became of it ("Heater replaced (still not working)")
    plain = _ASIDE.sub("", text).rstrip(" .!")
    labelled = _LABELLED_OVER.match(plain) or _HEADED_OVER.match(plain)
    if labelled:  # "Unit 5's leak at Linden Court: fixed November 6, confirmed dry": the label's matter, over
        rest = labelled.group("rest")
        return not ("problem" in vocab.signals(rest) or _NOT_OVER.search(rest) or _CHASED.search(rest)
                    or _UNDERWAY.search(rest))
    trailing = _TRAILING_STATUS.search(plain)
    if trailing:  # "…, customer cancelled, that one's done": the writer closes it after a comma
        before = plain[:trailing.start()]
        return not (_NOT_OVER.search(before) or _CHASED.search(before) or _UNDERWAY.search(before))
    clauses = _LAST_CLAUSE.split(plain)
    last = clauses[-1]
    if len(clauses) > 1 and _STATUS_OVER.fullmatch(last.strip()):
        # "Leak in Flat 3 was fixed on 11/20 by Gulf Plumbing, $285. Closed.": a status word
        # standing alone says the item is over, as the clause before it tells
        before = clauses[-2]
        said = vocab.signals(before)
        return not (_NOT_OVER.search(before) or _CHASED.search(before) or _UNDERWAY.search(before)
                    or "problem" in said and "resolved" not in said)
    said = vocab.signals(last)
    if "resolved" not in said or "problem" in said or _NOT_OVER.search(last) or _CHASED.search(last):
        return False
    # "The reader died … Gina ordered a new one": a fix on its way ends nothing until it comes
    return not _UNDERWAY.search(last) or "resolved" in vocab.signals(_UNDERWAY.sub(" ", last))


# a status after a comma or a dash at the end of an item ("…, that one's done", "— all sorted")
_TRAILING_STATUS = re.compile(r"[,;—–]\s*(?:(?:that|this)(?: one)?(?:'s| is)\s+|it'?s\s+|all\s+)?"
                              r"(?:done|sorted|fixed|resolved|closed(?: out)?|settled)$", re.I)
# what a line labels, then says is over: "Unit 5's leak at Linden Court: fixed November 6"
_LABELLED_OVER = re.compile(r"[^:]{3,80}:\s*(?:fixed|sorted|resolved|repaired|replaced|done|completed)\b(?P<rest>.*)$",
                            re.I)
# a matter named, then said over before anything else: "Pipe damage all sorted since September:
# floor redone, Hanover paid $4,800" (what follows is what was done, and what it cost)
_HEADED_OVER = re.compile(r"[^:.;,]{3,60}?\s+(?:is |are |was |were )?(?:all |now |fully )?"
                          r"(?:sorted|fixed|resolved|repaired)(?: out)?(?: since [^:.;,]{3,30})?\s*[:;—–](?P<rest>.*)$", re.I)
# a status standing alone at the end of an item: what the item tells of is over
_STATUS_OVER = re.compile(r"(?:status:\s*)?(?:closed(?: out)?|done|resolved|sorted|fixed|completed?|all good)", re.I)
# a fix on its way, not yet there
_UNDERWAY = re.compile(r"\b(?:ordered|order placed|on order)\b", re.I)
# a chaser sent is no end of what it chases ("still unpaid … Second reminder sent 11/23")
_CHASED = re.compile(r"\b(?:reminders?|chasers?|follow-?ups?|nudges?|dunning|final notice|demand letter|"
                     r"late letter|warning)\b", re.I)


_SIGNAL_CHARS = re.compile(r"\d|@")
# a hedge ("if we set it up") makes no sentence worth keeping: it only tempers a problem's severity
_NOT_A_SIGNAL = frozenset({"hedge"})


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)  # headings repeat
def _dated_after(heading: str, as_of: date) -> bool:
    """Whether a heading's dates (full ones, with a year) are all after ``as_of``."""
    days = [d for found in find_dates(heading) if found[0] is not None and (d := resolve_day(found, None))]
    return bool(days) and min(days) > as_of


_BOILERPLATE = re.compile(r"^(?:sent from my \w+|get outlook for \w+|sent via \w+)\b", re.I)
# an item the writer ticks off first, with its status ("✅ Closed — Third rider for the weekend
# run: dropped, moot now"): over, whatever words of the matter follow
_TICKED = re.compile(r"^\s*(?:✅|✔️?|☑️?)\s*(?:closed|done|dropped|resolved|fixed|sorted|cancelled|completed?)\b", re.I)
# what keeps a "done" word from saying something is over: a question ("Is that sorted?"), or
# a negation ("the backup has not completed since Nov 9")
_NOT_OVER = re.compile(r"\?\s*$|\b(?:not|never|cannot|yet to)\b|n't\b"
                       r"|\b(?:i'?m|i am|we'?re|we are|you'?re|they'?re|he'?s|she'?s)\s+done\b", re.I)  # "if they go, we're done"


def _role(vocab: Vocabulary, record: dict[str, Any]) -> str | None:
    """What the item's heading, or the nearest enclosing heading that says, makes its items."""
    for heading in (record.get("heading") or "", *reversed(record.get("parents") or ())):
        role = vocab.role(heading)
        if role is not None:
            return role
    return None


def section_items(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> list[Fact]:
    """Every bullet, and every prose sentence that carries a signal, of a section as a fact.

    What the heading says decides the kind (risks and problems: findings; plans: actions;
    KPIs nobody tracks: gaps; done: notes); elsewhere an item whose words say something is
    wrong ("vacant", "late", "never e-mailed") is a finding, and the rest are notes.
    """
    vocab = ctx.vocabulary
    record = ev.record
    heading = record.get("heading") or ""
    if heading and _DIGIT.search(heading) and _dated_after(heading, ctx.as_of):
        return []  # a log entry ("## 2026-11-25", "Week of 30 November 2026") written after the as-of date
    role = _role(vocab, record)
    name, lower = _slug(heading) or "note", heading.lower()
    # what the headings above say the items are about ("# Marketing" over "## Gull Cottage")
    # (a heading that is a business's name says whose the items are, not what they are about:
    # "# Greenline Landscaping" does not make its domain name a landscaping trade)
    names = ctx.business_names
    context = " / ".join(h for h in (*(record.get("parents") or ()), heading) if h.lower() not in names)
    facts: list[Fact] = []
    section_said = said_on(record, info, ctx)
    items = [(b, plain(str(b.get("text") or "").strip()), False) for b in record.get("bullets") or ()]
    items += [(sentence, plain(str(sentence.get("text") or "").strip()), True) for sentence in record.get("paras") or ()]
    for item, raw, prose in items:
        if not raw:
            continue
        own = item.get("said")  # an e-mail's Date:, a chat line's time
        said = own if own and own[:10] <= ctx.as_of.isoformat() else section_said
        signals = vocab.signals(raw)
        if "[secret withheld" in raw and role != "risk":
            # the secret is a finding of its own (security.py); the line around it is context
            signals = signals - {"problem", "critical", "high"}
        label = item.get("label") or _UNLABELLED  # what the LLM reader said, where it said it
        figures = spoken_figures(raw)  # "twelve hundred a month" read as "$1,200 a month"
        if prose and not label and not (signals - _NOT_A_SIGNAL or _SIGNAL_CHARS.search(figures) or role in ("risk", "plan", "missing_kpi", "done")):
            continue  # a sentence that says nothing checkable: not worth a fact
        entity = label["entity"] if "entity" in label else item.get("entity") or ev.entity
        if entity is not None and "problem" in signals and ctx.kind_of(entity) == "holding" and _BY_DESIGN.search(raw):
            signals = vocab.signals(_BY_DESIGN.sub(" ", raw))  # "Holdings has no customers and no income": what it is
        who = ctx.entity_name(entity) if entity else "Group"
        line = item.get("line")
        where = f"{ev.provenance.path}:{line}" if line else ev.provenance.label()
        value, unit = quantity(figures, ctx.currency)
        subject = item.get("re")  # the e-mail's Subject: says what its lines are about, as a heading does
        topics = _labelled_topics(vocab, label) or ctx.topics_for(
            raw, heading=f"{context} / {subject}" if subject else context, tags=info.tags)
        about = f" (e-mail: {subject})" if subject and subject.lower() not in raw.lower() else ""
        if unit == ctx.currency and "finance" not in topics and "topics" not in label:
            topics = tuple(sorted({*topics, "finance"}))  # an item that states an amount of money is about money
        if unit is not None and role not in ("missing_kpi", "plan", "done"):
            facts.extend(stated_kpis(ev, info, item, raw, entity, where, ctx, figures))
        if _BOILERPLATE.match(raw):
            continue  # "Sent from my iPhone": a mail client's line, not the writer's
        if (not label and (role == "done" or "resolved" in signals)
                and ("problem" not in signals or _TICKED.match(raw)) and not _NOT_OVER.search(raw)):
            # "water heater replaced at coastal rv, $640 paid": what settles an earlier problem
            facts.append(_done(ev, entity, raw, heading, where, info, ctx, topics, signals, said))
            continue
        if not label and "problem" in signals and "resolved" in signals and _ends_over(raw, vocab):
            # "Feed dropped 11/18 … Added them 11/28 and the feed is back up": over, as it says last
            facts.append(_done(ev, entity, raw, heading, where, info, ctx, topics,
                               signals - {"problem", "critical", "high"}, said))
            continue
        kind = label.get("kind") or (
            "gap" if role == "missing_kpi" and not _DO_TRACK.search(raw) else "action" if role == "plan" and not prose
            else "finding" if role == "risk" or (role != "done" and "problem" in signals and not _fine(signals))
            # "1099s for two contractors due Jan 31": a deadline
            else "action" if role is None and item.get("due") else "note")
        if kind == "finding" and role != "risk" and not label and _long_gone(raw, item.get("dates") or (), ctx):
            kind = "note"  # "Fenwick Dental: contract ran to 31 July and they did not renew": history, not a shortfall
        if kind == "finding" and not label and said and said[:10] < (ctx.as_of - timedelta(days=_HISTORY)).isoformat():
            kind = "note"  # last season's recap ("written 11/21/2025"): what was wrong then, not a risk now
        if kind == "gap":
            facts.append(fact(
                id=stable_id("f", "untracked", ev.provenance.path, raw.lower()),
                kind="gap", name="missing_kpi", entity=entity, severity=label.get("severity", "medium"),
                statement=f"{who}: {_unlabelled(raw, who).rstrip('.')} (not tracked).",
                recommendation=_start_tracking(_unlabelled(raw, who)),
                topics=tuple(sorted({*topics, "kpi"})), evidence=(ev.id,), sources=(where,),
            ))
        elif kind == "action":
            facts.append(_action(ev, entity, raw, label.get("due") or item.get("due"), heading, topics, where, ctx, said))
        elif kind == "finding":
            severity, text = _severity(raw, signals, vocab, "medium")
            due = date.fromisoformat(label["due"]) if "due" in label else (
                risk_date(item.get("dates") or (), ctx) or risk_date([item["due"]] if item.get("due") else (), ctx))
            if severity in ("medium", "low") and _EXPIRES.search(raw) \
                    and (lapses := due or _month_said(raw, ctx.as_of)) is not None \
                    and (lapses - ctx.as_of).days <= EXPIRY_WARNING_DAYS:
                severity = "high"  # "town short-term rental permit expires 12/31/2026": a month to renew it
            severity = label.get("severity", severity)
            dated = f" (next date: {due.isoformat()})" if due and due.isoformat() not in text else ""
            facts.append(fact(
                id=stable_id("f", "risk", ev.provenance.path, text.lower()),
                kind="finding", name="risk", entity=entity, severity=severity, due=due,
                value=value, unit=unit, period=said,
                statement=f"{who}: {_unlabelled(text, who).rstrip('.')}{dated}{about}.",
                topics=tuple(sorted({*topics, "risk"})), evidence=(ev.id,), sources=(where,),
            ))
        else:
            facts.append(fact(
                id=stable_id("f", "note", ev.provenance.path, lower, raw.lower()),
                kind="note", name=name, entity=entity, value=value, unit=unit, period=said,
                statement=f"{who} — {heading or subject or info.title}: {_unlabelled(raw, who).rstrip('.')}.",
                topics=topics, evidence=(ev.id,), sources=(where,),
            ))
    return facts


# what several accounts hold together: "Cash on hand is about $23,600 … the three accounts would
# hold about $8,700", "across both accounts", "about $51k in the bank across everything"
_ALL_ACCOUNTS = re.compile(r"(?i)\b(?:the (?:two|three|four|five) |all (?:the |our |three |four )?|both |our )accounts\b"
                           r"|\bacross (?:everything|every account|all of (?:it|them)|the (?:group|businesses|companies))\b")


def stated_kpis(ev: Evidence, info: NoteInfo, item: dict[str, Any], raw: str, entity: str | None,
                where: str, ctx: AnalysisContext, figures: str | None = None) -> list[Fact]:
    """The KPIs an item states in its own words ("roughly 41% occupancy", "op acct $11,320"),
    as metric facts dated by the item's own date or its note's: a briefing shows them, and
    nobody is asked to start tracking what the notes already state. ``figures``: the item
    with the figures it says in words as digits ("checking is at about eleven grand")."""
    out = []
    group = _ALL_ACCOUNTS.search(raw) is not None  # "across the three accounts": the group's cash, whoever is named
    for name, unit, figure in ctx.vocabulary.stated(figures or raw):
        entity = None if group and name == "cash_balance" else entity
        name = ctx.vocabulary.stated_name(name, ctx.kind_of(entity))
        if unit == "money":
            parsed = parse_money(figure)
            if parsed is None:
                continue
            value, shown_unit, shown = parsed[0], ctx.currency, money(parsed[0], ctx.currency)
        elif unit == "score":  # "rating 4.8", "4.6/5"
            score = figure.split("/")[0].split(" out of")[0].strip()
            value, shown_unit, shown = Decimal(score), None, score
        else:
            value, shown_unit, shown = Decimal(figure), "%", f"{figure}%"
        # the day the item, its heading ("Week of 16 November 2026") or its note gives
        today = ctx.as_of.isoformat()
        said = [d for d in item.get("dates") or () if d <= today]
        said += [own[:10] for own in (item.get("said"),) if own and own[:10] <= today]
        said += [d.isoformat() for d in heading_days(ev.record.get("heading") or "", ctx.dmy, _note_day(info, ctx))
                 if d.isoformat() <= today]
        when = said[0] if said else info.updated.isoformat() if info.updated and not info.guessed else None
        on = f" on {when}" if when else ""
        out.append(fact(
            id=stable_id("f", "stated", name, entity, where, raw.lower()),
            kind="metric", name=name, entity=entity, value=value, unit=shown_unit, period=when,
            statement=f"{ctx.entity_name(entity) if entity else 'Group'} {humanize(name)}: {shown} "
                      f"(stated in {where}{on}).",
            topics=tuple(sorted({"kpi", *ctx.vocabulary.topics_for(humanize(name))})),
            evidence=(ev.id,), sources=(where,),
        ))
    return out


def _note_day(info: NoteInfo, ctx: AnalysisContext) -> date:
    """The day a note's undated lines and year-less headings are read against: its own, or the
    as-of date for a note changed after it."""
    return min(info.updated, ctx.as_of) if info.updated else ctx.as_of


def _action(ev: Evidence, entity: str | None, raw: str, due_text: str | None, heading: str,
            topics: tuple[str, ...], where: str, ctx: AnalysisContext, said: str | None = None) -> Fact:
    """An item a plan heading lists ("Next 30 days: renew the policy by Dec 15"): an open task."""
    due = date.fromisoformat(due_text) if due_text else None
    return _task_fact(ev, entity, raw, due, topics, where, ctx, said)


_QUANTITY = re.compile(
    r"(?P<pct>(?<![\w.,])\d{1,3}(?:\.\d+)?\s?%)"
    r"|(?P<money>(?:USD|EUR|GBP|CA\$|A\$|[$€£])\s?\d[\d,]*(?:\.\d+)?(?:\s?[kK](?![a-z]))?)"
    r"|(?P<count>(?<![\w$€£.,/:-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:[- ](?P<noun>[a-z][a-z-]{2,}))?",
)
_NOT_NOUNS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "am", "pm", "and", "or", "to", "of", "in", "at", "on", "the", "a", "an", "for", "by", "from",
    "st", "nd", "rd", "th",
})


_MONTH_BEFORE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s$")


def quantity(text: str, currency: str) -> tuple[Decimal | None, str | None]:
    """The main figure an item states: money first ("$2,300 quote"), else a percentage, else a
    count with its noun ("a 2,400-person list" → 2400 person). Dates and years are not figures."""
    if not _SIGNAL_CHARS.search(text):
        return None, None
    counts: list[tuple[Decimal, str]] = []
    percent_found: Decimal | None = None
    for m in _QUANTITY.finditer(text):
        if m.group("money"):
            parsed = parse_money(m.group("money"))
            if parsed is not None:
                return parsed[0], currency
        elif m.group("pct") and percent_found is None:
            percent_found = Decimal(m.group("pct").rstrip("% "))
        elif m.group("count"):
            noun = (m.group("noun") or "").lower()
            digits = m.group("count")
            if noun in _NOT_NOUNS or (len(digits) == 4 and digits.startswith(("19", "20")) and not noun) \
                    or _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # a date or a year ("the Nov 19 sync" is a day, not 19 syncs)
            if noun:
                counts.append((Decimal(digits.replace(",", "")), noun))
    if percent_found is not None:
        return percent_found, "%"
    if counts:
        return counts[0]
    return None, None


# what lapses on a date: a permit, a licence, a certificate, a policy. Within this many days of
# the as-of date it is a high matter, whatever words it is said in (renewing takes time: an
# inspection to book, a quote to get)
EXPIRY_WARNING_DAYS = 60
_LEAD = 30  # days before a renewal or expiry a task about it is started: quotes, forms, an inspector's visit
# a return or filing due: prepared (and its money found) a month before, as a renewal is
_FILING = re.compile(r"(?i)\b(?:return|filing|accounts|tax bill|payment on account)\s+(?:is\s+|are\s+)?due\b|\bdue to be filed\b")
_EXPIRES = re.compile(r"(?i)\b(?:expir\w*|runs? out|lapses?|lapsing|renewal (?:is )?due|due for renewal|renews)\b")


# a month said without a day: "the propane tank certification expires in January"
_MONTH_SAID = re.compile(r"(?i)\b(?:in|by|before|end of|early|mid|late|during|this|next)\s+(?:-\s*)?"
                         r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_said(text: str, as_of: date) -> date | None:
    """The first day of the month a text names without a day ("expires in January"), the
    next such month from the as-of date on (its own month: the as-of date): the earliest it
    can mean, for whether something lapses soon. Not a due date: the day is not known."""
    m = _MONTH_SAID.search(text)
    if m is None:
        return None
    month = _MONTHS.index(m.group(1).lower()) + 1
    if month == as_of.month:
        return as_of
    return date(as_of.year + (month < as_of.month), month, 1)


def risk_date(dates: Sequence[str], ctx: AnalysisContext) -> date | None:
    """The first date a risk names that is today or later: when it bites."""
    upcoming = sorted(d for d in dates if d >= ctx.as_of.isoformat())
    return date.fromisoformat(upcoming[0]) if upcoming else None


def table_row(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact | None:
    """A table row as a note fact: one record, its cells in order."""
    cells = ev.record.get("cells") or {}
    heading = ev.record.get("heading") or info.title
    label = ev.record.get("label") or _UNLABELLED  # an LLM reader's: a row may be a finding, a gap, an action
    topics = _labelled_topics(ctx.vocabulary, label) or ctx.topics_for(
        " ".join((*cells, *map(str, cells.values()))), heading=heading, tags=info.tags)
    kind = label.get("kind", "note")
    items = list(cells.items())
    head = items[0][1] if items else ""
    rest = "; ".join(f"{_column(k)} {v}" for k, v in items[1:] if str(v).strip())
    labelled: dict[str, Any] = {}
    if kind in ("finding", "gap"):
        labelled["severity"] = label.get("severity", "medium")
        topics = tuple(sorted({*topics, "risk" if kind == "finding" else "kpi"}))
    if "due" in label and kind in ("finding", "action"):
        labelled["due"] = date.fromisoformat(label["due"])
    # a log's row is of the day its date cell gives, and what its status cell says is over
    # ("fixed, tap replaced") ends an earlier row's problem (resolution.py)
    day, ahead = _row_day(items, info.updated)
    if ahead is not None and "due" not in labelled:
        labelled["due"] = ahead  # ("due Dec 20", "next guest Fri 11 Dec": when it comes)
    name = "table_row"
    if kind == "note" and day is not None and any(_over(str(v), ctx.vocabulary) for _, v in items[1:]):
        name = "resolved"
    # a password cell that names another login's ("| QuickBooks | rosa@… | same as Chase |"):
    # one password opens both, so a leak of one is a leak of the other
    reused = next((str(v) for k, v in items[1:] if secret_column(k) and _REUSED.match(str(v))), None)
    if kind == "note" and reused is not None:
        kind, name = "finding", "password_reused"
        labelled["severity"] = "high"
        topics = tuple(sorted({*topics, "security", "risk"}))
    return fact(
        id=stable_id("f", "row", ev.provenance.path, heading.lower(), str(head).lower()),
        kind=kind, name=name, entity=ev.entity, period=day.isoformat() if day else None,
        statement=f"{_who(ev, ctx)} — {heading}: {head}" + (f" ({rest})" if rest else "")
        + (": one password for two logins, so whoever learns one has both." if reused else "."),
        topics=topics, evidence=(ev.id,), sources=(ev.provenance.label(),), **labelled,
    )


def _row_day(cells: list[tuple[str, Any]], reference: date | None) -> tuple[date | None, date | None]:
    """The day a row's first cell that is a date alone gives (``2026-11-19``, ``11/19``), as
    (the day the row was written, None), or (None, the day it comes) where that is after its
    note's: a status board's "next guest Fri 11 Dec", an ops board's "due Dec 20"."""
    for _, value in cells:
        text = str(value).strip()
        if 4 <= len(text) <= 18 and _DIGIT.search(text):
            found = find_dates(text)
            if found:
                day = resolve_day(tuple(found[0]), reference)
                if day is not None and reference is not None and day > reference:
                    return None, day
                return day, None
    return None, None


def _over(cell: str, vocab: Any) -> bool:
    """Whether a cell says its row's matter is over ("fixed, tap replaced", "done")."""
    if not cell or len(cell) > 60:
        return False
    signals = vocab.signals(cell)
    return "resolved" in signals and "problem" not in signals and not _NOT_OVER.search(cell)


@lru_cache(maxsize=1024)  # a table's column names repeat on every row
def _column(key: str) -> str:
    return humanize(key)


def parse_kpi_value(raw: str, currency: str) -> tuple[Decimal, str] | None:
    """``"83%"`` → (83, "%"); ``"$7.40"`` → (7.40, currency); ``"2,150"`` → (2150, "")."""
    text = str(raw).strip().replace(",", "")
    unit = ""
    if text.endswith("%"):
        unit, text = "%", text[:-1]
    elif text[:1] in "$€£":
        unit, text = currency, text[1:]
    try:
        return Decimal(text), unit
    except InvalidOperation:
        return None


def kpi_values(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> list[Fact]:
    """KPIs a note states in its front matter (``kpis:``) become metric facts."""
    facts = []
    for name, raw in sorted((ev.record.get("kpis") or {}).items()):
        parsed = parse_kpi_value(raw, ctx.currency)
        if parsed is None:
            continue
        value, unit = parsed
        shown = percent(value) if unit == "%" else money(value, unit) if unit else number(value)
        asof = f" (as of {info.updated.isoformat()})" if info.updated else ""
        facts.append(fact(
            id=stable_id("f", "kpi", name, ev.entity),
            kind="metric", name=name, entity=ev.entity, value=value, unit=unit or None,
            period=info.updated.isoformat() if info.updated else None,
            statement=f"{_who(ev, ctx)} {humanize(name)}: {shown}{asof}.",
            topics=tuple(sorted({"kpi", *ctx.vocabulary.topics_for(humanize(name), tags=info.tags)})),
            evidence=(ev.id,), sources=(ev.provenance.path,),
        ))
    return facts


def stale_note(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact | None:
    """A note not updated for ``stale_days``: its facts may no longer be true."""
    if info.updated is None:
        return None
    age = (ctx.as_of - info.updated).days
    if age <= ctx.stale_days:
        return None
    return fact(
        id=stable_id("f", "stale", ev.provenance.path),
        kind="finding", name="stale_note", entity=ev.entity, severity="low",
        value=Decimal(age), unit="days", period=info.updated.isoformat(),
        statement=f"The note '{info.title}' was last updated on {info.updated.isoformat()}, {age} days ago.",
        recommendation=f"Review '{info.title}' and update or archive it.",
        topics=("operations", "data-quality"), evidence=(ev.id,), sources=(ev.provenance.path,),
    )


_MARKS = re.compile(r"[\[*_`]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_WIKILINK = re.compile(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def plain(text: str) -> str:
    """Inline Markdown as plain words: ``**bold**``, ``_em_``, `` `code` `` and links lose their marks."""
    if not _MARKS.search(text):
        return text  # most bullets have no markup: skip the substitutions
    if "[[" in text:  # a wiki link: [[Hartwell retaining wall]], [[Priya Nair|Priya]]
        text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
