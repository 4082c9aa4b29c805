"""Items of the group that name someone only one business deals with.

A line of notes that names no business may still be about one, as its reader knows from the
other notes: "Gary at Brookside wants me to hand over their logins" is about the web studio
when the notes say elsewhere, twice, that Brookside is one of its clients ("Brookside Auto
called, they're leaving … the biggest retainer I have"; "I need one more client to replace
Brookside"). The people, clients, tenants and suppliers that the items of one business name
at least twice, and the items of no other business name, are its associates; an item of the
group that names associates of one business, and of no other, becomes that business's.

The payers a business's ledger memos name (``economics.payer_list``: "Lakeside Realty - job
1004") are its associates on that alone; and sales tax or VAT is the business's whose ledger
collects it, where only one does ("$1,432 is November sales tax collected, due Dec 15").

Names are the capitalised words inside a sentence ("… called Brookside Auto", "… tell Dr.
Hartley"), not its first word, nor a month, a day or a word of a business's own name. A name
two businesses use (a bank, a platform, a month) says nothing of which one a line is about.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..model import Fact
from .base import FACTS, AnalysisContext, rule
from .build import item_text

__all__ = ["analyze"]

# the facts the notes' items make (operations.py), the only ones a name can move: a note, a
# finding or an action of the group, which says so first ("Group: …", "Group — heading: …")
_KINDS = frozenset({"note", "finding", "action"})
_NOT_ITEMS = frozenset({"secret_in_text", "stale_note", "remediation", "missing_kpi"})
# a capitalised word after a lower-case word, a figure, a comma, "+" or "&": a name, not a sentence's start
# "tell Dr. Hartley"; a word with a capital inside is a name wherever it is ("Cancel ZenMaid")
_NAME = re.compile(r"\b[A-Z][a-z]+[A-Z][A-Za-z]*(?:'s)?"
                   r"|(?:(?<=[a-z0-9,)+&] )|(?<=\b(?:Dr|Mr|Ms)\. )|(?<=\bMrs\. ))[A-Z][a-z]{2,}(?:'s)?")
_NOT_NAMES = frozenset("""
January February March April May June July August September October November December
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday
Sunday Mon Tue Wed Thu Fri Sat Sun The And But Also Okay Then This That There They These Those
What When Where Which While With From For Not Our Your His Her Its Their Please Thanks Today
Tomorrow Yesterday Christmas Thanksgiving Easter New Year Business Profile
""".split())
# sales tax or VAT, said in a group item: the business whose ledger collects it, if only one does
_TAX = re.compile(r"(?i)\b(?:sales tax|vat|gst|hst)\b")
_TAX_FACTS = frozenset({"sales_tax_passed_on", "sales_tax_in_revenue"})
_MIN_SEEN = 2  # lines of one business's notes that name someone before the name is that business's


def _names(text: str, own: frozenset[str]) -> frozenset[str]:
    return frozenset(n for m in _NAME.findall(text) if (n := m.removesuffix("'s")) not in _NOT_NAMES
                     and n.lower() not in own)


@rule(reads=FACTS, settles=True)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each item of the group that names associates of exactly one business, as that business's
    (same id: it takes the group item's place)."""
    if len(ctx.entities) < 2:
        return []
    group = [f for f in facts if f.entity is None and f.kind in _KINDS and f.name not in _NOT_ITEMS
             and f.statement.startswith(("Group: ", "Group — "))]
    if not group:
        return []
    own = frozenset(w.lower() for eid, (name, _) in ctx.entities.items() for w in re.findall(r"[A-Za-z]+", f"{eid} {name}"))
    wanted = {f.id: _names(item_text(f), own) for f in group}
    every = frozenset().union(*wanted.values())
    taxing = {f.id for f in group if _TAX.search(item_text(f))}  # "$1,432 is November sales tax collected"
    if not every and not taxing:
        return []
    # where the names the group's items use appear in the businesses' own items: one C-run
    # search over a fact base of any size, for those names only
    search = re.compile(r"\b(" + "|".join(map(re.escape, sorted(every, key=len, reverse=True))) + r")\b"
                        if every else "(?!)")
    seen: dict[str, dict[str, set[str]]] = {}  # name → business → the lines that name it
    in_group: dict[str, set[str]] = {}  # name → the group's lines that name it
    taxed: set[str] = set()  # the businesses whose ledger collects sales tax or VAT
    for f in facts:
        if f.entity is None:
            for name in set(search.findall(f.statement)):
                in_group.setdefault(name, set()).add(f.sources[0] if f.sources else f.id)
            continue
        if f.name in _TAX_FACTS:
            taxed.add(f.entity)
        for name in set(search.findall(f.statement)):
            lines = seen.setdefault(name, {}).setdefault(f.entity, set())
            lines.add(f.sources[0] if f.sources else f.id)
            if f.name == "payers":  # (who the ledger says pays the business: enough alone)
                lines.update(f"{f.id}#{n}" for n in range(_MIN_SEEN))
    owner = {name: next(iter(by)) for name, by in seen.items()
             if len(by) == 1 and len(next(iter(by.values()))) >= _MIN_SEEN}
    # whom one business's items name that often, though another's name them once: "Ray for
    # the railing" beside "Luis's final check" is about two businesses. A name several
    # businesses' items use that often, or the group's other items do (the family at every
    # meeting: "then Dad calls the owner"), tells nothing.
    mostly = {name: found.pop() for name, by in seen.items()
              if len(found := {e for e, lines in by.items() if len(lines) >= _MIN_SEEN}) == 1}
    out = []
    for f in group:
        owners = {owner[n] for n in wanted[f.id] if n in owner}
        if f.id in taxing and len(taxed) == 1:  # sales tax is the business's that collects it
            owners |= taxed
        line = f.sources[0] if f.sources else f.id
        others = {mostly[n] for n in wanted[f.id] if n in mostly and len(in_group.get(n, set()) - {line}) < _MIN_SEEN}
        if len(owners) == 1 and owners >= others:
            entity = owners.pop()
            out.append(f.model_copy(update={
                "entity": entity, "statement": ctx.entity_name(entity) + f.statement[len("Group"):]}))
    return out
