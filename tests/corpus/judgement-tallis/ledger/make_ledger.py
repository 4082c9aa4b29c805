#!/usr/bin/env python3
"""Write transactions.csv for the judgement-tallis workspace and print the figures
expected.toml rests on. Deterministic: random.Random(2026) only.

Run: python3 make_ledger.py   (writes ./transactions.csv next to this file)

Classification used for the printed figures (by category):
  revenue        Detailing sales, Rental income
  refund         Customer refunds (less revenue)
  cost of sales  Detailing supplies
  costs          every other outflow, including interest (Loan interest, Mortgage interest)
  NOT profit     Owner draw, Transfer, Credit card payment, Loan proceeds, Loan principal,
                 Mortgage principal, Security deposit held/returned, Sales tax
                 collected/remitted, Gift cards sold (cash only)
  the roof       Roof replacement ($9,400, Oct) is capital in the owners' eyes; execbrief has
                 no capital type, so it is printed both ways; expected.toml uses no Lofts
                 figure that depends on the choice (no October or Sep-Nov Lofts cost/net).
"""
import calendar
import csv
import datetime as dt
import os
import random
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")
rng = random.Random(2026)

H = "Tallis Holdings"
D = "Tallis Auto Detailing"
L = "Tallis Lofts"
MONTHS = [(2026, 9), (2026, 10), (2026, 11)]
OPENING_CASH = 38600

rows = []  # (date, amount, entity, account, category, memo)


def add(d, amount, entity, account, category, memo):
    rows.append((d, int(amount), entity, account, category, memo))


def day(y, m, d):
    return dt.date(y, m, d)


def last(y, m):
    return day(y, m, calendar.monthrange(y, m)[1])


# ---------------------------------------------------------------- detailing jobs
MENU = [  # service, price, supplies used
    ("exterior wash & wax", 120, 14),
    ("interior detail", 165, 21),
    ("full detail", 210, 27),
    ("full detail + clay bar", 245, 33),
    ("ceramic sealant package", 260, 41),
]
WEIGHTS = [3, 3, 4, 2, 1]
JOBS_PER_MONTH = {9: 58, 10: 61, 11: 63}
TAX_RATE = 7  # percent, collected on each job

job_no = 1001
jobs_by_month = defaultdict(list)
for y, m in MONTHS:
    workdays = [day(y, m, d) for d in range(1, calendar.monthrange(y, m)[1] + 1)
                if day(y, m, d).weekday() < 6]
    dates = sorted(rng.choice(workdays) for _ in range(JOBS_PER_MONTH[m]))
    for d in dates:
        service, price, supplies = rng.choices(MENU, weights=WEIGHTS)[0]
        tax = (price * TAX_RATE + 50) // 100
        add(d, price, D, "Square", "Detailing sales", f"Job {job_no} - {service}")
        add(d, tax, D, "Square", "Sales tax collected", f"Job {job_no} - sales tax {TAX_RATE}%")
        add(d, -supplies, D, "Checking 4410", "Detailing supplies",
            f"Job {job_no} - chemicals & pads used (Detail King)")
        jobs_by_month[m].append((job_no, d, service, price, tax))
        job_no += 1

tax_collected = {m: sum(j[4] for j in jobs_by_month[m]) for _, m in MONTHS}
gross_with_tax = {m: sum(j[3] + j[4] for j in jobs_by_month[m]) for _, m in MONTHS}

# refund of one November interior detail (price only; the tax is credited on the return)
refund_job = [j for j in jobs_by_month[11] if j[2] == "interior detail"][3]
add(refund_job[1] + dt.timedelta(days=2), -refund_job[3], D, "Square", "Customer refunds",
    f"Refund job {refund_job[0]} - interior detail, customer unhappy with seat stains")

# fixed costs of the detailing business
for y, m in MONTHS:
    add(day(y, m, 3), -689, D, "Checking 4410", "Van lease", "Ally - van lease, 2024 Transit 250")
    add(day(y, m, 6), -79, D, "Checking 4410", "Software", "Jobber - scheduling and invoicing")
    add(day(y, m, 10), -212, D, "Checking 4410", "Insurance",
        "Next Insurance - general liability + garagekeepers")
    add(day(y, m, 15), -2150, D, "Checking 4410", "Payroll", "Gusto - payroll Dylan Marsh (1st half)")
    add(last(y, m), -2150, D, "Checking 4410", "Payroll", "Gusto - payroll Dylan Marsh (2nd half)")
    fees = (gross_with_tax[m] * 26 + 500) // 1000
    add(last(y, m), -fees, D, "Square", "Card processing fees",
        f"Square - processing fees {calendar.month_abbr[m]}")
    add(day(y, m, 28), -3500, D, "Checking 4410", "Transfer", "Transfer to Tallis Holdings")
    add(day(y, m, 28), 3500, H, "Holdings Checking 7730", "Transfer",
        "Transfer from Tallis Auto Detailing")

