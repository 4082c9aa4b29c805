"""Cash, monthly burn, runway, and the money that only moves cash.

Cash is known only when ``[sources.ledger] opening_cash`` is set: the ledger source turns it
into one ``resource`` item, and cash on the as-of date is that balance plus every
transaction dated on or after ``opening_cash_date`` and on or before the as-of date. Burn is
the average monthly net outflow of the last ``BURN_MONTHS`` complete months in the ledger,
of every row (cash burn); runway is cash divided by it. Owner draws, capital, loans and
transfers are in cash, shown apart from operations, and never called revenue or a cost;
operating burn and gross burn count the profit-and-loss rows only. Transfers between the
group's own businesses add up to nothing for the group.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, Sequence

from ..formatting import money, month_label, month_range_label
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext
from .kinds import customers
from .ledger_rows import (ALL, BUSINESS_SOLD, Group, aggregate, closed_loans, first_months, one_large_cost, opening_cash,
                          with_group)
from .ledger_types import debt_word, type_label, what_is_left
from .tables import possessive


__all__ = [
    "analyze", "opening_cash", "cash_balance", "cash_by_month", "monthly_burn", "runway", "cash_cover", "cash_movements",
    "BURN_MONTHS",
]

BURN_MONTHS = 3
DAYS_PER_MONTH = Decimal("30.44")  # 365.25 / 12
ZERO = Decimal(0)
# runway shorter than this many months is a finding of this severity
RUNWAY_SEVERITY = ((Decimal(3), "critical"), (Decimal(6), "high"), (Decimal(12), "medium"))


def analyze(evidence: Sequence[Evidence], txns: Sequence[Group], complete: Sequence[Group],
            ctx: AnalysisContext, sums: dict | None = None, open_month: str | None = None) -> list[Fact]:
    """Owner, lender and transfer movements; cash (when the opening balance is configured),
    burn per business and group, runway. ``open_month``: the first month not complete."""
    facts: list[Fact] = []
    sums = aggregate(complete) if sums is None else sums
    facts += cash_movements(sums, ctx, complete)
    burns = monthly_burn(complete, ctx, sums)
    facts += burns
    flows = group_flows(complete, sums)
    opening = opening_cash(evidence)
    short = False  # (a short runway's advice already says what the draws should come down to)
    if opening is not None:
        cash = cash_balance(opening, txns, ctx)
        facts.append(cash)
        facts += cash_by_month(opening, txns, ctx, open_month)
        group_burn = next((f for f in burns if f.entity is None and f.name == "monthly_burn"), None)
        if group_burn is not None:
            facts.append(runway(cash, group_burn, ctx, flows))
            short = facts[-1].kind == "finding"
        gross = next((f for f in burns if f.name == "gross_burn"), None)
        if gross is not None:
            facts += cash_cover(cash, gross, ctx)
    if flows is not None and not short:
        facts += draws_over_earnings(flows, complete, ctx)
    return facts


_MATERIAL = Decimal("0.05")  # the share of the draws by which they must pass what operations leave


def draws_over_earnings(flows: "Flows", complete: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """A finding where the owners draw more than operations leave after loan payments, month
    after month (one-off costs aside): cash falls by the difference, whatever a new loan in
    the bank makes the balance look like."""
    draws = -flows.moves.get("owner_draw", ZERO)
    if draws <= 0:
        return []
    spread = _spread(flows)
    debt = max(ZERO, flows.debt)
    left = (flows.operating + spread - debt).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if draws - left < draws * _MATERIAL:
        return []  # (draws about equal to what is left: $32.67 of $7,500 a month is no finding)
    cur = ctx.currency
    months = sorted({g.month for g in complete})[-flows.months:]
    span = month_range_label(months[0], months[-1])
    aside = (", with " + " and ".join(f"{possessive(ctx.entity_name(e))} {money(a, cur)} of {c} in {month_label(m)}"
                                      for e, c, m, a in flows.one_off_costs) + " counted as a year's cost") if spread else ""
    after = (f"what operations leave after loan payments ({money(left, cur)} a month{aside})" if debt else
             f"what operations make ({money(left, cur)} a month{aside})")
    said = f"are more than {after}: cash falls by the difference, {money(draws - max(left, ZERO), cur)} a month"
    if left <= 0:  # (none of them is covered: "more than nothing" says it badly)
        said = ("come on top of operations that do not cover the loan payments" if debt else
                "come on top of operations that lose money") + f"{aside}: cash falls by the draws and more"
    return [Fact(
        id=stable_id("f", "draws_over_earnings", f"{months[0]}..{months[-1]}"), kind="finding",
        name="draws_over_earnings", severity="high" if left <= 0 else "medium", value=draws - max(left, ZERO), unit=cur,
        period=f"{months[0]}..{months[-1]}",
        statement=f"Owner draws of {money(draws, cur)} a month over {span} {said}.",
        recommendation=(f"Bring the draws down to {money(left, cur)} a month or less, or decide what pays for the "
                        "difference and for how long." if left > 0 else
                        "Stop or cut the draws until operations cover the loan payments, and decide what pays for them meanwhile."),
        topics=("finance", "cash", "risk"), sources=tuple(sorted({f"{g.path}, {span}" for g in complete if g.month in months})),
    )]


def _where(ev: Evidence) -> str:
    return f"{ev.provenance.label()} ([sources.ledger] opening_cash)"


def cash_balance(opening: tuple[Decimal, date, Evidence], txns: Sequence[Group], ctx: AnalysisContext) -> Fact:
    """Cash on the as-of date: the opening balance plus the transactions since."""
    amount, since, ev = opening
    rows = [t for t in txns if since <= t.day <= ctx.as_of]
    moved = sum((t.amount for t in rows), ZERO)
    count = sum(t.count for t in rows)
    cash = amount + moved
    cur = ctx.currency
    statement = (
        f"Cash on {ctx.as_of.isoformat()} is {money(cash, cur)}: the opening balance of "
        f"{money(amount, cur)} on {since.isoformat()} plus a net {money(moved, cur)} "
        f"from {count} transactions since."
    )
    sources = (_where(ev),) + tuple(sorted({t.path for t in rows}))
    if cash < 0:
        return Fact(
            id=stable_id("f", "cash_balance", ctx.as_of), kind="finding", name="cash_balance",
            severity="critical", value=cash, unit=cur, period=ctx.as_of.isoformat(), statement=statement,
            recommendation="Check the opening balance and the missing bank rows; if cash really is negative, fund the account now.",
            topics=("finance", "cash", "risk"), evidence=(ev.id,), sources=sources,
        )
    return Fact(
        id=stable_id("f", "cash_balance", ctx.as_of), kind="metric", name="cash_balance",
        value=cash, unit=cur, period=ctx.as_of.isoformat(), statement=statement,
        topics=("finance", "cash"), evidence=(ev.id,), sources=sources,
    )


def cash_by_month(opening: tuple[Decimal, date, Evidence], txns: Sequence[Group], ctx: AnalysisContext,
                  open_month: str | None = None) -> list[Fact]:
    """Cash at the end of each complete month since the opening balance: the burn, drawn over time."""
    amount, since, ev = opening
    current = open_month or f"{ctx.as_of.year:04d}-{ctx.as_of.month:02d}"
    moved: dict[str, Decimal] = {}
    for t in txns:
        if since <= t.day and t.month < current:
            moved[t.month] = moved.get(t.month, ZERO) + t.amount
    facts, cash = [], amount
    opening_month = f"{since.year:04d}-{since.month:02d}"
    for month in sorted(m for m in moved if m >= opening_month):
        cash += moved[month]
        facts.append(Fact(
            id=stable_id("f", "cash_month_end", month), kind="metric", name="cash_month_end",
            value=cash, unit=ctx.currency, period=month,
            statement=f"Cash at the end of {month_label(month)} was {money(cash, ctx.currency)}.",
            topics=("finance", "cash"), evidence=(ev.id,), sources=(_where(ev),),
        ))
    return facts


def _moves_text(moves: dict[str, Decimal], cur: str, business: str | None = None) -> str:
    """``owner draws took $1,250 and loan principal $845``, as a month's average (each type named
    as a business of the kind ``business`` would: a long-let's deposits are its tenants')."""
    out, taken = [], []
    for kind, value in sorted(moves.items()):
        if value < 0:
            taken.append(f"{type_label(kind, business)} {money(-value, cur)}")
        elif value > 0:
            out.append(f"{type_label(kind, business)} brought in {money(value, cur)}")
    if taken:
        out.insert(0, f"{', '.join(taken)} went out")
    return "; ".join(out)


def monthly_burn(complete: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Average monthly net outflow over the last complete months: the group, and each business that burns.

    Burn is cash's: every row, owner draws, loans and transfers too, each shown apart from
    what operations made; when there are such rows, operating burn (profit's rows only) is
    a fact of its own. ``sums`` are finance's one-pass totals of ``complete``; they are
    made here when not given.
    """
    if not complete:
        return []
    sums = aggregate(complete) if sums is None else sums
    monthly = {(k[1], k[2]): v for k, v in sums.items() if k[0] == "month"}
    months = sorted(m for e, m in monthly if e == ALL)[-BURN_MONTHS:]
    period = f"{months[0]}..{months[-1]}"
    span = month_range_label(months[0], months[-1])
    paths = tuple(f"{p}, {span}" for p in sorted(set().union(*(monthly[(ALL, m)][2] for m in months))))
    businesses = sorted({e for e, _ in monthly if e not in (ALL, None)})
    facts = []
    cur = ctx.currency
    cent = Decimal("0.01")
    # the group first; each business only when there are several (one business's burn is the group's)
    first = first_months(sums)  # (a business that opened within the ledger is averaged from then)
    for entity in [ALL] + (businesses if len(businesses) > 1 else []):
        own = [m for m in months if m >= first[entity]]
        held = [monthly[(entity, m)] for m in own if (entity, m) in monthly]
        operating = sum((v[0] - v[1] for v in held), ZERO) / len(own)
        moved: dict[str, Decimal] = {}
        for v in held:
            for kind, (amount, *_) in v[5].items():
                moved[kind] = moved.get(kind, ZERO) + amount
        net = (operating + sum(moved.values(), ZERO) / len(own)).quantize(cent, rounding=ROUND_HALF_UP)
        moves = {k: (v / len(own)).quantize(cent, rounding=ROUND_HALF_UP) for k, v in moved.items() if v}
        own_span, own_period = month_range_label(own[0], own[-1]), f"{own[0]}..{own[-1]}"
        operating = operating.quantize(cent, rounding=ROUND_HALF_UP)
        burn = -net if net < 0 else ZERO
        if entity != ALL and burn == 0 and (not moves or operating >= 0):
            continue
        who = "The group" if entity == ALL else ctx.entity_name(entity)
        owner = None if entity == ALL else entity
        if moves:
            made = f"operations {'made' if operating >= 0 else 'lost'} {money(abs(operating), cur)} a month"
            parts = f"{made}; {_moves_text(moves, cur, None if entity == ALL else ctx.kind_of(entity))}"
            if burn > 0:
                statement = f"{who} burned {money(burn, cur)} of cash a month on average over {own_span}: {parts}."
            else:
                statement = (f"{who} burned no cash over {own_span}: net cash flow was {money(net, cur)} a month on "
                             f"average ({parts}).")
            facts.append(Fact(
                id=stable_id("f", "operating_burn", owner, own_period), kind="metric", name="operating_burn",
                entity=owner, value=-operating if operating < 0 else ZERO, unit=cur, period=own_period,
                statement=(f"{possessive(who)} operations {'burned' if operating < 0 else 'made'} "
                           f"{money(abs(operating), cur)} a month on average over {own_span} (revenue less costs; "
                           "owner draws, loans and transfers apart)."),
                topics=("finance", "cash", "profitability"), sources=paths,
            ))
        elif burn > 0:
            statement = f"{who} burned {money(burn, cur)} a month on average over {own_span} (net of revenue)."
        else:
            statement = f"{who} burned no cash over {own_span}: net cash flow was {money(net, cur)} a month on average."
        if entity != ALL and burn == 0:
            continue  # (its operating burn is above)
        facts.append(Fact(
            id=stable_id("f", "monthly_burn", owner, own_period), kind="metric", name="monthly_burn",
            entity=owner, value=burn, unit=cur, period=own_period, statement=statement,
            topics=("finance", "cash"), sources=paths,
        ))
    costs = sum((monthly[(ALL, m)][1] for m in months), ZERO) / len(months)
    costs = costs.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    facts.append(Fact(
        id=stable_id("f", "gross_burn", period), kind="metric", name="gross_burn", value=costs,
        unit=cur, period=period,
        statement=f"The group spent {money(costs, cur)} a month on average over {span} (gross burn).",
        topics=("finance", "cash", "cost"), sources=paths,
    ))
    return facts


