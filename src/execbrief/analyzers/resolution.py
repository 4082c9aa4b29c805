"""Problems and tasks a later note says are over.

People log a problem one day and its end another: "van water heater DEAD, get a quote from
Coastal RV" on the 17th, "van back!! water heater replaced at Coastal RV, $640 paid" on the
20th; "Send the Q3 P&L to Reyes CPA, owner Priya" in one meeting's action items, "Q3 P&L
sent to Reyes CPA (Priya). Done." in the next one's review. A briefing that still shows the
first as open is wrong, however well it read each note.

The operations rules keep what an item says is over (a checked task, an item under a *Done*
heading, or one with a word such as *fixed*, *replaced*, *renewed*, *sent*, *back up*, and no
problem word such as *still not*) as a ``resolved`` note, dated by its heading or note.
This rule settles each earlier finding, open task or note of the same business (or of the group)
that says the same thing, by the distinctive words the two share ("water heater", "Coastal
RV"; "Q3", "P&L", "Reyes", "CPA"), into a note of what happened, citing both items. A
problem and its end are never matched across businesses, on the same day or backwards in
time (a status board's *Done* column is not later than its *Backlog*), or on common words
alone (a word a fifth of a business's open items use, "flat", "BL", tells none apart). A note
of where a balance stood ("loan balance after the 11/5 payment: $14,157") is no matter a later
payment ends: it stays what it said.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Sequence

from ..model import Fact
from ..sources.values import find_dates, resolve_day
from ..wording import TOKEN, has_amount, phrases, words
from .base import FACTS, AnalysisContext, rule
from .build import item_text

__all__ = ["analyze"]

_OPEN = frozenset({"risk", "open_task", "overdue_task"})
_BALANCE = re.compile(r"(?i)\bbalances?\b")
_ENDS = frozenset({"resolved", "done", "resolved_later"})

def _before(problem: Fact, end: Fact, ctx: AnalysisContext) -> bool:
    """Whether ``end`` was written after ``problem``: on a later day, or later the same day
    where both say at what time (``2026-11-19T08:05``, an e-mail's ``Date:``, a chat line's
    time), or, in one note of one day, where their words tell the days: "The Square reader
    died on 10/25 …" and "The new reader came on 11/2 …, so that's fixed". Two items of one
    day are otherwise not ordered: lower down a status board is another column (*Done* under
    *Backlog*), not a later time."""
    if problem.period is None or end.period is None:
        return False
    if end.period[:10] != problem.period[:10]:
        return end.period[:10] > problem.period[:10] and not _done_before(problem, end, ctx)
    if len(problem.period) > 10 and len(end.period) > 10:
        return end.period > problem.period
    if not (_DIGIT.search(problem.statement) and _DIGIT.search(end.statement)):
        return False
    reference = date.fromisoformat(end.period[:10])
    began = _days_told(item_text(problem), reference, ctx, "problem")
    ended = _days_told(item_text(end), reference, ctx, None)
    return bool(began and ended) and min(began) < max(ended) <= reference


def _done_before(problem: Fact, end: Fact, ctx: AnalysisContext) -> bool:
    """Whether a later note's end says the day it was done, more than a week before the
    problem was written: "✅ Right to Rent check, Lucy Park: 28/10/2026" in a checklist ticked
    since settles nothing a note of 26 November still calls open. Only a day said as when it was
    done counts ("done 18/11", "fixed on 10/3", a ticked line's closing ": 28/10/2026"), not
    another day the end names ("backfilled from 11/1")."""
    text = item_text(end)
    said = [m.group(1) or m.group(2) for m in _DONE_ON.finditer(text)]
    if not said:
        return False
    reference = date.fromisoformat(end.period[:10])
    style, other = ("dmy", "mdy") if ctx.dmy else ("mdy", "dmy")  # (28/10/2026 is a day in either order)
    days = [d for span in said
            for f in find_dates(span, style, yearless=True) or find_dates(span, other, yearless=True)
            if (d := resolve_day(f, reference))]
    return bool(days) and max(days) < date.fromisoformat(problem.period[:10]) - timedelta(days=7)


# the day an end says it was done: after a word of doing, or closing a ticked line
_DONE_ON = re.compile(r"(?i)\b(?:done|fixed|completed|repaired|replaced|returned|renewed|checked|sorted)"
                      r"\s*(?:on\s+)?:?\s*(\d[\d/.-]+\d|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?(?:\s+\d{4})?"
                      r"|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)"
                      r"|(?:✅|✔|☑).*[:—–]\s*(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2})\s*\.?\s*$")


_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[.;!?](?:\s+|$)")


def _days_told(text: str, reference: date, ctx: AnalysisContext, signal: str | None) -> list[date]:
    """The days a text names ("on 10/25", "25 October"), in its sentences that hold
    ``signal`` (every sentence when None): when a problem began, when it ended."""
    days = []
    for sentence in _SENTENCE.split(text):
        if not _DIGIT.search(sentence) or (signal is not None and signal not in ctx.vocabulary.signals(sentence)):
            continue
        found = find_dates(sentence, "dmy" if ctx.dmy else "mdy", yearless=True)
        days += [d for f in found if (d := resolve_day(f, reference)) is not None]
    return days


def _is_end(f: Fact) -> bool:
    return f.kind == "note" and f.name == "resolved" and f.period is not None


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """What settles what, part by part: each business's items with its ends and the group's
    (a business's problem ends by its own note or a group one), and the group's items with
    every end (a group item ends by any business's note). Facts that are neither an end nor
    an item an end could settle are in no part; a part with no end is left out. An edit in
    one business's notes changes its part and the group's only: the others are kept."""
    own: dict[str, list[Fact]] = {}
    group_items: list[Fact] = []
    group_ends: list[Fact] = []
    every_end: list[Fact] = []
    for f in facts:
        if f.period is None:
            continue
        end = _is_end(f)
        if not end and not (f.name in _OPEN or (f.kind == "note" and f.name not in _ENDS)):
            continue
        if end:
            every_end.append(f)
        if f.entity is None:
            (group_ends if end else group_items).append(f)
        else:
            own.setdefault(f.entity, []).append(f)
    ends_of = {f.entity for f in every_end}
    out = {entity: [*items, *group_ends] for entity, items in own.items() if group_ends or entity in ends_of}
    if every_end and group_items:
        out[""] = [*group_items, *group_ends, *(f for f in every_end if f.entity is not None)]
    return out


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each finding, open task or note from the notes that a later ``resolved`` note settles, as a
    note of what happened (same id: it takes the open item's place). Run part by part
    (``parts``): called with all facts, it settles one part's items."""
    ends = [f for f in facts if _is_end(f)]
    if not ends:
        return []
    names = frozenset(w for name, _ in ctx.entities.values() for w in TOKEN.findall(name.lower()))
    ends_words = [(end, _said(end, names)) for end in ends]
    wanted = frozenset().union(*(w for _, w in ends_words))
    if not wanted:
        return []
    # the open items, indexed by the distinctive words the ends use; a fact base holds up to
    # millions of items, so one C-run search for the ends' words comes before any tokenising
    # ("van#1", a unit: "van 1" in the text, so its kind is what to look for)
    looked = {w.partition("#")[0] for w in wanted if not w.startswith("#")}
    search = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, sorted(looked, key=len, reverse=True))) + ")")
    amounts = any(w.startswith("#") for w in wanted)  # ("#1100": an amount, in digits or words)
    payments = any(_PAID.search(item_text(end)) for end in ends)
    latest = max(end.period for end in ends if end.period)
    scope = None if any(end.entity is None for end in ends) else {end.entity for end in ends}
    opened: list[tuple[Fact, frozenset[str]]] = []
    owes: set[int] = set()  # the opened items that say something is owed (``_paid_by_name``)
    # (business, word) → its open items that use the word: an end looks among its own business's
    # and the group's only, never through every business's (a million facts, thirty businesses)
    index: dict[tuple[str | None, str], list[int]] = {}
    totals: dict[str | None, int] = {}  # open items per business, all of them: what "common" is a share of
    for f in facts:
        if f.period is None or f.period > latest or (scope is not None and f.entity is not None and f.entity not in scope):
            continue
        if not (f.name in _OPEN or (f.kind == "note" and f.name not in _ENDS)):
            continue
        totals[f.entity] = totals.get(f.entity, 0) + 1
        text = item_text(f)
        if f.kind == "note" and _BALANCE.search(text) is not None and has_amount(text):
            continue  # "loan balance after the 11/5 payment: $14,157": where it stood, not what ends
        hits = len(set(search.findall(text.lower())))
        owed = payments and _UNPAID.search(text) is not None  # (a payer's name alone may settle it)
        if hits < 2 and not (hits and (owed or amounts and has_amount(text))):
            continue
        own = words(text, names)
        shared = own & wanted
        if len(shared) < (1 if owed else 2):
            continue
        for w in shared:
            index.setdefault((f.entity, w), []).append(len(opened))
        if owed:
            owes.add(len(opened))
        opened.append((f, own))
    # a word most of a business's open items use ("flat", "BL") says nothing about which
    common = _common_words(opened, totals)
    settled: dict[str, tuple[Fact, Fact]] = {}
    for end, said in ends_words:
        starts = _starts_later(end, ctx)  # "signed the lease for unit B, starts December first": vacant until then
        text = item_text(end)
        paying = _PAID.search(text) is not None and _UNPAID.search(text) is None  # (an end that may settle by name)
        said = said - common.get(end.entity, frozenset()) - common.get(None, frozenset())
        places = (end.entity, None) if end.entity is not None else tuple(totals)  # a group end: any business's
        counts: dict[int, int] = {}
        for w in said:
            for place in places:
                for n in index.get((place, w), ()):
                    counts[n] = counts.get(n, 0) + 1
        pairs: list[tuple[frozenset[str], frozenset[str]]] | None = None
        for n, shared in counts.items():
            problem, own = opened[n]
            own = own - common.get(problem.entity, frozenset())
            by_name = shared == 1 and paying and n in owes and _paid_by_name(problem, end, own & said)  # "Pinewood … paid"
            if not by_name and not _shares_enough(problem, end, shared, own, said, names):
                continue
            units = sum(1 for w in own & said if "#" in w[1:])
            if units > 1 and shared - units + 1 < 2:
                continue  # "Flat 1 ✅ Flat 3 ✅ Flat 2 ❌" and an EPC list of the same flats: a roll, not a matter
            if pairs is None:
                pairs = _name_pairs(end)
            if not by_name and shared - sum(1 for a, b in pairs if a <= own and b <= own and a <= said and b <= said) < 2:
                continue  # "Bright Acre" is one client, not two words: a refund to it ends no note of the MRR
            if problem.entity is not None and end.entity is not None and problem.entity != end.entity:
                continue
            if _other_references(problem, end):
                continue  # "Chase Halden INV-1049" is not ended by "Chase Halden INV-1045 ✅"
            if starts is not None and (problem.due is None or problem.due < starts):
                continue  # what starts later ends a problem only if it was wanted by then ("hire … before Dec 1")
            if not _before(problem, end, ctx):
                continue
            held = settled.get(problem.id)
            if held is None or (end.period or "", end.id) < (held[1].period or "", held[1].id):
                settled[problem.id] = (problem, end)  # the first end after it
    return [_settled(problem, end) for problem, end in settled.values()]