# fuel: debit card in September, the new Amex from October
amex_oct = 0
for y, m in MONTHS:
    for d in (4, 11, 18, 25):
        amt = rng.randint(88, 124)
        acct = "Checking 4410" if m == 9 else "Amex Business 1007"
        add(day(y, m, d), -amt, D, acct, "Fuel", "Shell - van fuel")
        if m == 10:
            amex_oct += amt
# one card payment: the October statement, paid from checking (a move between accounts)
add(day(2026, 11, 14), -amex_oct, D, "Checking 4410", "Credit card payment",
    "Amex autopay - statement closing 10/31, paid in full")
add(day(2026, 11, 14), amex_oct, D, "Amex Business 1007", "Credit card payment",
    "Payment received - thank you")

# equipment loan: $25,000 funded Sep 8, 8.5% over 36 months, $789 a month from Oct 8
add(day(2026, 9, 8), 25000, D, "Checking 4410", "Loan proceeds",
    "Kinder Equipment Finance - equipment loan funded (2nd rig)")
bal = 25000
for y, m in MONTHS[1:]:
    interest = (bal * 85 + 6000) // 12000  # bal * 8.5% / 12, rounded
    principal = 789 - interest
    bal -= principal
    add(day(y, m, 8), -interest, D, "Checking 4410", "Loan interest",
        "Kinder Equipment Finance - interest")
    add(day(y, m, 8), -principal, D, "Checking 4410", "Loan principal",
        "Kinder Equipment Finance - principal")
loan_balance = bal

# sales tax remitted monthly on the 20th for the month before (August's before the ledger)
add(day(2026, 9, 20), -905, D, "Checking 4410", "Sales tax remitted",
    "IL Dept of Revenue - August sales tax")
add(day(2026, 10, 20), -tax_collected[9], D, "Checking 4410", "Sales tax remitted",
    "IL Dept of Revenue - September sales tax")
add(day(2026, 11, 20), -tax_collected[10], D, "Checking 4410", "Sales tax remitted",
    "IL Dept of Revenue - October sales tax")

# holiday gift cards sold online (Stripe), none redeemed before December
GIFT = [(21, 100), (22, 50), (23, 150), (24, 100), (25, 200), (27, 100), (27, 50),
        (28, 150), (28, 100), (29, 250), (30, 100)]
for i, (d, amt) in enumerate(GIFT, 1):
    add(day(2026, 11, d), amt, D, "Stripe", "Gift cards sold",
        f"Holiday gift card GC-{2600 + i} (redeemable from Dec 1)")

# ---------------------------------------------------------------- lofts
RENT = {1: (1650, "J. Ortega"), 2: (1700, "P. Lindqvist"), 3: (1800, "D. Okafor")}
mbal = 318400
for y, m in MONTHS:
    add(day(y, m, 1), RENT[1][0], L, "Lofts Operating 2291", "Rental income",
        f"Loft 1 - {calendar.month_abbr[m]} rent - {RENT[1][1]}")
    add(day(y, m, 2), RENT[2][0], L, "Lofts Operating 2291", "Rental income",
        f"Loft 2 - {calendar.month_abbr[m]} rent - {RENT[2][1]}")
    if m == 9:  # loft 3's tenant left Sep 30; no rent Oct-Nov
        add(day(y, m, 1), RENT[3][0], L, "Lofts Operating 2291", "Rental income",
            f"Loft 3 - Sep rent - {RENT[3][1]} (final month)")
    interest = (mbal * 6125 + 600000) // 1200000  # 6.125% / 12, rounded
    principal = 1935 - interest
    mbal -= principal
    add(day(y, m, 1), -interest, L, "Lofts Operating 2291", "Mortgage interest",
        "First Midwest Bank - mortgage interest")
    add(day(y, m, 1), -principal, L, "Lofts Operating 2291", "Mortgage principal",
        "First Midwest Bank - mortgage principal")
    add(day(y, m, 1), -365, L, "Lofts Operating 2291", "Property tax",
        "First Midwest Bank - escrow, property tax")
    add(day(y, m, 12), -188, L, "Lofts Operating 2291", "Insurance", "State Farm - landlord policy")
    add(day(y, m, 18), -{9: 162, 10: 171, 11: 158}[m], L, "Lofts Operating 2291", "Utilities",
        "City of Marion - water/sewer + common-area electric")
mortgage_balance = mbal
add(day(2026, 9, 1), 1650, L, "Lofts Operating 2291", "Security deposit held",
    "Loft 1 - security deposit, J. Ortega (lease from Sep 1)")