_MOVED = {  # type → (fact name, what money in says, what money out says)
    "owner_draw": ("owner_draws", "owner draws of {m} came back", "owner draws of {m}"),
    "capital_contribution": ("capital_contributions", "the owners put in {m} of capital",
                             "{m} of capital went back to the owners"),
    "loan_proceeds": ("loan_proceeds", "{m} came in as loans (loan proceeds)", "{m} of loan proceeds went back"),
    "loan_principal": ("loan_principal", "{m} of loan principal came back", "{m} of loan principal was repaid"),
    "transfer": ("transfers", "{m} came in by transfer from the group's other businesses or accounts",
                 "{m} went out by transfer to the group's other businesses or accounts"),
    "loan_payment": ("loan_payments", "{m} of mortgage payments came back",
                     "{m} of mortgage payments went out (principal and interest together: the ledger does "
                     "not split them)"),
    "deposit": ("deposits_held", "{m} of deposits came in, held for {whom} (owed back)",
                "{m} of deposits went back to {whom}"),
    "asset_sale": ("asset_sales", "{m} came in from selling equipment or other assets (a one-off)",
                   "{m} of asset sales went back"),
    "prepayment": ("prepayments", "{m} came in paid ahead by {whom}, for what is not yet delivered (owed to them until it is)",
                   "{m} of prepayments went back to {whom}"),
    "grant": ("grants", "{m} came in as grants or subsidies (no sale earned it)", "{m} of grants went back"),
    "asset_purchase": ("asset_purchases", "{m} of capital spending came back",
                       "{m} went on equipment, vehicles or improvements (capital spending: an investment that "
                       "lasts years, not a cost of these months)"),
    # what a business pays on for its clients and bills them at cost (media bought on their account)
    "pass_through": ("passed_through", "{m} came in from {whom} to be paid on for them (re-billed at cost: not revenue)",
                     "{m} went out paid on for {whom} (bought for them at cost and re-billed: not a cost)"),
    # collected from customers for the tax office: revenue counts sales as they were booked
    "sales_tax": ("sales_tax_passed_on", "{m} of sales tax or VAT came in to be passed on to the tax office",
                  "{m} of sales tax or VAT collected from customers was paid over to the tax office"),
}


