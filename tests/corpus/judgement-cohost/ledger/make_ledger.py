#!/usr/bin/env python3
"""Writes ledger/transactions.csv for Keel & Cove Ltd (Sep-Nov 2026) and prints the true figures.

Deterministic (random.Random(2026)). Run from anywhere: python3 make_ledger.py

Money model (what the bookkeeper does):
- Cove Co-Hosting (agency) runs two bank accounts: "Business current" and "Client account".
  Airbnb / Booking.com payouts for the owners' seven cottages land in the Client account
  (category "Guest payments held for owners"), net of the platform's host fee.
- On the last working day of each month the company sweeps its own money out of the client
  account: 20% commission on the month's payouts + GBP 70 cleaning fee per changeover
  (client account row: "Guest payments held for owners", negative; business current rows:
  "Co-hosting commission" and "Cleaning fees", positive = the company's revenue).
- The rest is paid on to the owners on the 5th of the next month ("Owner payouts").
  GBP 640 of The Net Loft's September statement is held back (disputed damage deduction).
- Cove Cottage (short-let) is the company's own cottage: its bookings are its revenue.
"""
import csv
import datetime as dt
import os
import random
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")
rng = random.Random(2026)

AG = "Cove Co-Hosting"
CT = "Cove Cottage"
BC = "Business current"
CA = "Client account"
CC = "Cove Cottage account"

rows = []  # (date, amount, entity, account, category, memo)


def add(date, amount, entity, account, category, memo):
    rows.append((date, round(amount, 2), entity, account, category, memo))


def d(y, m, day):
    return dt.date(y, m, day)


def working_day_on_or_before(x):
    while x.weekday() >= 5:
        x -= dt.timedelta(days=1)
    return x


def working_day_on_or_after(x):
    while x.weekday() >= 5:
        x += dt.timedelta(days=1)
    return x


MONTHS = [(2026, 9), (2026, 10), (2026, 11)]
MNAME = {9: "Sep", 10: "Oct", 11: "Nov", 8: "Aug"}
MDAYS = {9: 30, 10: 31, 11: 30}

# cottage, owner (statement name), platform, base nightly, stays per month Sep/Oct/Nov, cleaner
COTTAGES = [
    ("Kittiwake Cottage", "A. Rowe", "Airbnb", 165, (5, 4, 2), "Tamsyn"),
    ("Chy an Mor", "D. & S. Hocking", "Booking.com", 150, (5, 4, 2), "Tamsyn"),
    ("Gwel Teg", "N. Jelbert", "Airbnb", 185, (4, 3, 2), "Bright"),
    ("Roseland Barn", "N. Jelbert", "Airbnb", 210, (5, 4, 1), "Bright"),
    ("The Net Loft", "H. Carne", "Airbnb", 140, (5, 3, 2), "Tamsyn"),
    ("Sandpiper", "R. Nance", "Booking.com", 125, (6, 4, 3), "Bright"),
    ("Trewartha Lodge", "P. Shah", "Airbnb", 195, (4, 4, 2), "Bright"),
]
SEASON = {9: 1.0, 10: 0.85, 11: 0.7}
HOST_FEE = {"Airbnb": 0.155, "Booking.com": 0.15}
GUEST_CLEANING = 80  # charged to guests inside the booking
COMMISSION = 0.20
CLEAN_FEE = 70  # what Cove charges the owner per changeover (its revenue)
CLEANER_RATE = 45  # what the self-employed cleaners invoice per changeover
LAUNDRY = 18  # linen per changeover

# August statements paid to owners on 4 Sep (already in the client account at 1 Sep)
AUG_OWED = {"A. Rowe": 3412.18, "D. & S. Hocking": 2987.40, "N. Jelbert": 7104.66,
            "H. Carne": 2740.05, "R. Nance": 2655.92, "P. Shah": 3390.71}

stays = []  # (cottage, owner, cleaner, checkin, checkout, payout, ref)
checkout_cleaner = []  # (checkout date, cleaner, business)
ref_n = 4100


def make_ref(platform):
    global ref_n
    ref_n += 7
    if platform == "Airbnb":
        return "HM" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    return "BDC-" + str(4_000_000_000 + ref_n * 131)