add(day(2026, 11, 3), 300, L, "Lofts Operating 2291", "Security deposit held",
    "Loft 2 - pet deposit, P. Lindqvist (cat)")
add(day(2026, 10, 14), -1800, L, "Lofts Operating 2291", "Security deposit returned",
    "Loft 3 - security deposit returned in full, D. Okafor")
add(day(2026, 9, 9), -120, L, "Lofts Operating 2291", "Repairs and maintenance",
    "Loft 2 - kitchen faucet cartridge")
add(day(2026, 11, 6), -95, L, "Lofts Operating 2291", "Repairs and maintenance",
    "Loft 1 - dryer vent cleaning")
add(day(2026, 10, 6), -260, L, "Lofts Operating 2291", "Cleaning", "Loft 3 - move-out clean")
add(day(2026, 10, 5), -39, L, "Lofts Operating 2291", "Advertising",
    "Zillow Rentals - featured listing Loft 3")
add(day(2026, 11, 5), -39, L, "Lofts Operating 2291", "Advertising",
    "Zillow Rentals - featured listing Loft 3")
ROOF = 9400
add(day(2026, 10, 21), -ROOF, L, "Lofts Operating 2291", "Roof replacement",
    "Summit Roofing - full tear-off and re-roof, inv 2210")
add(day(2026, 9, 28), -1500, L, "Lofts Operating 2291", "Transfer", "Transfer to Tallis Holdings")
add(day(2026, 9, 28), 1500, H, "Holdings Checking 7730", "Transfer", "Transfer from Tallis Lofts")
add(day(2026, 11, 28), -750, L, "Lofts Operating 2291", "Transfer", "Transfer to Tallis Holdings")
add(day(2026, 11, 28), 750, H, "Holdings Checking 7730", "Transfer", "Transfer from Tallis Lofts")

# ---------------------------------------------------------------- holdings
for y, m in MONTHS:
    add(day(y, m, 5), -450, H, "Holdings Checking 7730", "Accounting fees",
        "Reyes & Co CPA - monthly bookkeeping")
    add(last(y, m), -35, H, "Holdings Checking 7730", "Bank fees", "Monthly service fee")
    add(last(y, m), -3000, H, "Holdings Checking 7730", "Owner draw", "Owner draw - Maya Tallis")
    add(last(y, m), -3000, H, "Holdings Checking 7730", "Owner draw", "Owner draw - Rob Tallis")
add(day(2026, 10, 2), -149, H, "Holdings Checking 7730", "Registered agent",
    "Northwest Registered Agent - annual renewal")

# ---------------------------------------------------------------- two rows of no configured business
UNKNOWN = [
    (day(2026, 10, 17), -86, "Tallis Auto Detail", "Checking 4410", "Detailing supplies",
     "Detail King - foam cannon soap 2 gal (entered from phone)"),
    (day(2026, 11, 18), -135, "Talis Lofts", "Lofts Operating 2291", "Repairs and maintenance",
     "Ace Hardware - smoke detector batteries, hallway bulbs"),
]
for r in UNKNOWN:
    add(*r)
MAPS = {"Tallis Auto Detail": D, "Talis Lofts": L}