# what a type's money both in and out says ({i} in, {o} out); the rest say their two phrases
_BOTH_WAYS = {
    "sales_tax": "{i} of sales tax or VAT was collected from customers and {o} paid over to the tax office",
    "deposit": "{i} of deposits came in from {whom} and {o} went back to them",
    "prepayment": "{i} came in paid ahead by {whom} and {o} went back to them",
    "transfer": "{i} came in by transfer from the group's other businesses or accounts and {o} went out to them",
    "pass_through": "{i} came in from {whom} to be paid on for them and {o} went out bought for them at cost (re-billed)",
}


# what an asset sale's categories say it was: an insurer paying a claim, the business itself
# sold, or something else sold
_CLAIMED = re.compile(r"(?i)\b(?:insurance|claims?|verzekering\w*)")
_SOLD = re.compile(r"(?i)\b(?:sale|sold|disposal|proceeds from sale)\b")


def _one_off(categories: str | None, said: str) -> str:
    """What an asset sale's money in says, by its rows' categories ("Insurance claim $4,800;
    Sale of business $14,000"): an insurer's payout, the business sold, both, or ``said``."""
    if not categories:
        return said
    parts = [p for p in re.split(r";\s*", categories) if p]
    claims = [p for p in parts if _CLAIMED.search(p) and not _SOLD.search(p)]
    business = [p for p in parts if BUSINESS_SOLD.search(p)]
    if claims and len(claims) == len(parts):
        return "{m} came in as an insurer's payout on a claim (a one-off)"
    if business and len(business) == len(parts):
        return "{m} came in from selling the business (a one-off)"
    if claims or business:
        return "{m} came in as one-offs (" + ", ".join(
            w for w, found in (("a business sold", business), ("an insurer's payout", claims),
                               ("assets sold", len(claims) + len(business) < len(parts))) if found) + ")"
    return said