per_cottage_month = defaultdict(lambda: {"payout": 0.0, "stays": 0})
for (name, owner, platform, rate, counts, cleaner) in COTTAGES:
    for (y, m), n in zip(MONTHS, counts):
        # spread check-ins through the month
        gap = MDAYS[m] // n
        for i in range(n):
            day = 1 + i * gap + rng.randint(0, max(0, gap - 6))
            nights = rng.choice([3, 4, 4, 5, 7]) if m == 9 else rng.choice([2, 3, 3, 4, 5])
            cin = d(y, m, min(day, MDAYS[m]))
            cout = cin + dt.timedelta(days=nights)
            nightly = round(rate * SEASON[m] + rng.randint(-10, 10))
            gross = nights * nightly + GUEST_CLEANING
            payout = round(gross * (1 - HOST_FEE[platform]), 2)
            ref = make_ref(platform)
            paid = cin + dt.timedelta(days=1)
            if paid.month != m:
                paid = d(y, m, MDAYS[m])
            stays.append((name, owner, cleaner, cin, cout, payout, ref, platform, nights, paid))

# hot tub: Trewartha Lodge, half-term stay in October, Airbnb refunded the guests GBP 300
# out of the owner's money (resolution deduction from a later payout)
HOTTUB_AIRBNB = 300.00
HOTTUB_GOODWILL = 120.00  # Cove's own goodwill refund from the business account

for (name, owner, cleaner, cin, cout, payout, ref, platform, nights, paid) in sorted(stays, key=lambda s: s[9]):
    add(paid, payout, AG, CA, "Guest payments held for owners",
        f"{platform} payout {ref} - {name} - {nights} nights")
    key = (name, paid.month)
    per_cottage_month[key]["payout"] += payout
    per_cottage_month[key]["stays"] += 1
    checkout_cleaner.append((cout, cleaner, AG))

hottub_ref = [s for s in stays if s[0] == "Trewartha Lodge" and s[3].month == 10][-1]
add(d(2026, 10, 28), -HOTTUB_AIRBNB, AG, CA, "Guest payments held for owners",
    f"Airbnb resolution deduction - refund to guest {hottub_ref[6]} - Trewartha Lodge hot tub")
per_cottage_month[("Trewartha Lodge", 10)]["payout"] -= HOTTUB_AIRBNB
add(d(2026, 10, 27), -HOTTUB_GOODWILL, AG, BC, "Guest refunds",
    f"Goodwill refund {hottub_ref[6]} - hot tub out of action - Trewartha Lodge")

# monthly sweep + owner statements
statements = {}  # (owner, month) -> owed
commission_by = defaultdict(float)  # (owner, month) -> commission + cleaning
rev_by_cottage = defaultdict(float)
for (y, m) in MONTHS:
    sweep_day = working_day_on_or_before(d(y, m, MDAYS[m]))
    for (name, owner, platform, rate, counts, cleaner) in COTTAGES:
        pc = per_cottage_month[(name, m)]
        comm = round(pc["payout"] * COMMISSION, 2)
        clean = CLEAN_FEE * pc["stays"]
        add(sweep_day, -(comm + clean), AG, CA, "Guest payments held for owners",
            f"{MNAME[m]} commission + cleaning to business current - {name}")
        add(sweep_day, comm, AG, BC, "Co-hosting commission",
            f"{owner} - {MNAME[m]} commission 20% - {name}")
        add(sweep_day, clean, AG, BC, "Cleaning fees",
            f"{owner} - {MNAME[m]} cleaning {pc['stays']} x 70 - {name}")
        owed = round(pc["payout"] - comm - clean, 2)
        statements[(owner, m)] = round(statements.get((owner, m), 0) + owed, 2)
        commission_by[(owner, m)] += comm + clean
        rev_by_cottage[(name, m)] = comm + clean

DAMAGE_HELD = 640.00
for (y, m) in MONTHS:
    payday = working_day_on_or_after(d(y, m, 5))
    prev = m - 1
    owners = list(dict.fromkeys(c[1] for c in COTTAGES))
    for owner in owners:
        if prev == 8:
            amt = AUG_OWED[owner]
        else:
            amt = statements[(owner, prev)]
        memo = f"{owner} - {MNAME[prev]} owner statement"
        if owner == "H. Carne" and prev == 9:
            amt = round(amt - DAMAGE_HELD, 2)
            memo += " (less 640 damage - held pending AirCover)"
        add(payday, -amt, AG, CA, "Owner payouts", memo)

# cleaners: weekly invoices paid on Fridays, for checkouts in the 7 days to that Friday
fridays = [d(2026, 9, 4) + dt.timedelta(weeks=i) for i in range(13)]  # 4 Sep .. 27 Nov
CLEANERS = {"Tamsyn": "Tamsyn Hosking (self-employed)", "Bright": "Bright & Breezy - Lowenna Pascoe (self-employed)"}

