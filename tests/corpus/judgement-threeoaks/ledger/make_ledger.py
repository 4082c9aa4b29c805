#!/usr/bin/env python3
"""Writes ledger/owner_ledger.csv for Three Oaks Property LLC (Sep-Nov 2026) and prints the
true figures an analyst needs. Deterministic: every row is written out below, no randomness.

Export format: the property manager's (Buildium-like) owner ledger,
columns date,property,unit,account,description,amount (positive = money in).

Classification used for the printed figures (what a careful CFO would do):
  revenue      : Rent Income, Late Fee Income, Tenant Damage Charges (deposit withheld)
  op costs     : Management Fees, Leasing Fees, Repairs & Maintenance, Insurance,
                 Mortgage Interest, Utilities, Legal & Eviction, Turnover - Paint & Cleaning
  cash only    : Security Deposit Liability (held / returned / applied), Mortgage Principal,
                 Mortgage Escrow (property-tax escrow: cash set aside with the lender),
                 Owner Distributions (draws), Insurance Claim Proceeds (storm claim),
                 Capital Improvements (the Birch roof: capital, not a month's operating cost)
"""
import csv
from collections import defaultdict
from decimal import Decimal as D
from pathlib import Path

OPENING_CASH = D("16500.00")
OPENING_DATE = "2026-09-01"

OAK, MAPLE, BIRCH = "Oak Row Duplex", "Maple Fourplex", "Birch Cottage"
PROPS = [OAK, MAPLE, BIRCH]

REVENUE = {"Rent Income", "Late Fee Income", "Tenant Damage Charges"}
OPCOST = {"Management Fees", "Leasing Fees", "Repairs & Maintenance", "Insurance",
          "Mortgage Interest", "Utilities", "Legal & Eviction", "Turnover - Paint & Cleaning"}
CASH_ONLY = {"Security Deposit Liability", "Mortgage Principal", "Mortgage Escrow",
             "Owner Distributions", "Insurance Claim Proceeds", "Capital Improvements"}

rows = []


def r(date, prop, unit, account, desc, amount):
    rows.append((date, prop, unit, account, desc, D(amount)))


MONTHS = ["2026-09", "2026-10", "2026-11"]

# ---- rent (and the PM fee of 8% of rent collected, per property per month) -------------
rent = {  # month -> list of (prop, unit, tenant, amount, day)
    "2026-09": [(OAK, "A", "K. Delgado", "1350.00", "01"), (OAK, "B", "R. Tolliver (partial)", "425.00", "08"),
                (MAPLE, "1", "S. Okafor", "1095.00", "01"), (MAPLE, "2", "T. Brandt", "1095.00", "02"),
                (MAPLE, "3", "J. Pruitt", "1095.00", "01"), (MAPLE, "4", "L. Nguyen", "1095.00", "03"),
                (BIRCH, "", "M. Castellanos", "1650.00", "01")],
    "2026-10": [(OAK, "A", "K. Delgado", "1350.00", "01"),
                (MAPLE, "1", "S. Okafor", "1095.00", "01"), (MAPLE, "2", "T. Brandt", "1095.00", "09"),
                (MAPLE, "3", "J. Pruitt (prorated Oct 1-14)", "495.00", "01"),
                (MAPLE, "4", "L. Nguyen", "1095.00", "02"),
                (BIRCH, "", "M. Castellanos", "1650.00", "01")],
    "2026-11": [(OAK, "A", "K. Delgado", "1350.00", "02"),
                (MAPLE, "1", "S. Okafor", "1095.00", "02"), (MAPLE, "2", "T. Brandt", "1095.00", "03"),
                (MAPLE, "4", "L. Nguyen", "1095.00", "02"),
                (BIRCH, "", "M. Castellanos", "1650.00", "02")],
}
for m, lst in rent.items():
    for prop, unit, tenant, amt, day in lst:
        r(f"{m}-{day}", prop, unit, "Rent Income", f"Rent - {tenant}", amt)
    for prop in PROPS:
        collected = sum(D(a) for p, _, _, a, _ in lst if p == prop)
        fee = (collected * D("0.08")).quantize(D("0.01"))
        r(f"{m}-25", prop, "", "Management Fees", f"Buckeye Keys PM - management fee 8% of {collected:,.2f} rent collected", -fee)

# ---- other income ---------------------------------------------------------------------
r("2026-10-09", MAPLE, "2", "Late Fee Income", "Late fee - T. Brandt (Oct rent paid 10/9)", "75.00")

# ---- security deposits (cash only) ----------------------------------------------------
r("2026-09-01", OAK, "A", "Security Deposit Liability", "Security deposit received - K. Delgado (new lease 9/1)", "1350.00")
r("2026-10-06", BIRCH, "", "Security Deposit Liability", "Pet deposit received - M. Castellanos (dog)", "300.00")
# Maple 3 moved out 10/14; deposit 1,100 held since 2024. Returned 780, 320 withheld for damage.
r("2026-11-10", MAPLE, "3", "Security Deposit Liability", "Security deposit refund - J. Pruitt (1,100 less 320 damages)", "-780.00")
r("2026-11-10", MAPLE, "3", "Security Deposit Liability", "Security deposit applied to damage charges - J. Pruitt", "-320.00")
r("2026-11-10", MAPLE, "3", "Tenant Damage Charges", "Damage charges withheld from deposit - carpet burn, 2 doors (J. Pruitt)", "320.00")