# money whose rows' categories say what it was ("Verzekeringsuitkering", an insurance payout
# booked as an asset sale; "Council grant"; "Tips collected", staff's tips held as a deposit):
# named beside the count of rows
_NAMED_MOVES = frozenset({"asset_sale", "grant", "deposit", "asset_purchase", "prepayment", "pass_through"})


def move_categories(groups: Sequence[Group], cur: str, by_account: bool = False) -> dict[tuple, str]:
    """(business, type), or (business, account, type) ``by_account``, → its rows' categories with
    their sums, for the moves named so; a category with money both in and out says both
    ("Security deposit $1,700 in, $1,700 out")."""
    found: dict[tuple, dict[str, list[Decimal]]] = {}
    for g in groups:
        # (a ledger with accounts and no categories, a property manager's: the account says what it was)
        name = g.category or (None if by_account else g.account)
        if g.type in _NAMED_MOVES and name and not g.described:
            key = (g.entity, g.account or g.path, g.type) if by_account else (g.entity, g.type)
            sums = found.setdefault(key, {}).setdefault(name, [ZERO, ZERO])
            sums[0 if g.amount > 0 else 1] += g.amount
    return {key: "; ".join(f"{name} {money(came, cur)} in, {money(-went, cur)} out" if came and went
                           else f"{name} {money(came or -went, cur)}" for name, (came, went) in sorted(by.items()))
            for key, by in found.items()}