# who an end's line is by or for, before what it says ("Marco: Garcia deposit back (sent
# 11/6)", "Tess: van 1 check engine light"): a name, not what was done
_LABEL = re.compile(r"^\s*[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*)?\s*:\s+(?=\S)")


# what is owed, and what says it was paid ("hasn't paid October's $900" … "paid October and
# November together on 11/18. Done ✅")
_UNPAID = re.compile(r"(?i)\b(?:unpaid|(?:hasn't|has not|haven't|have not|not) (?:yet )?paid|owes?|owing|"
                     r"overdue|past due|still waiting on|waiting on)\b")
_PAID = re.compile(r"(?i)\b(?:paid|payment (?:received|came in|cleared)|settled (?:up|in full))\b")


# a reference: an invoice's, an order's, a ticket's ("INV-1045", "RC-1050", "PO-2231", "W-1004")
_REFERENCE = re.compile(r"\b([A-Z]{1,5})-?#?(\d{3,})\b")


def _other_references(problem: Fact, end: Fact) -> bool:
    """Whether a problem and an end name references of one kind and none of them alike: two
    invoices of one client are two matters, whatever else their lines share."""
    mine: dict[str, set[str]] = {}
    for kind, number in _REFERENCE.findall(item_text(problem)):
        mine.setdefault(kind, set()).add(number)
    if not mine:
        return False
    theirs: dict[str, set[str]] = {}
    for kind, number in _REFERENCE.findall(item_text(end)):
        theirs.setdefault(kind, set()).add(number)
    both = mine.keys() & theirs.keys()
    return bool(both) and all(mine[kind].isdisjoint(theirs[kind]) for kind in both)