# ---- fees, repairs, turnover, legal, utilities ------------------------------------------
r("2026-09-03", OAK, "A", "Leasing Fees", "Buckeye Keys PM - leasing fee, new tenant unit A (50% of first month)", "-675.00")
r("2026-09-17", OAK, "B", "Repairs & Maintenance", "Rapid Rooter Plumbing - kitchen drain line cleared, unit B", "-385.00")
r("2026-10-21", BIRCH, "", "Repairs & Maintenance", "Comfort Air HVAC - furnace service / clean & check", "-189.00")
r("2026-10-24", MAPLE, "3", "Turnover - Paint & Cleaning", "ProCoat Painting - unit 3 repaint after move-out", "-650.00")
r("2026-10-28", MAPLE, "3", "Turnover - Paint & Cleaning", "Sparkle Clean - unit 3 move-out clean", "-225.00")
r("2026-11-06", MAPLE, "4", "Repairs & Maintenance", "Rapid Rooter Plumbing - gas connector replaced at water heater, unit 4", "-310.00")
r("2026-11-12", OAK, "B", "Legal & Eviction", "Harmon Law - eviction filing, Franklin County Municipal Court (R. Tolliver)", "-495.00")
water = {"2026-09": "-238.60", "2026-10": "-226.15", "2026-11": "-231.40"}
for m, a in water.items():
    r(f"{m}-14", MAPLE, "", "Utilities", "City of Columbus - water/sewer (owner-paid, 4 units)", a)
r("2026-11-19", MAPLE, "3", "Utilities", "AEP Ohio / Columbia Gas - vacant unit 3 utilities", "-68.35")

# ---- capital improvement + storm claim (cash only for the printed P&L) -------------------
r("2026-10-16", BIRCH, "", "Capital Improvements", "Summit Roofing - full roof replacement (tear-off, 28 sq, architectural shingles)", "-14800.00")
r("2026-11-18", BIRCH, "", "Insurance Claim Proceeds", "Buckeye Mutual - storm damage claim #BM-55821 (9/21 wind event), net of 1,000 deductible", "6250.00")

# ---- insurance, mortgages (interest / principal / escrow) ------------------------------------
ins = {OAK: "-118.00", MAPLE: "-205.00", BIRCH: "-96.00"}
mort = {  # prop: lender, [(interest, principal) per month], escrow
    OAK: ("Huntington", [("-612.40", "-297.60"), ("-610.92", "-299.08"), ("-609.43", "-300.57")], "-310.00"),
    MAPLE: ("Fifth Third", [("-1018.25", "-401.75"), ("-1016.24", "-403.76"), ("-1014.22", "-405.78")], "-455.00"),
    BIRCH: ("Rocket Mortgage", [("-455.10", "-220.90"), ("-454.00", "-222.00"), ("-452.89", "-223.11")], "-205.00"),
}
for i, m in enumerate(MONTHS):
    for prop in PROPS:
        r(f"{m}-05", prop, "", "Insurance", "Buckeye Mutual - landlord policy monthly premium", ins[prop])
        lender, sched, esc = mort[prop]
        intr, prin = sched[i]
        r(f"{m}-10", prop, "", "Mortgage Interest", f"{lender} mortgage - interest portion", intr)
        r(f"{m}-10", prop, "", "Mortgage Principal", f"{lender} mortgage - principal portion", prin)
        r(f"{m}-10", prop, "", "Mortgage Escrow", f"{lender} mortgage - escrow (Franklin County property tax)", esc)

# ---- owner distributions (the PM's monthly net distribution, per property) -----------------
dist = {
    "2026-09": {OAK: "0.00", MAPLE: "1800.00", BIRCH: "900.00"},
    "2026-10": {OAK: "0.00", MAPLE: "1200.00", BIRCH: "0.00"},
    "2026-11": {OAK: "0.00", MAPLE: "1000.00", BIRCH: "800.00"},
}
for m, d in dist.items():
    for prop, a in d.items():
        if D(a):
            r(f"{m}-28", prop, "", "Owner Distributions", "Owner distribution - ACH to Three Oaks Property LLC", -D(a))

rows.sort(key=lambda x: (x[0], PROPS.index(x[1]), x[3], x[4]))