def cash_movements(sums: dict, ctx: AnalysisContext, groups: Sequence[Group] = ()) -> list[Fact]:
    """Owner draws, capital, loans and transfers per business over the complete months, and
    the group's where more than one business (or rows of none) had them: cash that moved,
    shown apart from operations. For the group, transfers between its businesses net out
    and only what did not is stated."""
    facts = []
    cur = ctx.currency
    grouped = with_group(sums, "all", ctx)
    having: dict[str, int] = {}  # type → how many businesses (or rows of none) moved money so
    for key, v in sums.items():
        if key[0] == "all" and key[1] != ALL:
            for kind in v[5]:
                having[kind] = having.get(kind, 0) + 1
    several = any(entity is not None for entity, _ in grouped)  # None then stands for them all
    named = move_categories(groups, cur)
    group_whom = {kind: " or ".join(sorted({customers(ctx.kind_of(entity), "customers") for (entity, _), v in grouped.items()
                                            if entity is not None and kind in v[5]})) or "customers"
                  for kind in ("deposit", "prepayment", "pass_through")}
    for (entity, _), (_, _, paths, month_set, _, moves) in sorted(grouped.items(), key=lambda kv: kv[0][0] or ""):
        months = sorted(month_set)
        period, span = f"{months[0]}..{months[-1]}", month_range_label(months[0], months[-1])
        who = ctx.entity_name(entity)
        for kind, (moved, rows, moved_in, moved_out, earned) in sorted(moves.items()):
            name, came, went = _MOVED[kind]
            # (a holiday let's deposits are its guests', a long-let's its tenants'; the group's, theirs)
            whom = customers(ctx.kind_of(entity), "customers") if entity is not None else group_whom.get(kind, "customers")
            if kind == "prepayment" and ctx.kind_of(entity) == "retail" and moved >= 0:
                came = "{m} came in for gift cards or vouchers not yet redeemed (owed to {whom} until they are)"
            if kind == "asset_sale":
                came = _one_off(named.get((entity, kind)) if entity is not None
                                else "; ".join(v for (e, k), v in named.items() if k == kind), came)
            if kind == "loan_payment":  # (a landlord's is the mortgage)
                came, went = (came.replace("mortgage", debt_word(ctx.kind_of(entity))),
                              went.replace("mortgage", debt_word(ctx.kind_of(entity))))
            text = (came if moved >= 0 else went).format(m=money(abs(moved), cur), whom=whom)
            if entity is None and kind == "transfer":
                if moved == 0:
                    continue  # transfers between the group's own businesses: nothing for the group
                text = (f"transfers between the group's businesses and accounts do not net out: {money(abs(moved), cur)} "
                        f"more {'came in than went out' if moved > 0 else 'went out than came in'} (the other side may "
                        "be an account outside the ledger)")
            elif entity is None and several and having.get(kind, 0) < 2:
                continue  # one business's: its own fact says it
            counted = f"{rows} transaction{'s' if rows != 1 else ''}" + (
                f": {named[entity, kind]}" if (entity, kind) in named else "")
            sources = tuple(f"{p}, {span}" for p in sorted(paths))
            unsplit = kind == "loan_payment" and moved < 0
            if earned:
                # paid ahead, then earned as the work was delivered (an event served): not money
                # that went back, and what is left is still the customers'
                back = f" and {money(-moved_out, cur)} went back to them" if moved_out else ""
                left = (f"{money(moved, cur)} of it still held, owed to them until delivered" if moved > 0 else
                        f"{money(-moved, cur)} more earned or returned than came in (paid ahead before {span})"
                        if moved < 0 else "none of it still held")
                said = (f"{who}: {money(moved_in, cur)} came in paid ahead by {whom} over {span} ({counted}); "
                        f"{money(earned, cur)} was earned as the work was delivered (now revenue){back}; {left}: "
                        "cash, not revenue until earned.")
            elif moved_in and moved_out and not (entity is None and kind == "transfer"):
                # both ways: sales tax collected and paid over, deposits taken and returned (not
                # "$10.00 of sales tax was paid over", the difference of $1,803 and $1,813; not
                # "$0.00 came in" where $4,000 lent came back)
                i, o = money(moved_in, cur), money(-moved_out, cur)
                both = (_BOTH_WAYS[kind].format(i=i, o=o, whom=whom) if kind in _BOTH_WAYS
                        else f"{came.format(m=i, whom=whom)} and {went.format(m=o, whom=whom)}")
                said = (f"{who}: {both} over {span} ({counted}), {what_is_left(kind, moved, cur)}: cash, neither "
                        "revenue nor a cost.")
            elif moved == 0:
                said = (f"{who}: {type_label(kind)} in and out netted to nothing over {span} ({counted}): "
                        "no cash kept, neither revenue nor a cost.")
            else:
                said = (f"{who}: {text} over {span} ({counted}): cash {'in' if moved >= 0 else 'out'}, "
                        + ("the interest in it a cost the ledger does not show apart." if unsplit
                           else f"{'not revenue' if moved >= 0 else 'not a cost'}."))
            facts.append(Fact(
                id=stable_id("f", name, entity, period), kind="metric", name=name, entity=entity, period=period,
                value=moved, unit=cur,
                statement=said,
                topics=("finance", "cash"), sources=sources,
            ))
            if unsplit and entity is not None:
                debt = debt_word(ctx.kind_of(entity))
                facts.append(Fact(
                    id=stable_id("f", "unsplit_loan_payments", entity, period), kind="finding",
                    name="unsplit_loan_payments", entity=entity, severity="medium", period=period, value=moved, unit=cur,
                    statement=(f"{possessive(who)} {debt} payments ({money(abs(moved), cur)} over {span}, {counted}) are "
                               "not split into interest and principal, so its profit leaves the interest, a cost, out."),
                    recommendation=(f"Split {possessive(who)} {debt} payments into interest and principal from the lender's "
                                    "statement (two rows, or map the accounts in [sources.ledger.types])."),
                    topics=("accounting", "finance", "data-quality"), sources=sources,
                ))
    return facts


