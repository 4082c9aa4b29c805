#!/usr/bin/env python3
"""Write transactions.csv for the Quayside Partners judgement workspace and print every
figure expected.toml rests on. Deterministic: no randomness, stdlib only.

Columns: date, amount, entity, account, category, memo (whole dollars, + = money in).
"""
import calendar
import csv
import datetime as dt
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")

CLEAN = "Quayside Cleaning"
FLATS = "Marsh Lane Flats"
HOLD = "Quayside Holdings"
MISSPELT = "Quayside Cleaners"

MONTHS = [(2026, 9), (2026, 10), (2026, 11)]
MNAME = {9: "Sep", 10: "Oct", 11: "Nov"}
TAX_RATE_BP = 825  # 8.25% Texas sales tax on commercial cleaning, collected per job

rows = []


def add(d, amount, entity, account, category, memo):
    rows.append((d, int(amount), entity, account, category, memo))


def D(y, m, d):
    return dt.date(y, m, d)


def weekdays(y, m):
    n = calendar.monthrange(y, m)[1]
    return [D(y, m, d) for d in range(1, n + 1) if D(y, m, d).weekday() < 6]  # Mon-Sat


def last_weekday(y, m):
    d = D(y, m, calendar.monthrange(y, m)[1])
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def tax(price):
    return (price * TAX_RATE_BP + 5000) // 10000


# ---------------------------------------------------------------- Quayside Cleaning
CLIENTS = [  # client, price per job, jobs per month (Sep, Oct, Nov)
    ("Bayview Dental Clinic", 210, (12, 12, 12)),
    ("Pier 9 Offices", 190, (8, 8, 8)),
    ("Northgate Gym", 175, (6, 6, 6)),
    ("Lakeside Realty", 165, (5, 5, 5)),
    ("Elm Street Library", 160, (4, 4, 4)),
    ("Corner Bakery Co", 150, (4, 4, 4)),
    ("Harbor View Vet", 185, (1, 2, 0)),
]