out = Path(__file__).with_name("owner_ledger.csv")
with out.open("w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "property", "unit", "account", "description", "amount"])
    for d_, p, u, a, desc, amt in rows:
        w.writerow([d_, p, u, a, desc, f"{amt:.2f}"])

# ---- figures ----------------------------------------------------------------------------------
for _, _, _, a, _, _ in rows:
    assert a in REVENUE | OPCOST | CASH_ONLY, a


def fmt(x):
    return f"{x:,.2f}"


agg = defaultdict(D)
for d_, p, u, a, desc, amt in rows:
    m = d_[:7]
    agg[(p, m, a)] += amt

print(f"Wrote {out.name}: {len(rows)} rows")
print(f"Opening cash {fmt(OPENING_CASH)} on {OPENING_DATE}\n")
tot = defaultdict(D)
for p in PROPS:
    print(f"== {p}")
    for m in MONTHS:
        rev = sum(v for (pp, mm, a), v in agg.items() if pp == p and mm == m and a in REVENUE)
        cost = -sum(v for (pp, mm, a), v in agg.items() if pp == p and mm == m and a in OPCOST)
        net = rev - cost
        co = {a: v for (pp, mm, a), v in agg.items() if pp == p and mm == m and a in CASH_ONLY}
        flow = sum(v for (pp, mm, a), v in agg.items() if pp == p and mm == m)
        tot[(p, "rev")] += rev; tot[(p, "cost")] += cost; tot[(m, "rev")] += rev; tot[(m, "cost")] += cost
        print(f"  {m}: revenue {fmt(rev)}  operating costs {fmt(cost)}  net {fmt(net)}")
        det = ", ".join(f"{a} {fmt(-v) if v < 0 else '+' + fmt(v)}" for a, v in sorted(co.items()))
        print(f"           cash-only: {det}")
        prin = -co.get("Mortgage Principal", D(0))
        esc = -co.get("Mortgage Escrow", D(0))
        print(f"           net after principal {fmt(net - prin)}; after principal+escrow {fmt(net - prin - esc)}; "
              f"all cash movement {fmt(flow)}")
        if p == BIRCH and m == "2026-10":
            print(f"           (if the 14,800 roof were expensed: costs {fmt(cost + 14800)}, net {fmt(net - 14800)})")
        costs_by = {a: -v for (pp, mm, a), v in agg.items() if pp == p and mm == m and a in OPCOST}
        print("           costs: " + ", ".join(f"{a} {fmt(v)}" for a, v in sorted(costs_by.items())))
    print(f"  Sep-Nov: revenue {fmt(tot[(p,'rev')])}  operating costs {fmt(tot[(p,'cost')])}  net {fmt(tot[(p,'rev')]-tot[(p,'cost')])}")
    for a in sorted(CASH_ONLY):
        s = sum(v for (pp, mm, aa), v in agg.items() if pp == p and aa == a)
        if s:
            print(f"    {a} Sep-Nov: {fmt(s)}")
    print()

print("== Group")
for m in MONTHS:
    print(f"  {m}: revenue {fmt(tot[(m,'rev')])}  operating costs {fmt(tot[(m,'cost')])}  net {fmt(tot[(m,'rev')]-tot[(m,'cost')])}")
gr = sum(tot[(m, 'rev')] for m in MONTHS); gc = sum(tot[(m, 'cost')] for m in MONTHS)
print(f"  Sep-Nov: revenue {fmt(gr)}  operating costs {fmt(gc)}  net {fmt(gr-gc)}")
for a in sorted(CASH_ONLY):
    per_m = [sum(v for (pp, mm, aa), v in agg.items() if mm == m and aa == a) for m in MONTHS]
    print(f"  {a}: " + ", ".join(f"{m} {fmt(x)}" for m, x in zip(MONTHS, per_m)) + f"; total {fmt(sum(per_m))}")
cash = OPENING_CASH
for m in MONTHS:
    flow = sum(v for (pp, mm, a), v in agg.items() if mm == m)
    cash += flow
    print(f"  cash flow {m}: {fmt(flow)}  cash at month end {fmt(cash)}")
print(f"  closing cash 2026-11-30: {fmt(cash)}")
# wrong figures a careless tool would print
print("\n== Wrong figures (for [[absent]])")
print(f"  Birch Nov revenue incl. insurance payout: {fmt(D('1650') + D('6250'))}")
print(f"  Oak Row Sep revenue incl. deposit: {fmt(D('1775') + D('1350'))}")
for p in PROPS:
    for m in MONTHS:
        cost = -sum(v for (pp, mm, a), v in agg.items() if pp == p and mm == m and a in OPCOST)
        prin = -agg[(p, m, "Mortgage Principal")]; esc = -agg[(p, m, "Mortgage Escrow")]; dr = -agg[(p, m, "Owner Distributions")]
        print(f"  {p} {m}: costs+principal {fmt(cost+prin)}; +escrow {fmt(cost+prin+esc)}; costs+escrow {fmt(cost+esc)}; costs+draws {fmt(cost+dr)}")
for m in MONTHS:
    c = tot[(m, 'cost')]
    prin = -sum(agg[(p, m, "Mortgage Principal")] for p in PROPS)
    esc = -sum(agg[(p, m, "Mortgage Escrow")] for p in PROPS)
    dr = -sum(agg[(p, m, "Owner Distributions")] for p in PROPS)
    print(f"  Group {m}: costs+principal+escrow {fmt(c+prin+esc)}; costs+draws {fmt(c+dr)}; costs+escrow {fmt(c+esc)}")