# Cove Cottage bookings (own revenue)
CT_BOOK = {
    9: [(1, 4, 145, "Airbnb"), (6, 3, 150, "Direct"), (11, 5, 140, "Airbnb"), (18, 4, 135, "Airbnb"), (25, 3, 140, "Booking.com")],
    10: [(2, 3, 125, "Airbnb"), (9, 3, 120, "Direct"), (16, 2, 115, "Airbnb"), (24, 5, 135, "Airbnb")],
    11: [(6, 2, 95, "Airbnb"), (13, 3, 95, "Direct"), (27, 2, 100, "Airbnb")],
}
ct_nights = defaultdict(int)
ct_stays = defaultdict(int)
ct_gross_room = defaultdict(float)
for m, books in CT_BOOK.items():
    for (day, nights, nightly, ch) in books:
        cin = d(2026, m, day)
        cout = cin + dt.timedelta(days=nights)
        gross = nights * nightly + GUEST_CLEANING
        ct_nights[m] += nights
        ct_stays[m] += 1
        ct_gross_room[m] += nights * nightly
        if ch == "Direct":
            surname = {9: "Ellis", 10: "Pengelly", 11: "Whitworth"}[m]
            add(cin, gross, CT, CC, "Holiday let income",
                f"Direct booking - {surname} family - {nights} nights (balance by bank transfer on arrival)")
        else:
            pay = round(gross * (1 - HOST_FEE[ch]), 2)
            add(cin + dt.timedelta(days=1), pay, CT, CC, "Holiday let income",
                f"{ch} payout {make_ref(ch)} - Cove Cottage - {nights} nights")
        checkout_cleaner.append((cout, "Tamsyn", CT))

for fri in fridays:
    start = fri - dt.timedelta(days=6)
    for cl in ("Tamsyn", "Bright"):
        n_ag = sum(1 for (co, c, b) in checkout_cleaner if c == cl and b == AG and start <= co <= fri)
        n_ct = sum(1 for (co, c, b) in checkout_cleaner if c == cl and b == CT and start <= co <= fri)
        if n_ag:
            add(fri, -CLEANER_RATE * n_ag, AG, BC, "Cleaner invoices",
                f"{CLEANERS[cl]} - w/e {fri.strftime('%d %b')} - {n_ag} changeovers")
        if n_ct:
            add(fri, -CLEANER_RATE * n_ct, CT, CC, "Cleaning",
                f"{CLEANERS[cl]} - w/e {fri.strftime('%d %b')} - Cove Cottage changeover x{n_ct}")

# agency fixed costs
for (y, m) in MONTHS:
    n_stays = sum(per_cottage_month[(c[0], m)]["stays"] for c in COTTAGES)
    add(d(y, m, 2), -89.00, AG, BC, "Software", "Hospitable - Host plan")
    add(d(y, m, 3), -35.00, AG, BC, "Software", "PriceLabs - dynamic pricing")
    add(d(y, m, 8), -42.50, AG, BC, "Insurance", "Hiscox - public liability")
    add(d(y, m, 12), -36.00, AG, BC, "Telephone", "EE - two mobiles")
    add(d(y, m, 20), -{9: 184.60, 10: 162.35, 11: 118.90}[m], AG, BC, "Motor & travel", "Fuel - changeover runs")
    add(d(y, m, 22), -LAUNDRY * n_stays, AG, BC, "Linen & laundry", f"Cornish Linen Co - {n_stays} sets")
    add(d(y, m, 25), -95.00, AG, BC, "Accountancy", "Trevail & Co - monthly bookkeeping")
    add(d(y, m, 28), -14.00, AG, BC, "Bank charges", "Monthly account fees (business + client)")
    if m in (9, 10):
        add(d(y, m, 15), -60.00, AG, BC, "Advertising", "Instagram ads - owner leads")
    # directors' dividends, last working day
    pd = working_day_on_or_before(d(y, m, MDAYS[m]))
    add(pd, -750.00, AG, BC, "Dividends", "Dividend - Jess Trevorrow")
    add(pd, -750.00, AG, BC, "Dividends", "Dividend - Kit Bolitho")