job_no = 1001
tax_by_month = {}
jobs_by_month = {}
for mi, (y, m) in enumerate(MONTHS):
    # interleave the clients' jobs, then spread them over the month's working days
    queues = [[(c, p)] * n[mi] for c, p, n in CLIENTS]
    seq = []
    while any(queues):
        for q in queues:
            if q:
                seq.append(q.pop())
    days = weekdays(y, m)
    t_total = 0
    for i, (client, price) in enumerate(seq):
        d = days[(i * len(days)) // len(seq)]
        add(d, price, CLEAN, "Business Checking", "Cleaning revenue",
            f"{client} - job {job_no}")
        t = tax(price)
        t_total += t
        add(d, t, CLEAN, "Sales Tax Payable", "Sales tax payable",
            f"{client} - job {job_no} - 8.25% sales tax collected")
        job_no += 1
    tax_by_month[m] = t_total
    jobs_by_month[m] = len(seq)

# customer refund of one job (Lakeside Realty, redo complaint) in November
add(D(2026, 11, 19), -165, CLEAN, "Business Checking", "Customer refunds",
    "Lakeside Realty - refund job 1097 (complaint about 11/12 clean)")

# sales tax remitted monthly on the 20th for the month before (August's from before the window)
add(D(2026, 9, 20), -596, CLEAN, "Sales Tax Payable", "Sales tax payable",
    "Texas Comptroller - August sales tax remitted")
add(D(2026, 10, 20), -tax_by_month[9], CLEAN, "Sales Tax Payable", "Sales tax payable",
    "Texas Comptroller - September sales tax remitted")
add(D(2026, 11, 20), -tax_by_month[10], CLEAN, "Sales Tax Payable", "Sales tax payable",
    "Texas Comptroller - October sales tax remitted")

for y, m in MONTHS:
    add(D(y, m, 15), -1725, CLEAN, "Business Checking", "Payroll",
        f"Gusto payroll - cleaners {m}/1-{m}/15")
    add(last_weekday(y, m), -1725, CLEAN, "Business Checking", "Payroll",
        f"Gusto payroll - cleaners {m}/16-{m}/{calendar.monthrange(y, m)[1]}")
    add(D(y, m, 3), -240, CLEAN, "Business Checking", "Insurance",
        "Lone Star Mutual - general liability and bonding")
    add(D(y, m, 10), -69, CLEAN, "Business Checking", "Software",
        "Jobber subscription")

# supplies and fuel: September on the debit card, from October on the Amex card
SUPPLIES = {9: [(7, 310), (21, 265)], 10: [(6, 290), (20, 255)], 11: [(5, 330), (18, 240)]}
FUEL = {9: [(4, 78), (11, 84), (18, 81), (25, 86)],
        10: [(2, 82), (9, 79), (16, 88), (23, 85)],
        11: [(6, 84), (13, 90), (20, 83), (27, 87)]}
for y, m in MONTHS:
    acct = "Business Checking" if m == 9 else "Amex Business Card"
    for d, a in SUPPLIES[m]:
        add(D(y, m, d), -a, CLEAN, acct, "Cleaning supplies",
            "Sam's Club - chemicals, liners, microfibre")
    for d, a in FUEL[m]:
        add(D(y, m, d), -a, CLEAN, acct, "Vehicle fuel", "Shell - van fuel")
# the misspelt business name: one fuel row on the Amex card in October
add(D(2026, 10, 30), -80, MISSPELT, "Amex Business Card", "Vehicle fuel", "Shell - van fuel")

# October Amex statement paid from checking on 6 November: a transfer between two accounts
amex_oct = sum(a for _, a in SUPPLIES[10]) + sum(a for _, a in FUEL[10]) + 80
add(D(2026, 11, 6), -amex_oct, CLEAN, "Business Checking", "Credit card payment",
    "Amex - October statement paid")
add(D(2026, 11, 6), amex_oct, CLEAN, "Amex Business Card", "Credit card payment",
    "Payment received - thank you")

# $15,000 equipment loan (Pinnacle Bank), 36 months; repayments split interest / principal
add(D(2026, 9, 8), 15000, CLEAN, "Equipment Loan - Pinnacle Bank", "Loan proceeds",
    "Pinnacle Bank - equipment loan drawdown (floor scrubber + carpet extractor)")
LOAN = {10: (113, 364), 11: (110, 367)}
for m, (i, p) in LOAN.items():
    add(D(2026, m, 8), -i, CLEAN, "Equipment Loan - Pinnacle Bank", "Interest expense",
        "Pinnacle Bank - equipment loan interest")
    add(D(2026, m, 8), -p, CLEAN, "Equipment Loan - Pinnacle Bank", "Loan principal",
        "Pinnacle Bank - equipment loan principal")

for y, m in MONTHS:
    add(D(y, m, 27), -3000, CLEAN, "Business Checking", "Intercompany transfer",
        "Transfer to Quayside Holdings")

# ---------------------------------------------------------------- Marsh Lane Flats
FLATS_RENT = [("Flat 1", 1250, "J. Alvarez", 1), ("Flat 2", 1300, "M. Chen", 2),
              ("Flat 3", 1400, "R. Patel", 3)]
for y, m in MONTHS:
    for flat, rent, tenant, day in FLATS_RENT:
        if flat == "Flat 2" and m == 11:
            continue  # vacant from 1 November
        add(D(y, m, day), rent, FLATS, "Flats Checking", "Rental income",
            f"{flat} - {MNAME[m]} rent - {tenant}")
MORTGAGE = {9: (1354, 247), 10: (1352, 249), 11: (1350, 251)}
for y, m in MONTHS:
    i, p = MORTGAGE[m]
    add(D(y, m, 5), -i, FLATS, "Mortgage - Gulf Coast Bank", "Mortgage interest",
        "Gulf Coast Bank - mortgage interest")
    add(D(y, m, 5), -p, FLATS, "Mortgage - Gulf Coast Bank", "Mortgage principal",
        "Gulf Coast Bank - mortgage principal")
    add(D(y, m, 12), -185, FLATS, "Flats Checking", "Insurance", "Landlord insurance - Marsh Lane")
    add(D(y, m, 18), -{9: 58, 10: 61, 11: 64}[m], FLATS, "Flats Checking", "Utilities",
        "CenterPoint - common area electric")
    add(D(y, m, 27), -2000, FLATS, "Flats Checking", "Intercompany transfer",
        "Transfer to Quayside Holdings")
add(D(2026, 10, 22), -140, FLATS, "Flats Checking", "Repairs & maintenance",
    "Gutter cleaning - Marsh Lane")
add(D(2026, 11, 9), -380, FLATS, "Flats Checking", "Repairs & maintenance",
    "Flat 2 - repaint between tenants")
add(D(2026, 11, 12), -1300, FLATS, "Flats Checking", "Security deposit returned",
    "Flat 2 - security deposit returned to M. Chen (moved out 10/31)")
add(D(2026, 11, 20), -285, FLATS, "Flats Checking", "Repairs & maintenance",
    "Gulf Plumbing - Flat 3 kitchen leak repaired")

# ---------------------------------------------------------------- Quayside Holdings
for y, m in MONTHS:
    add(D(y, m, 27), 3000, HOLD, "Holdings Checking", "Intercompany transfer",
        "Transfer from Quayside Cleaning")
    add(D(y, m, 27), 2000, HOLD, "Holdings Checking", "Intercompany transfer",
        "Transfer from Marsh Lane Flats")
    add(D(y, m, 28), -2500, HOLD, "Holdings Checking", "Owner draw", "Owner draw - Dana Whitcombe")
    add(D(y, m, 28), -2500, HOLD, "Holdings Checking", "Owner draw", "Owner draw - Lee Okafor")
add(D(2026, 10, 14), -95, HOLD, "Holdings Checking", "State filing fee",
    "Texas Secretary of State - annual report filing fee")

# ---------------------------------------------------------------- no business
add(D(2026, 11, 16), -35, "", "Business Checking", "Bank fees",
    "Monthly service fee - Business Checking")

rows.sort(key=lambda r: (r[0], r[2], r[4], r[5]))
with open(OUT, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for r in rows:
        w.writerow([r[0].isoformat(), r[1], r[2], r[3], r[4], r[5]])

# ---------------------------------------------------------------- figures
PL_REV = {"Cleaning revenue", "Rental income"}
PL_REDUCE = {"Customer refunds"}
CASH_ONLY = {"Sales tax payable", "Credit card payment", "Loan proceeds", "Loan principal",
             "Intercompany transfer", "Mortgage principal", "Security deposit returned",
             "Owner draw"}


def kind(cat):
    if cat in PL_REV:
        return "revenue"
    if cat in PL_REDUCE:
        return "refund"
    if cat in CASH_ONLY:
        return "cash"
    return "cost"


def fmt(n):
    return f"{n:,}"


print(f"wrote {len(rows)} rows to {OUT}\n")
ents = [CLEAN, FLATS, HOLD, MISSPELT, ""]
rev = defaultdict(int); cost = defaultdict(int); cash = defaultdict(int)
costcat = defaultdict(int)
for d, a, e, acct, cat, memo in rows:
    k = kind(cat)
    key = (e, d.month)
    if k == "revenue":
        rev[key] += a
    elif k == "refund":
        rev[key] += a  # refunds reduce revenue
    elif k == "cost":
        cost[key] -= a
        costcat[(e, cat)] -= a
    else:
        cash[(e, cat, d.month)] += a

print("== P&L by business and month (revenue net of refunds; costs positive) ==")
tot = defaultdict(int)
for e in ents:
    label = e or "(blank entity)"
    for m in (9, 10, 11):
        r, c = rev[(e, m)], cost[(e, m)]
        if r or c:
            print(f"  {label:22s} {MNAME[m]}: revenue {fmt(r):>7s}  costs {fmt(c):>7s}  net {fmt(r - c):>7s}")
        tot[("rev", m)] += r; tot[("cost", m)] += c
    r3 = sum(rev[(e, m)] for m in (9, 10, 11)); c3 = sum(cost[(e, m)] for m in (9, 10, 11))
    print(f"  {label:22s} Sep-Nov: revenue {fmt(r3)}  costs {fmt(c3)}  net {fmt(r3 - c3)}")
print("  -- group (all rows, incl. misspelt + blank) --")
for m in (9, 10, 11):
    print(f"  group {MNAME[m]}: revenue {fmt(tot[('rev', m)])}  costs {fmt(tot[('cost', m)])}  "
          f"net {fmt(tot[('rev', m)] - tot[('cost', m)])}")
R = sum(tot[("rev", m)] for m in (9, 10, 11)); C = sum(tot[("cost", m)] for m in (9, 10, 11))
print(f"  group Sep-Nov: revenue {fmt(R)}  costs {fmt(C)}  net {fmt(R - C)}")

print("\n== costs by category, Sep-Nov ==")
for (e, cat), v in sorted(costcat.items()):
    print(f"  {e or '(blank)':22s} {cat:24s} {fmt(v)}")

print("\n== cleaning detail ==")
for m in (9, 10, 11):
    gross = sum(a for d, a, e, _, cat, _ in rows if e == CLEAN and cat == "Cleaning revenue" and d.month == m)
    dental = sum(a for d, a, e, _, cat, memo in rows if e == CLEAN and cat == "Cleaning revenue"
                 and d.month == m and memo.startswith("Bayview"))
    print(f"  {MNAME[m]}: jobs {jobs_by_month[m]}, job revenue {fmt(gross)}, sales tax collected "
          f"{fmt(tax_by_month[m])}, Bayview Dental {fmt(dental)} = {100 * dental / gross:.1f}% ")
g3 = sum(a for d, a, e, _, cat, _ in rows if e == CLEAN and cat == "Cleaning revenue")
d3 = sum(a for d, a, e, _, cat, memo in rows if e == CLEAN and cat == "Cleaning revenue" and memo.startswith("Bayview"))
print(f"  Sep-Nov: jobs {sum(jobs_by_month.values())}, job revenue {fmt(g3)}, Bayview {fmt(d3)} = {100 * d3 / g3:.1f}%"
      f" (of revenue net of refund {fmt(g3 - 165)}: {100 * d3 / (g3 - 165):.1f}%)")
print(f"  Amex October statement paid 6 Nov: {fmt(amex_oct)}")
print(f"  sales tax collected in Nov, still owed at 30 Nov: {fmt(tax_by_month[11])}")

print("\n== cash-only rows by business, type and month ==")
for (e, cat, m), v in sorted(cash.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
    print(f"  {e or '(blank)':22s} {cat:26s} {MNAME[m]} {fmt(v)}")
print("  totals Sep-Nov:")
bycat = defaultdict(int)
for (e, cat, m), v in cash.items():
    bycat[cat] += v
for cat, v in sorted(bycat.items()):
    print(f"    {cat:26s} {fmt(v)}")

print("\n== after-debt and cash ==")
for m in (9, 10, 11):
    ops = tot[("rev", m)] - tot[("cost", m)]
    princ = sum(v for (e, cat, mm), v in cash.items() if mm == m and cat in ("Loan principal", "Mortgage principal"))
    draws = sum(v for (e, cat, mm), v in cash.items() if mm == m and cat == "Owner draw")
    print(f"  {MNAME[m]}: group operations net {fmt(ops)}, principal {fmt(princ)}, after debt "
          f"{fmt(ops + princ)}, draws {fmt(draws)}, shortfall {fmt(ops + princ + draws)}")
for e in (CLEAN, FLATS):
    for m in (9, 10, 11):
        ops = rev[(e, m)] - cost[(e, m)]
        princ = sum(v for (ee, cat, mm), v in cash.items() if ee == e and mm == m and cat in ("Loan principal", "Mortgage principal"))
        debt_int = LOAN.get(m, (0, 0))[0] if e == CLEAN else MORTGAGE[m][0]
        print(f"  {e} {MNAME[m]}: net {fmt(ops)}, after principal {fmt(ops + princ)} "
              f"(loan payments {fmt(debt_int - princ)})")
bal = 18000
month_end = {}
for d, a, *_ in sorted(rows, key=lambda r: r[0]):
    bal += a
    month_end[d.month] = bal
for m in (9, 10, 11):
    print(f"  cash at end of {MNAME[m]}: {fmt(month_end[m])}")
print(f"  cash change Sep-Nov: {fmt(month_end[11] - 18000)} (incl. loan +15,000)")
print(f"  Sep-Nov operating (P&L) net {fmt(R - C)}; all rows {fmt(sum(r[1] for r in rows))}")

print("\n== sales tax (cash only, a debt to the state) ==")
for m in (9, 10, 11):
    col = sum(a for d, a, e, _, cat, _ in rows if cat == "Sales tax payable" and a > 0 and d.month == m)
    rem = sum(a for d, a, e, _, cat, _ in rows if cat == "Sales tax payable" and a < 0 and d.month == m)
    print(f"  {MNAME[m]}: collected {fmt(col)}, remitted {fmt(rem)}")
print(f"  cash at 30 Nov without the loan: {fmt(month_end[11] - 15000)} (opening 18,000)")
print(f"  cash change Oct->Nov month end: {fmt(month_end[11] - month_end[10])}")

print("\n== WRONG figures a careless tool would print (for [[absent]]) ==")
W = [
    ("Cleaning Sep revenue incl. $15,000 loan", 7340 + 15000),
    ("Cleaning Sep revenue incl. sales tax", 7340 + tax_by_month[9]),
    ("Cleaning Nov revenue incl. sales tax", 6990 + tax_by_month[11]),
    ("Cleaning Nov revenue incl. Amex payment received", 6990 + amex_oct),
    ("Cleaning Sep-Nov revenue incl. loan", 21855 + 15000),
    ("Cleaning Sep-Nov revenue incl. sales tax", 21855 + sum(tax_by_month.values())),
    ("Group Sep-Nov revenue incl. transfers in", R + 15000),
    ("Group Sep-Nov revenue incl. loan and transfers", R + 30000),
    ("Holdings revenue = transfers in, Sep-Nov", 15000),
    ("Holdings costs incl. draws Sep-Nov", 95 + 15000),
    ("Holdings Oct loss incl. draws", -(95 + 5000)),
    ("Group Sep-Nov costs incl. draws", C + 15000),
    ("Group Sep-Nov net incl. draws", R - C - 15000),
    ("Marsh Lane Nov costs incl. principal", 2264 + 251),
    ("Marsh Lane Nov costs incl. deposit returned", 2264 + 1300),
    ("Marsh Lane Nov costs incl. principal + deposit", 2264 + 251 + 1300),
    ("Marsh Lane Nov net incl. deposit returned", 386 - 1300),
    ("Marsh Lane Nov net incl. principal + deposit", 386 - 251 - 1300),
    ("Marsh Lane Nov net incl. transfer out", 386 - 2000),
    ("Marsh Lane Sep-Nov costs incl. principal", 5599 + 747),
    ("Cleaning Nov costs incl. transfer", 4783 + 3000),
    ("Cleaning Nov costs incl. Amex payment", 4783 + amex_oct),
    ("Cleaning Nov costs incl. principal", 4783 + 367),
    ("Cleaning Sep-Nov costs incl. principal + transfers", 14197 + 731 + 9000),
]
for label, v in W:
    print(f"  {label:50s} {fmt(v)}")
