#!/usr/bin/env python3
"""Write transactions.csv for the judgement-mini workspace (Pryor Group), deterministically.

Columns: date,amount,entity,account,category,memo. Whole dollars, positive = money in.
Period: 1 September - 30 November 2026. Prints per business and month the operating
revenue, operating costs (no draws, loan or mortgage principal, deposits or transfers)
and net, then the group's cash at 30 November (12,000 opening on 1 September + every row).
"""
import csv
import os
from collections import defaultdict

PLUMB = "Pryor Plumbing"
LOFTS = "Pryor Lofts"
OPENING_CASH = 12000

MONTHS = [(2026, 9, 30, "September"), (2026, 10, 31, "October"), (2026, 11, 30, "November")]
JOBS_PER_MONTH = {9: 25, 10: 26, 11: 24}
CUSTOMERS = [
    "Hollis", "Marquez", "Okafor", "Lindqvist", "Brennan", "Tanaka", "Dubois", "Kowalski",
    "Reyes", "Abernathy", "Nguyen", "Fitzgerald", "Osei", "Castellano", "Whitaker",
    "Haddad", "Sorensen", "Patel", "McAllister", "Ferreira", "Yamamoto", "Delgado",
    "Kimura", "Baptiste", "Rowntree", "Engstrom",
]

# Non-operating categories: cash only, never revenue or cost.
NON_OPERATING = {"Owner draw", "Loan principal", "Mortgage principal", "Security deposit", "Transfer"}
REVENUE = {"Revenue", "Rental income"}

rows = []


def add(y, m, d, amount, entity, account, category, memo):
    rows.append((f"{y:04d}-{m:02d}-{d:02d}", int(amount), entity, account, category, memo))


job_no = 1001
cust_i = 0
for y, m, days, name in MONTHS:
    n = JOBS_PER_MONTH[m]
    for j in range(n):
        day = 1 + (j * days) // n
        amount = 180 + ((job_no * 137 + m * 53) % 271)  # 180..450
        cust = CUSTOMERS[cust_i % len(CUSTOMERS)]
        cust_i += 1
        add(y, m, day, amount, PLUMB, "Plumbing checking", "Revenue", f"Job PP-{job_no} - {cust}")
        parts = round(amount * 0.25)
        add(y, m, day, -parts, PLUMB, "Plumbing checking", "Cost of sales", f"Parts for job PP-{job_no}")
        job_no += 1
    # Van fuel, four fill-ups a month
    for k, d in enumerate((4, 11, 18, 25)):
        add(y, m, d, -(95 + 7 * k + m), PLUMB, "Plumbing checking", "Fuel", "Van fuel")
    add(y, m, 5, -310, PLUMB, "Plumbing checking", "Insurance", "Van and liability insurance")
    add(y, m, 15, -420, PLUMB, "Plumbing checking", "Loan principal", "Van loan payment - principal")
    add(y, m, 15, -85, PLUMB, "Plumbing checking", "Loan interest", "Van loan payment - interest")
    add(y, m, 28, -3000, PLUMB, "Plumbing checking", "Owner draw", "Owner draw - Sam Pryor")

    # Lofts
    add(y, m, 1, 1600, LOFTS, "Lofts checking", "Rental income", f"Rent - Loft 1 - {name}")
    if m != 11:  # loft 2 tenant moved out 31 October; vacant in November
        add(y, m, 1, 1700, LOFTS, "Lofts checking", "Rental income", f"Rent - Loft 2 - {name}")
    add(y, m, 2, -1150, LOFTS, "Lofts checking", "Mortgage interest", "Mortgage payment - interest")
    add(y, m, 2, -650, LOFTS, "Lofts checking", "Mortgage principal", "Mortgage payment - principal")
    add(y, m, 8, -140, LOFTS, "Lofts checking", "Insurance", "Landlord insurance")

add(2026, 9, 22, -120, LOFTS, "Lofts checking", "Repairs", "Loft 1 tap washer and callout")
add(2026, 10, 6, 1700, LOFTS, "Lofts checking", "Security deposit", "Security deposit received - Loft 2 tenant")
add(2026, 11, 3, -1700, LOFTS, "Lofts checking", "Security deposit", "Security deposit returned - Loft 2 tenant")
add(2026, 11, 10, -2500, PLUMB, "Plumbing checking", "Transfer", "Transfer to Pryor Lofts")
add(2026, 11, 10, 2500, LOFTS, "Lofts checking", "Transfer", "Transfer from Pryor Plumbing")
add(2026, 11, 20, -35, "", "Plumbing checking", "Bank fees", "Monthly account fee")

rows.sort(key=lambda r: (r[0], r[2], r[4], r[5]))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transactions.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    w.writerows(rows)

rev = defaultdict(int)
cost = defaultdict(int)
cash_only = defaultdict(lambda: defaultdict(int))
for date, amount, entity, _acct, cat, _memo in rows:
    key = (entity or "(blank)", int(date[5:7]))
    if cat in NON_OPERATING:
        cash_only[key][cat] += amount
    elif cat in REVENUE:
        rev[key] += amount
    else:
        cost[key] += -amount

print(f"wrote {out}: {len(rows)} rows")
for ent in (PLUMB, LOFTS, "(blank)"):
    for _y, m, _d, name in MONTHS:
        k = (ent, m)
        if not (rev[k] or cost[k] or cash_only[k]):
            continue
        net = rev[k] - cost[k]
        extra = "; ".join(f"{c} {v:+,}" for c, v in sorted(cash_only[k].items()))
        print(f"{ent:15s} {name:9s} revenue {rev[k]:>7,}  costs {cost[k]:>7,}  net {net:>7,}"
              + (f"  | cash only: {extra}" if extra else ""))
for ent in (PLUMB, LOFTS):
    r = sum(rev[(ent, m)] for _y, m, _d, _n in MONTHS)
    c = sum(cost[(ent, m)] for _y, m, _d, _n in MONTHS)
    print(f"{ent:15s} Sep-Nov   revenue {r:>7,}  costs {c:>7,}  net {r - c:>7,}")
total = sum(r[1] for r in rows)
print(f"group net movement Sep-Nov: {total:+,}")
print(f"group cash at 2026-11-30: {OPENING_CASH + total:,} (12,000 opening + {total:,})")