# Cove Cottage fixed costs, mortgage, boiler, director's loan, transfer
MORT_INT = {9: 571.67, 10: 569.90, 11: 568.12}
MORT_CAP = {9: 318.33, 10: 320.10, 11: 321.88}
for (y, m) in MONTHS:
    add(d(y, m, 1), -MORT_INT[m], CT, CC, "Mortgage interest", "Cornish Building Society - interest")
    add(d(y, m, 1), -MORT_CAP[m], CT, CC, "Mortgage capital repayment", "Cornish Building Society - capital")
    add(d(y, m, 10), -{9: 138.40, 10: 166.25, 11: 191.80}[m], CT, CC, "Utilities", "Octopus Energy - electricity")
    add(d(y, m, 10), -38.50, CT, CC, "Utilities", "South West Water")
    add(d(y, m, 14), -32.00, CT, CC, "Broadband", "BT broadband - Cove Cottage")
    add(d(y, m, 18), -61.20, CT, CC, "Insurance", "Schofields - holiday let insurance")
    add(d(y, m, 22), -LAUNDRY * ct_stays[m], CT, CC, "Linen & laundry", f"Cornish Linen Co - Cove Cottage {ct_stays[m]} sets")
add(d(2026, 10, 6), -85.00, CT, CC, "Repairs & maintenance", "Gas safety certificate (CP12) - Penwith Heating")
add(d(2026, 10, 9), 2500.00, CT, CC, "Director's loan - advanced", "Kit Bolitho - DLA - towards boiler")
add(d(2026, 10, 13), -1500.00, AG, BC, "Intercompany transfer", "Transfer to Cove Cottage account - boiler")
add(d(2026, 10, 13), 1500.00, CT, CC, "Intercompany transfer", "Transfer from Cove Co-Hosting - boiler")
add(d(2026, 10, 16), -3900.00, CT, CC, "Capital expenditure", "New combi boiler - Penwith Heating - Cove Cottage")
add(d(2026, 11, 27), -500.00, CT, CC, "Director's loan - repaid", "Kit Bolitho - DLA part repayment")
# one row under the company's own name (no business)
add(d(2026, 10, 14), -34.00, "Keel & Cove Ltd", BC, "Filing fees", "Companies House - confirmation statement")