def _paid_by_name(problem: Fact, end: Fact, shared: frozenset[str]) -> bool:
    """Whether an end says a payer paid what a problem says it owes, naming it alike: the one
    word they share is a name (capitalised in both: "Pinewood"), the problem says it is owed,
    and the end that the name paid (before "paid", or after "from"), with no word of still owing."""
    problem_text, end_text = item_text(problem), item_text(end)
    if not (_UNPAID.search(problem_text) and _PAID.search(end_text)) or _UNPAID.search(end_text):
        return False
    (word,) = shared
    named = re.compile(rf"\b{re.escape(word)}", re.I)
    if not all((m := named.search(text)) is not None and text[m.start()].isupper() for text in (problem_text, end_text)):
        return False
    # the payer pays: "Pinewood paid Oct + Nov", "payment received from Pinewood"; not "Paid the Summit plumber"
    return re.search(rf"(?i)\b{re.escape(word)}\w*\b[^.;!?]{{0,40}}?\bpaid\b|\bfrom {re.escape(word)}", end_text) is not None


def _shares_enough(problem: Fact, end: Fact, shared: int, own: frozenset[str], said: frozenset[str],
                   names: frozenset[str]) -> bool:
    """Whether a problem and an end share enough distinctive words to be one matter: two at
    least, and nearly a third of the shorter item's; or a fifth, where two of them are one
    thing both say ("hot tub", "plow driver") or a unit and an amount ("unit B" and "$1,375"),
    though not in a table row, whose columns' names are phrases of every row ("contract end")."""
    shorter = min(len(own), len(said))
    if shared < 2:
        return False
    if shared * 10 >= 3 * shorter:
        return True
    return (shared * 5 >= shorter and problem.name != "table_row"
            and (_unit_and_amount(own & said) or _phrase_shared(problem, end, own & said, names)))