def cash_cover(cash: Fact, gross: Fact, ctx: AnalysisContext) -> list[Fact]:
    """How many months of costs cash would pay for if revenue stopped."""
    cash_value, costs = cash.value or ZERO, gross.value or ZERO
    if costs <= 0 or cash_value <= 0:
        return []
    months = (cash_value / costs).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return [Fact(
        id=stable_id("f", "cash_cover", ctx.as_of), kind="metric", name="cash_cover_months", value=months,
        unit="months", period=ctx.as_of.isoformat(),
        statement=(
            f"Cash of {money(cash_value, ctx.currency)} would pay {months} months of costs at "
            f"{money(costs, ctx.currency)} a month if revenue stopped."
        ),
        topics=("finance", "cash"), evidence=(cash.id, gross.id), sources=cash.sources + gross.sources,
    )]


class Flows(NamedTuple):
    """Where the group's cash went over the burn months, a month's average: what operations
    made (negative: lost), what moved only cash (type → signed amount), and loan principal
    repaid to loans the ledger shows closed (drawn and repaid in full: it does not come again)."""

    operating: Decimal
    moves: dict[str, Decimal]
    one_off: Decimal
    closed: tuple[str, ...]  # the closed loans' accounts, as the ledger names them
    months: int
    # money raised over the months, by type: loan proceeds, capital the owners put in (totals)
    raised: dict[str, Decimal] = {}
    # one large cost of a business in the months, a one-off (``one_large_cost``): (business,
    # category, month, amount); in ``operating``
    one_off_costs: tuple[tuple[str | None, str, str, Decimal], ...] = ()

    @property
    def debt(self) -> Decimal:
        """Loan payments a month, the repayment of a loan closed in one go left out."""
        return -(self.moves.get("loan_principal", ZERO) + self.moves.get("loan_payment", ZERO)) - self.one_off


def group_flows(complete: Sequence[Group], sums: dict) -> Flows | None:
    """``Flows`` of the group over the last ``BURN_MONTHS`` complete months; None without any."""
    monthly = {k[2]: v for k, v in sums.items() if k[0] == "month" and k[1] == ALL}
    months = sorted(monthly)[-BURN_MONTHS:]
    if not months:
        return None
    cent = Decimal("0.01")
    operating = sum((monthly[m][0] - monthly[m][1] for m in months), ZERO) / len(months)
    moved: dict[str, Decimal] = {}
    for m in months:
        for kind, (amount, *_) in monthly[m][5].items():
            moved[kind] = moved.get(kind, ZERO) + amount
    window = set(months)
    repaid = {account: sum((amount for (_, month), amount in by_month.items() if month in window), ZERO)
              for (_, account), by_month in closed_loans(complete).items()}
    repaid = {account: amount for account, amount in repaid.items() if amount}
    # (what left the group: a loan between two of its businesses adds up to nothing for it)
    left = -(moved.get("loan_principal", ZERO) + moved.get("loan_proceeds", ZERO))
    one_off = max(ZERO, min(sum(repaid.values(), ZERO), left))
    return Flows(operating.quantize(cent, rounding=ROUND_HALF_UP),
                 {k: (v / len(months)).quantize(cent, rounding=ROUND_HALF_UP) for k, v in moved.items() if v},
                 (one_off / len(months)).quantize(cent, rounding=ROUND_HALF_UP) if one_off else ZERO,
                 tuple(sorted(repaid)) if one_off else (), len(months), _raised(complete, window),
                 _one_off_costs(complete, sums, months))