# ---------------------------------------------------------------- write
rows.sort(key=lambda r: r[0])  # stable: same-day rows keep their order of creation
with open(OUT, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for r in rows:
        w.writerow([r[0].isoformat(), r[1], r[2], r[3], r[4], r[5]])

# ---------------------------------------------------------------- figures
REVENUE = {"Detailing sales", "Rental income"}
REFUND = {"Customer refunds"}
COGS = {"Detailing supplies"}
NONOP = {"Owner draw", "Transfer", "Credit card payment", "Loan proceeds", "Loan principal",
         "Mortgage principal", "Security deposit held", "Security deposit returned",
         "Sales tax collected", "Sales tax remitted", "Gift cards sold"}


def figures(entity_of, roof_is_cost):
    f = defaultdict(lambda: defaultdict(int))
    for d, a, e, acct, cat, memo in rows:
        e = entity_of(e)
        k = (e, d.month)
        f[k]["cash"] += a
        if cat in NONOP:
            f[k]["nonop:" + cat] += a
            continue
        if cat in REVENUE:
            f[k]["gross"] += a
            f[k]["units"] += 1
        elif cat in REFUND:
            f[k]["refunds"] += -a
        elif cat in COGS:
            f[k]["cogs"] += -a
        elif cat == "Roof replacement" and not roof_is_cost:
            f[k]["nonop:Roof (capital)"] += a
        else:
            f[k]["opex"] += -a
            f[k]["cat:" + cat] += -a
    for k, v in f.items():
        v["revenue"] = v["gross"] - v["refunds"]
        v["costs"] = v["cogs"] + v["opex"]
        v["net"] = v["revenue"] - v["costs"]
    return f


def fmt(n):
    return f"{n:,}"


def show(title, entity_of, roof_is_cost, businesses):
    f = figures(entity_of, roof_is_cost)
    print(f"\n=== {title} ===")
    for b in businesses:
        tot = defaultdict(int)
        for _, m in MONTHS:
            v = f[(b, m)]
            for key in ("revenue", "gross", "refunds", "cogs", "opex", "costs", "net", "cash", "units"):
                tot[key] += v[key]
            print(f"{b:24s} {calendar.month_abbr[m]}: revenue {fmt(v['revenue'])} "
                  f"(sales {fmt(v['gross'])}, refunds {fmt(v['refunds'])}), costs {fmt(v['costs'])} "
                  f"(cost of sales {fmt(v['cogs'])}, other {fmt(v['opex'])}), net {fmt(v['net'])}, "
                  f"cash change {fmt(v['cash'])}, units {v['units']}")
        print(f"{b:24s} Sep-Nov: revenue {fmt(tot['revenue'])}, costs {fmt(tot['costs'])} "
              f"(cost of sales {fmt(tot['cogs'])}, other {fmt(tot['opex'])}), net {fmt(tot['net'])}, "
              f"cash change {fmt(tot['cash'])}, units {tot['units']}")
    return f


ident = lambda e: e if e in (H, D, L) else "Unassigned"
mapped = lambda e: MAPS.get(e, e)
f = show("AS CONFIGURED (variant rows unassigned), roof counted as a cost", ident, True,
         [H, D, L, "Unassigned"])
show("variant rows mapped to their business, roof counted as a cost", mapped, True, [D, L])
show("AS CONFIGURED, roof treated as capital (not a cost)", ident, False, [L])

print("\n=== cash and non-operating rows ===")
by_cat = defaultdict(int)
cash_month = defaultdict(int)
for d, a, e, acct, cat, memo in rows:
    by_cat[(e, cat)] += a if cat in NONOP or cat == "Roof replacement" else 0
    cash_month[d.month] += a
for (e, cat), a in sorted(by_cat.items()):
    if a:
        print(f"{e:24s} {cat:26s} {fmt(a)}")
bal = OPENING_CASH
for _, m in MONTHS:
    bal += cash_month[m]
    print(f"group cash change {calendar.month_abbr[m]}: {fmt(cash_month[m])}  -> cash at month end {fmt(bal)}")
print(f"opening cash 2026-09-01 {fmt(OPENING_CASH)}; cash 2026-11-30 {fmt(bal)}; "
      f"3-month average change {sum(cash_month.values()) / 3:,.2f}")
print("sales tax collected by month:", {calendar.month_abbr[m]: tax_collected[m] for _, m in MONTHS},
      f"(November's {fmt(tax_collected[11])} still owed at Nov 30)")
print(f"amex October charges paid Nov 14: {fmt(amex_oct)}")
print(f"gift cards sold Nov: {len(GIFT)} cards, {fmt(sum(a for _, a in GIFT))}")
print(f"refund: job {refund_job[0]} {fmt(refund_job[3])}")
print(f"equipment loan balance at Nov 30: {fmt(loan_balance)}; mortgage balance: {fmt(mortgage_balance)}")

# group operating totals (profit types only, all rows incl. unassigned, roof as cost)
g = defaultdict(lambda: defaultdict(int))
for (e, m), v in f.items():
    for key in ("revenue", "costs", "net"):
        g[m][key] += v[key]
for _, m in MONTHS:
    print(f"group {calendar.month_abbr[m]}: revenue {fmt(g[m]['revenue'])}, costs {fmt(g[m]['costs'])}, "
          f"net {fmt(g[m]['net'])}")

# break-even of the detailing business (unit = job), last three complete months = Sep-Nov
print("\n=== detailing unit economics, Sep-Nov, as configured ===")
rev = sum(f[(D, m)]["revenue"] for _, m in MONTHS)
gross = sum(f[(D, m)]["gross"] for _, m in MONTHS)
cogs = sum(f[(D, m)]["cogs"] for _, m in MONTHS)
opex = sum(f[(D, m)]["opex"] for _, m in MONTHS)
units = sum(f[(D, m)]["units"] for _, m in MONTHS)
for label, r in (("revenue net of refund", rev), ("sales before refund", gross)):
    contrib = r - cogs
    per_unit = contrib / units
    fixed_pm = opex / 3
    need = fixed_pm / per_unit
    print(f"[{label}] contribution {fmt(contrib)} over {units} jobs = {per_unit:.2f}/job; "
          f"fixed {fmt(opex)} = {fixed_pm:.2f}/month; break-even {need:.2f} jobs/month "
          f"vs {units / 3:.2f} sold/month")
print(f"rows written: {len(rows)} -> {OUT}")