def _unit_and_amount(shared: frozenset[str]) -> bool:
    """Whether shared words are a unit ("unit#b", "van#2") and an amount ("#1375"): "Tran (unit B)
    gave notice … advertising at $1,375" and "Unit B re-let with no gap … at $1,375"."""
    return any("#" in w[1:] for w in shared) and any(w.startswith("#") for w in shared)


def _phrase_shared(problem: Fact, end: Fact, shared: frozenset[str], names: frozenset[str]) -> bool:
    """Whether a problem and an end say two of the words they share one after the other, alike:
    "Quint gave 3 stars: hot tub was lukewarm" and "Hot tub circulation pump replaced … fixed"."""
    both = phrases(item_text(problem), names) & phrases(_LABEL.sub("", item_text(end), count=1), names)
    return any(a in shared and b in shared for a, b in both)


def _said(end: Fact, names: frozenset[str]) -> frozenset[str]:
    """The distinctive words of what an end says was done, without the name it is labelled
    with: a to-do list's "Marco: …" shares "Marco" with everything else Marco wrote."""
    return words(_LABEL.sub("", item_text(end), count=1), names)


# what an end says starts later: "starts December first", "a 12-month lease from 1 November"
_STARTS = re.compile(r"(?i)\b(?:starts?|starting|from|effective|begins?|beginning|moves? in|moving in)\s+(?:on\s+)?"
                     r"(?:the\s+)?([a-z]{3,9}\.?\s+[a-z0-9-]{1,12}|[0-9a-z-]{1,12}(?:\s+of)?\s+[a-z]{3,9})")