def _spread(flows: "Flows") -> Decimal:
    """What the one-off costs add to a month of the flows beyond a twelfth of themselves: a
    roof or a year's property tax is a year's cost, not the burn months'."""
    total = sum((amount for *_, amount in flows.one_off_costs), ZERO)
    return total / flows.months - total / 12 if total else ZERO


_MATERIAL_COST = Decimal("0.05")  # of the group's monthly costs: a one-off smaller than this changes little


def _one_off_costs(complete: Sequence[Group], sums: dict, months: list[str]) -> tuple[tuple[str | None, str, str, Decimal], ...]:
    """Each business's one large cost in the months, where it has one (``one_large_cost``) and
    it is 5% of the group's monthly costs or more."""
    window = set(months)
    inside = [g for g in complete if g.month in window]
    group_costs = sum((v[1] for k, v in sums.items() if k[0] == "month" and k[1] == ALL and k[2] in window), ZERO)
    floor = group_costs / len(months) * _MATERIAL_COST
    found = []
    for entity in sorted({g.entity for g in inside if g.entity is not None}):
        costs = sum((v[1] for k, v in sums.items() if k[0] == "month" and k[1] == entity and k[2] in window), ZERO)
        large = one_large_cost(inside, entity, costs, len(months))
        if large is not None and large[2] >= floor:
            found.append((entity, large[0], large[1], large[2]))
    return tuple(found)


def _raised(complete: Sequence[Group], window: set[str]) -> dict[str, Decimal]:
    """Money raised over the months, by type: loans drawn (but not a loan the ledger shows
    drawn and repaid in full, one business's to another among them) and capital put in."""
    closed = {key for key in closed_loans(complete)}
    raised: dict[str, Decimal] = {}
    for g in complete:
        if g.month in window and g.type in _RAISED and g.amount > 0 and (g.entity, g.account) not in closed:
            raised[g.type] = raised.get(g.type, ZERO) + g.amount
    return raised


_RAISED = ("loan_proceeds", "capital_contribution")  # money raised: cash in, but no income to burn against