rows.sort(key=lambda r: (r[0], r[2], r[3], r[4], r[5]))
with open(OUT, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for r in rows:
        w.writerow([r[0].strftime("%d/%m/%Y"), f"{r[1]:.2f}", r[2], r[3], r[4], r[5]])

# ---------------- figures ----------------
OPEN = {BC: 6240.55, CA: sum(AUG_OWED.values()), CC: 1850.00}
TYPES = {
    "Guest payments held for owners": "held", "Owner payouts": "held",
    "Co-hosting commission": "revenue", "Cleaning fees": "revenue", "Holiday let income": "revenue",
    "Guest refunds": "refund",
    "Dividends": "draw", "Intercompany transfer": "transfer",
    "Director's loan - advanced": "loan_in", "Director's loan - repaid": "loan_out",
    "Mortgage capital repayment": "principal", "Capital expenditure": "capex",
}


def t(cat):
    return TYPES.get(cat, "cost")


def fmt(x):
    return f"{x:,.2f}"


print(f"Rows: {len(rows)}")
print(f"Opening cash 01/09/2026: business current {fmt(OPEN[BC])}, client account {fmt(OPEN[CA])}, "
      f"cottage {fmt(OPEN[CC])} => total {fmt(sum(OPEN.values()))}")
for ent in (AG, CT, "Keel & Cove Ltd"):
    print(f"\n== {ent} ==")
    tot = defaultdict(float)
    for (y, m) in MONTHS:
        rs = [r for r in rows if r[2] == ent and r[0].month == m]
        rev = sum(r[1] for r in rs if t(r[4]) == "revenue")
        ref = sum(r[1] for r in rs if t(r[4]) == "refund")
        cost = -sum(r[1] for r in rs if t(r[4]) == "cost")
        by = defaultdict(float)
        for r in rs:
            by[t(r[4])] += r[1]
        cats = defaultdict(float)
        for r in rs:
            if t(r[4]) == "cost":
                cats[r[4]] -= r[1]
        net = rev + ref - cost
        for k, v in (("rev", rev), ("ref", ref), ("cost", cost), ("net", net)):
            tot[k] += v
        print(f"{MNAME[m]}: revenue {fmt(rev)}" + (f" (refunds {fmt(ref)} -> net revenue {fmt(rev + ref)})" if ref else "")
              + f"; operating costs {fmt(cost)}; net {fmt(net)}; all rows net cash {fmt(sum(r[1] for r in rs))}")
        print("    costs by category: " + "; ".join(f"{k} {fmt(v)}" for k, v in sorted(cats.items(), key=lambda kv: -kv[1])))
        other = {k: v for k, v in by.items() if k not in ("revenue", "cost", "refund")}
        if other:
            print("    cash-only: " + "; ".join(f"{k} {fmt(v)}" for k, v in other.items()))
        if ent == AG:
            held_in = sum(r[1] for r in rs if r[4] == "Guest payments held for owners" and r[1] > 0)
            held_sweep = -sum(r[1] for r in rs if r[4] == "Guest payments held for owners" and r[1] < 0 and "commission" in r[5])
            held_res = -sum(r[1] for r in rs if r[4] == "Guest payments held for owners" and r[1] < 0 and "resolution" in r[5])
            paid = -sum(r[1] for r in rs if r[4] == "Owner payouts")
            n = sum(per_cottage_month[(c[0], m)]["stays"] for c in COTTAGES)
            comm = sum(r[1] for r in rs if r[4] == "Co-hosting commission")
            clean = sum(r[1] for r in rs if r[4] == "Cleaning fees")
            print(f"    guest payouts into client account {fmt(held_in)}; swept to business {fmt(held_sweep)}; "
                  f"Airbnb resolution {fmt(held_res)}; owner payouts {fmt(paid)}; stays {n}; commission {fmt(comm)}; cleaning fees {fmt(clean)}")
        if ent == CT:
            days = MDAYS[m]
            print(f"    nights {ct_nights[m]} of {days} = occupancy {100 * ct_nights[m] / days:.0f}%; stays {ct_stays[m]}; "
                  f"avg nightly (room) {ct_gross_room[m] / ct_nights[m]:.2f}; after mortgage capital: {fmt(net - MORT_CAP[m])}")
    print(f"Sep-Nov: revenue {fmt(tot['rev'])}; refunds {fmt(tot['ref'])}; costs {fmt(tot['cost'])}; net {fmt(tot['net'])}")

print("\n== Owners (agency revenue = commission + cleaning, by owner) ==")
owners = list(dict.fromkeys(c[1] for c in COTTAGES))
total_rev = sum(commission_by.values())
for o in owners:
    s = sum(commission_by[(o, m)] for (_, m) in MONTHS)
    print(f"{o}: Sep {fmt(commission_by[(o, 9)])} Oct {fmt(commission_by[(o, 10)])} Nov {fmt(commission_by[(o, 11)])}"
          f" total {fmt(s)} = {100 * s / total_rev:.1f}% ; statements owed Sep {fmt(statements[(o, 9)])} Oct {fmt(statements[(o, 10)])} Nov {fmt(statements[(o, 11)])}")
for (name, *_rest) in COTTAGES:
    print(f"   {name}: Sep {fmt(rev_by_cottage[(name, 9)])} Oct {fmt(rev_by_cottage[(name, 10)])} Nov {fmt(rev_by_cottage[(name, 11)])} "
          f"stays {[per_cottage_month[(name, m)]['stays'] for (_, m) in MONTHS]}")

bal = dict(OPEN)
for r in rows:
    bal[r[3]] += r[1]
print("\n== Closing cash 30/11/2026 ==")
for k, v in bal.items():
    print(f"{k}: {fmt(v)}")
print(f"TOTAL: {fmt(sum(bal.values()))}  (opening {fmt(sum(OPEN.values()))} + rows {fmt(sum(r[1] for r in rows))})")
print(f"Company's own cash (excluding client account): {fmt(bal[BC] + bal[CC])}")
nov_owed = sum(statements[(o, 11)] for o in owners)
print(f"Client account check: Nov statements owed (paid 5 Dec) {fmt(nov_owed)} + 640 held = {fmt(nov_owed + DAMAGE_HELD)}")
held_all_in = sum(r[1] for r in rows if r[4] == "Guest payments held for owners" and r[1] > 0)
held_all_out = -sum(r[1] for r in rows if r[4] in ("Guest payments held for owners", "Owner payouts") and r[1] < 0)
print(f"Sep-Nov pass-through: in {fmt(held_all_in)}, out (sweeps + resolution + owner payouts) {fmt(held_all_out)}")
print(f"Owner payouts only Sep-Nov: {fmt(-sum(r[1] for r in rows if r[4] == 'Owner payouts'))}")
print(f"Dividends Sep-Nov: {fmt(-sum(r[1] for r in rows if r[4] == 'Dividends'))}")
g = defaultdict(float)
for r in rows:
    if t(r[4]) in ("revenue", "refund", "cost"):
        g[(r[0].month, t(r[4]))] += r[1]
for (_, m) in MONTHS:
    print(f"Group {MNAME[m]}: revenue {fmt(g[(m, 'revenue')])} refunds {fmt(g[(m, 'refund')])} costs {fmt(-g[(m, 'cost')])} "
          f"net {fmt(g[(m, 'revenue')] + g[(m, 'refund')] + g[(m, 'cost')])}")