_ORDINALS = {w: str(n) for n, w in enumerate((
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty-first twenty-second twenty-third "
    "twenty-fourth twenty-fifth twenty-sixth twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first").split(), 1)}


def _starts_later(end: Fact, ctx: AnalysisContext) -> date | None:
    """The day an end says what it brings starts, when after the as-of date (a lease signed
    that starts next month ends no vacancy yet; a driver who starts on the 30th is hired by the
    1st); else None."""
    text = item_text(end)
    if not end.period or not any(w in text.lower() for w in ("start", "from", "effective", "begin", "move")):
        return None
    said = date.fromisoformat(end.period[:10])
    for m in _STARTS.finditer(text):
        span = " ".join(_ORDINALS.get(w.lower(), w) for w in m.group(1).split())
        for found in find_dates(span):
            day = resolve_day(tuple(found), said)
            if day is not None and day > ctx.as_of:
                return day
    return None


_NAME_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+(?:(?:of|&|and|the)\s+)?([A-Z][a-z]+)\b")  # ("Bank of Larch")


def _name_pairs(end: Fact) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The two-word names an end gives ("Bright Acre", "Bank of Larch"; "Coastal RV" is not: RV
    is no word of a name), as their words: shared with a problem, each counts once, not twice."""
    return [(a, b) for first, second in _NAME_PAIR.findall(item_text(end)) if (a := words(first)) and (b := words(second))]


_FEW = 10  # open items of a business below which no word is common to them


def _common_words(opened: list[tuple[Fact, frozenset[str]]],
                  totals: dict[str | None, int] | None = None) -> dict[str | None, frozenset[str]]:
    """Per business with ten open items or more: the words a fifth or more of them share
    (three items at least). ``opened`` may be the items that share words with an end only;
    ``totals`` then counts all the business's open items (three items about one card reader
    among thirty-two are what they are about, not a common word)."""
    by_entity: dict[str | None, list[frozenset[str]]] = {}
    for fact, own in opened:
        by_entity.setdefault(fact.entity, []).append(own)
    out = {}
    for entity, sets in by_entity.items():
        if len(sets) < _FEW:
            continue  # a few items about one furnace share "furnace": the word is what they are about
        total = max(len(sets), (totals or {}).get(entity, 0))
        counts: dict[str, int] = {}
        for own in sets:
            for w in own:
                counts[w] = counts.get(w, 0) + 1
        floor = max(3, total // 5)
        out[entity] = frozenset(w for w, n in counts.items() if n >= floor)
    return out


def _settled(problem: Fact, end: Fact) -> Fact:
    where = end.sources[0] if end.sources else "a later note"
    return Fact(
        id=problem.id, kind="note", name="resolved_later", entity=problem.entity,
        subject=problem.subject, topics=tuple(t for t in problem.topics if t != "risk"),
        value=problem.value, unit=problem.unit, period=end.period,
        statement=f"{problem.statement.rstrip('.')} — resolved by {end.period}: {item_text(end).rstrip('.')} ({where}).",
        evidence=tuple(dict.fromkeys((*problem.evidence, *end.evidence))),
        sources=tuple(dict.fromkeys((*problem.sources, *end.sources))),
    )