def runway(cash: Fact, burn: Fact, ctx: AnalysisContext, flows: Flows | None = None) -> Fact:
    """How many months cash lasts at the current burn; a finding when under a year.

    With the burn's ``flows``: a loan the ledger shows repaid in full does not come again, so
    the burn it lasts at leaves its repayment out (said so); and the advice fits where the cash
    goes: cutting costs where operations lose money, the draws where operations make money and
    the owners take more, the loan's terms where its payments are what burns."""
    cash_value, burn_value = cash.value or ZERO, burn.value or ZERO
    cur = ctx.currency
    fact_id = stable_id("f", "runway", ctx.as_of)
    evidence = (cash.id, burn.id)
    sources = cash.sources + burn.sources
    left_out: list[str] = []
    if flows is not None and flows.raised:
        # borrowed money and the owners' capital came in, but not from the business: the burn
        # runway lasts at is the one without them ("Cash is falling" while a new loan sits in the bank)
        cent = Decimal("0.01")
        without = -(flows.operating + sum((v for k, v in flows.moves.items() if k not in _RAISED), ZERO))
        if without > burn_value:
            burn_value = without.quantize(cent, rounding=ROUND_HALF_UP)
            left_out.append(" and ".join(
                f"the {money(total, cur)} {'borrowed' if kind == 'loan_proceeds' else 'the owners put in'}"
                for kind, total in sorted(flows.raised.items())) + " (money raised, not earned)")
    held = flows.moves.get("deposit", ZERO) if flows is not None else ZERO
    if flows is not None and held and burn_value > 0 and abs(held) * 10 >= burn_value:
        # money held for others (guests' payments for owners, tenants' deposits) moves the cash,
        # but paying it on is no burn of the business's own, and taking it in no earning (said
        # where it is a tenth of the burn or more: a $150 deposit changes nothing worth a line)
        burn_value = max(ZERO, burn_value + held)
        left_out.append(f"the {money(abs(held) * flows.months, cur)} of deposits "
                        f"{'paid back' if held < 0 else 'taken in'} (money held for others, not the business's)")
    spent = -flows.moves.get("asset_purchase", ZERO) if flows is not None else ZERO
    if flows is not None and spent > 0 and burn_value > 0:  # (a roof, a van: bought once, not every month)
        burn_value = max(ZERO, burn_value - spent)
        left_out.append(f"the {money(spent * flows.months, cur)} of capital spending (an investment that lasts "
                        f"years, not a monthly cost)")
    if flows is not None and flows.one_off and burn_value > 0:
        total = flows.one_off * flows.months
        burn_value = max(ZERO, burn_value - flows.one_off)
        left_out.append(f"the {money(total, cur)} repaid to close {' and '.join(flows.closed)} (a loan drawn "
                        f"and repaid in full, which does not come again)")
    counted = ""
    if flows is not None and flows.one_off_costs:
        # a roof paid at once, a year's property tax: a year's cost, a twelfth of it a month in
        # the burn and the advice, not a third
        spread = _spread(flows)
        flows = flows._replace(operating=(flows.operating + spread).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        if burn_value > 0:
            burn_value = max(ZERO, burn_value - spread).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            counted = " and ".join(
                f"{possessive(ctx.entity_name(entity))} {money(amount, cur)} of {category} in {month_label(month)}"
                for entity, category, month, amount in flows.one_off_costs) + " as a year's cost, not these months'"
    aside = ", and ".join(([f"leaving out {' and '.join(left_out)}"] if left_out else [])
                          + ([f"counting {counted}"] if flows is not None and flows.one_off_costs and counted else []))
    aside = f"{aside[0].upper()}{aside[1:]}, " if aside else ""
    if burn_value <= 0 or cash_value <= 0:
        why = "no cash left" if cash_value <= 0 else "the group is not burning cash"
        return Fact(
            id=fact_id, kind="note", name="runway_months", period=ctx.as_of.isoformat(),
            statement=_opened(aside, f"runway is not computed: {why} ({money(cash_value, cur)} cash, "
                                     f"{money(burn_value, cur)} monthly burn)."),
            topics=("finance", "cash"), evidence=evidence, sources=sources,
        )
    months = (cash_value / burn_value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if months > LONG_RUNWAY:
        said = (f"the group burned {money(burn_value, cur)} a month: cash of {money(cash_value, cur)} "
                f"lasts more than {LONG_RUNWAY // 12} years at that rate.")
        return Fact(
            id=fact_id, kind="metric", name="runway_months", value=months, unit="months",
            period=ctx.as_of.isoformat(), statement=_opened(aside, said),
            topics=("finance", "cash"), evidence=evidence, sources=sources,
        )
    until = ctx.as_of + timedelta(days=int(cash_value / burn_value * DAYS_PER_MONTH))
    said = (f"{'the group burned ' if aside else 'at '}{money(burn_value, cur)} a month{':' if aside else ','} "
            f"cash of {money(cash_value, cur)} lasts {months} months, to about {until.isoformat()}.")
    severity = next((s for limit, s in RUNWAY_SEVERITY if months < limit), None)
    return Fact(
        id=fact_id, kind="finding" if severity else "metric", name="runway_months", severity=severity,
        value=months, unit="months", period=ctx.as_of.isoformat(), statement=_opened(aside, said),
        recommendation=_runway_advice(flows, until, cur) if severity else None,
        topics=("finance", "cash") + (("risk",) if severity else ()), evidence=evidence, sources=sources,
    )


LONG_RUNWAY = 120  # months past which a runway is "more than ten years", not a date


def _opened(aside: str, said: str) -> str:
    """``said`` after ``aside``, or as a sentence of its own."""
    return aside + said if aside else said[0].upper() + said[1:]


def _runway_advice(flows: Flows | None, until: date, cur: str) -> str:
    """What to do about a short runway, by where the cash goes (``Flows``)."""
    financing = f"arrange financing well before {until.isoformat()}"
    if flows is None or flows.operating < 0:
        return f"Cut the largest costs or raise prices now, and {financing}."
    draws = -flows.moves.get("owner_draw", ZERO)
    debt = flows.debt
    made = money(flows.operating, cur)
    if draws > 0:
        left = flows.operating - max(debt, ZERO)
        room = (f"to what operations leave after loan payments ({money(left, cur)} a month) or less"
                if left > 0 else "until operations cover the loan payments")
        return (f"Operations make {made} a month, less than the owner draws ({money(draws, cur)} a month)"
                f"{' and loan payments' if debt > 0 else ''} take: bring the draws down {room}, or {financing}.")
    if debt > 0:
        return (f"Operations make {made} a month, less than the loan payments ({money(debt, cur)} a month) take: "
                f"refinance over a longer term, or {financing}.")
    return f"Find what takes more cash than operations make ({made} a month), and {financing}."
