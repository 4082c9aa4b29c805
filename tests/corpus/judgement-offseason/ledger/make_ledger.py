#!/usr/bin/env python3
"""Write transactions.csv for the Larkin Family Ventures judgement workspace (judgement-offseason)
and print every figure expected.toml rests on, plus the wrong figures a careless reading gives.
Deterministic, stdlib only.

Columns: date, amount, entity, account, category, memo (whole dollars, + = money in, US books).
"""
import csv
import datetime as dt
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")

BOATS = "Larkin Lake Boat Rentals"
HOLD = "Larkin Lake Holdings LLC"
COUR = "Northshore Courier"
ENTS = [BOATS, HOLD, COUR]
MONTHS = [8, 9, 10, 11]
MN = {8: "Aug", 9: "Sep", 10: "Oct", 11: "Nov"}
OPENING = 48000  # group cash on 2026-08-01, before its rows

rows = []


def add(m, d, amount, ent, account, cat, memo):
    rows.append((dt.date(2026, m, d), int(amount), ent, account, cat, memo))


# ------------------------------------------------------------ boat rentals (seasonal)
PRICE = {"full": 325, "half": 195, "kayak": 45, "sup": 40}
WEEKDAY_AUG = {"full": 1, "half": 1, "kayak": 5, "sup": 2}     # 825
WEEKEND_AUG = {"full": 3, "half": 2, "kayak": 10, "sup": 4}    # 1,975
FRI_FALL = {"full": 1, "half": 1, "kayak": 4, "sup": 1}        # 740
WEEKEND_SEP = {"full": 2, "half": 1, "kayak": 6, "sup": 2}     # 1,195
WEEKEND_OCT = {"full": 1, "half": 1, "kayak": 3, "sup": 0}     # 655
RAIN = {(8, 12), (8, 19), (9, 24)}  # rained out: no deposit


def deposit(m, d, mix):
    amt = sum(PRICE[k] * n for k, n in mix.items())
    desc = ", ".join(f"{n} {k}" for k, n in mix.items() if n)
    add(m, d, amt, BOATS, "Lakeshore CU Checking", "Sales", f"Square deposit - {m}/{d} rentals ({desc})")


for m in (8, 9, 10):
    for d in range(1, 32):
        try:
            day = dt.date(2026, m, d)
        except ValueError:
            break
        if (m, d) in RAIN:
            continue
        wd = day.weekday()  # Mon=0
        if m == 8 or (m == 9 and d <= 7):  # full season through Labor Day (Mon 9/7)
            deposit(m, d, WEEKEND_AUG if wd >= 5 or (m, d) == (9, 7) else WEEKDAY_AUG)
        elif m == 9:  # Fri-Sun only after Labor Day
            if wd == 4:
                deposit(m, d, FRI_FALL)
            elif wd >= 5:
                deposit(m, d, WEEKEND_SEP)
        elif m == 10 and d <= 18 and wd >= 5:  # weekends to the color-tour weekend, closed 10/18
            deposit(m, d, WEEKEND_OCT)

# November: winter storage of customers' own boats (our only off-season income)
for d, who in ((3, "T. Ferris - 22ft Sun Tracker"), (6, "Baumgartner - 20ft Bennington"), (14, "D. Okonjo - 18ft Lund")):
    add(11, d, 350, BOATS, "Lakeshore CU Checking", "Sales", f"Winter storage fee - {who} (Nov-Apr)")

payroll = {8: [(14, 4180), (28, 4260)], 9: [(11, 2640), (25, 1980)], 10: [(9, 1420), (23, 1150)], 11: [(20, 560)]}
for m, lst in payroll.items():
    for d, a in lst:
        add(m, d, -a, BOATS, "Lakeshore CU Checking", "Wages", "Gusto payroll - dock staff")
fuel = {8: [(4, 612), (13, 588), (24, 640)], 9: [(3, 505), (18, 322)], 10: [(5, 214)], 11: []}
for m, lst in fuel.items():
    for d, a in lst:
        add(m, d, -a, BOATS, "Lakeshore CU Checking", "Cost of goods", "Marina fuel dock - pontoon gas")
for m in MONTHS:
    add(m, 2, -99, BOATS, "Lakeshore CU Checking", "Software", "FareHarbor booking subscription")
    add(m, 10, -385, BOATS, "Lakeshore CU Checking", "Insurance", "Great Lakes Marine - livery liability, monthly installment")
for m, a in ((8, 268), (9, 194), (10, 121), (11, 62)):
    add(m, 16, -a, BOATS, "Lakeshore CU Checking", "Utilities", "Consumers Energy - dock power")
for m, d, a, memo in ((8, 7, 340, "Prop and skeg repair, pontoon #3"), (9, 15, 180, "Kayak hull patch kit, paddles"),
                      (10, 21, 2450, "Winterization - shrink wrap 5 pontoons, engine fogging, lower unit oil (Harbor Marine Svc)")):
    add(m, d, -a, BOATS, "Lakeshore CU Checking", "Repairs & maintenance", memo)
for m, a in ((8, 450), (9, 200)):
    add(m, 1, -a, BOATS, "Lakeshore CU Checking", "Advertising", "Google Ads - boat rentals")
for m, a in ((8, 7000), (9, 6000), (10, 2500)):
    add(m, 3, -a, BOATS, "Lakeshore CU Checking", f"Transfer to {HOLD}", "Monthly transfer to Holdings - covers dock loan")
    add(m, 3, a, HOLD, "Huron Valley Bank Checking", f"Transfer from {BOATS}", "From boat rentals account")
for m, d, a in ((8, 15, 2500), (8, 31, 2500), (9, 15, 2500), (9, 30, 2500), (10, 31, 2000), (11, 30, 2000)):
    add(m, d, -a, BOATS, "Lakeshore CU Checking", "Owner draw", "Owner draw - J. Larkin")

# ------------------------------------------------------------ holding (earns nothing by design)
bal = 142600
RATE_BP = 650  # 6.50%
PAYMENT = 2250
loan = {}
for m in MONTHS:
    interest = (bal * RATE_BP + 60000) // 120000
    principal = PAYMENT - interest
    bal -= principal
    loan[m] = (interest, principal, bal)
    add(m, 5, -interest, HOLD, "Huron Valley Bank Checking", "Loan interest", "HVB commercial loan #4471 - interest")
    add(m, 5, -principal, HOLD, "Huron Valley Bank Checking", "Loan repayment - principal", "HVB commercial loan #4471 - principal")
    add(m, 12, -210, HOLD, "Huron Valley Bank Checking", "Insurance", "Auto-Owners - dock & boathouse property, monthly")
    add(m, 28, -15, HOLD, "Huron Valley Bank Checking", "Bank fees", "Monthly maintenance fee")
add(8, 28, -3140, HOLD, "Huron Valley Bank Checking", "Property tax", "Shore Township summer tax - 14 Shore Rd dock lot")
add(9, 22, -450, HOLD, "Huron Valley Bank Checking", "Professional fees", "Maki & Sons CPA - Q3 bookkeeping")
for m, a in ((8, 4), (9, 4), (10, 3), (11, 2)):
    add(m, 30, a, HOLD, "HVB Savings", "Interest income", "Savings interest")
add(10, 20, 7800, HOLD, "Huron Valley Bank Checking", "Sale of equipment", "Sold pontoon #4 (2014 Bennington 20SL) to R. Duquette - bill of sale on file")
add(10, 1, -15000, HOLD, "Huron Valley Bank Checking", f"Transfer to {COUR}", "Start-up money for Northshore Courier")

# ------------------------------------------------------------ courier (opened 1 Oct 2026)
add(10, 1, 15000, COUR, "Northshore Chase Checking", f"Transfer from {HOLD}", "Start-up money from Holdings")
add(10, 1, -2400, COUR, "Northshore Chase Checking", "Security deposit paid", "Harbor St garage - security deposit (2 months, refundable)")
add(10, 1, -1200, COUR, "Northshore Chase Checking", "Rent", "Harbor St garage - October rent")
add(11, 1, -1200, COUR, "Northshore Chase Checking", "Rent", "Harbor St garage - November rent")
add(10, 2, -8600, COUR, "Northshore Chase Checking", "Equipment purchase", "2x Tern GSD cargo e-bikes, spare batteries, racks (Trailhead Cycles)")
add(10, 3, -2160, COUR, "Northshore Chase Checking", "Insurance", "Next Insurance - annual premium, policy 10/1/2026-9/30/2027 (GL + cargo)")
add(10, 5, -185, COUR, "Northshore Chase Checking", "Licenses & permits", "City of Port Huron - business license")
add(10, 6, -640, COUR, "Northshore Chase Checking", "Advertising", "Launch flyers + vinyl door signage (one-time)")
for m in (10, 11):
    add(m, 4, -99, COUR, "Northshore Chase Checking", "Software", "Onfleet dispatch - monthly")
for m, d, a in ((10, 16, 780), (10, 30, 780), (11, 13, 1170), (11, 27, 1170)):
    add(m, d, -a, COUR, "Northshore Chase Checking", "Wages", "Gusto payroll - part-time rider (M. Reyes)")
add(10, 22, -48, COUR, "Northshore Chase Checking", "Utilities", "DTE - garage electric / charging")
add(11, 20, -71, COUR, "Northshore Chase Checking", "Utilities", "DTE - garage electric / charging")
add(11, 18, -85, COUR, "Northshore Chase Checking", "Repairs & maintenance", "Tire + tube, bike #2")
sales = {
    10: [(9, "Harbor Bloom Florist", 180), (16, "Harbor Bloom Florist", 200), (17, "Crust & Crumb Bakery", 290),
         (23, "Lakeshore Pharmacy", 410), (30, "App / walk-in deliveries", 160)],
    11: [(6, "Harbor Bloom Florist", 310), (6, "Lakeshore Pharmacy", 420), (13, "Crust & Crumb Bakery", 540),
         (13, "Harbor Bloom Florist", 310), (20, "Lakeshore Pharmacy", 460), (20, "Northshore Books", 310),
         (27, "Lakeshore Pharmacy", 1040), (27, "App / walk-in deliveries", 530)],
}
for m, lst in sales.items():
    for d, who, a in lst:
        add(m, d, a, COUR, "Northshore Chase Checking", "Sales", f"{who} - delivery invoice")

rows.sort(key=lambda r: (r[0], r[2], r[4], r[1]))
with open(OUT, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for d, a, e, acc, cat, memo in rows:
        w.writerow([d.isoformat(), a, e, acc, cat, memo])

# ------------------------------------------------------------ classification and totals
REVENUE = {"Sales"}
OTHER_INCOME = {"Interest income"}
CAPITAL = {"Equipment purchase"}
CASH_ONLY = {"Security deposit paid", "Owner draw", "Loan repayment - principal", "Sale of equipment"}


def kind(cat):
    if cat in REVENUE:
        return "rev"
    if cat in OTHER_INCOME:
        return "oth"
    if cat in CAPITAL:
        return "cap"
    if cat in CASH_ONLY or cat.startswith("Transfer "):
        return "cash"
    return "cost"


T = defaultdict(int)  # (entity, month, kind) -> sum; costs positive
CAT = defaultdict(int)  # (entity, month, category)
for d, a, e, acc, cat, memo in rows:
    k = kind(cat)
    T[(e, d.month, k)] += -a if k in ("cost", "cap") else a
    CAT[(e, d.month, cat)] += a


def g(e, m, k):
    if e == "group":
        return sum(T[(x, m, k)] for x in ENTS)
    return T[(e, m, k)]


print(f"rows: {len(rows)}")
for e in ENTS + ["group"]:
    print(f"\n== {e}")
    tr = tc = to = tcap = 0
    for m in MONTHS:
        r, c, o, cap = g(e, m, "rev"), g(e, m, "cost"), g(e, m, "oth"), g(e, m, "cap")
        tr += r; tc += c; to += o; tcap += cap
        print(f"  {MN[m]}: revenue {r:,}  other income {o:,}  operating costs {c:,}  net {r + o - c:,}"
              f"  (equipment {cap:,}; net if equipment expensed {r + o - c - cap:,})")
    print(f"  Aug-Nov: revenue {tr:,}  other {to:,}  costs {tc:,}  net {tr + to - tc:,}  equipment {tcap:,}")
    if e != "group":
        cats = sorted({c for (x, m, c) in CAT if x == e})
        for c in cats:
            print("    " + c.ljust(40) + "  ".join(f"{MN[m]} {CAT[(e, m, c)]:,}" for m in MONTHS))

print("\n== loan (HVB #4471, payment 2,250)")
for m in MONTHS:
    i, p, b = loan[m]
    print(f"  {MN[m]}: interest {i:,} principal {p:,} balance after {b:,}")
print(f"  principal Aug-Nov {sum(loan[m][1] for m in MONTHS):,}; interest Aug-Nov {sum(loan[m][0] for m in MONTHS):,}")

print("\n== cash")
cash = OPENING
flows = {}
for m in MONTHS:
    fl = sum(a for d, a, *_ in rows if d.month == m)
    flows[m] = fl
    cash += fl
    print(f"  {MN[m]}: net cash flow {fl:,}  month-end cash {cash:,}")
print(f"  total change {cash - OPENING:,}")
draws = {m: -CAT[(BOATS, m, 'Owner draw')] for m in MONTHS}
print(f"  owner draws {draws}  total {sum(draws.values()):,}")
ti = {m: sum(a for d, a, e, acc, cat, _ in rows if d.month == m and cat.startswith('Transfer ') and a > 0) for m in MONTHS}
print(f"  transfers in (each also an equal transfer out) {ti} total {sum(ti.values()):,}")

# ------------------------------------------------------------ wrong readings
print("\n== WRONG readings")
br = {m: g(BOATS, m, 'rev') for m in MONTHS}
print(f"  boats Nov vs Aug revenue change {100 * (br[11] - br[8]) / br[8]:.1f}%; Nov vs Oct {100 * (br[11] - br[10]) / br[10]:.1f}%;"
      f" Oct vs Sep {100 * (br[10] - br[9]) / br[9]:.1f}%")
hr_t = sum(g(HOLD, m, 'rev') + g(HOLD, m, 'oth') for m in MONTHS)
hx = sum(ti[m] for m in (8, 9, 10))  # transfers into holding
print(f"  holding 'revenue' with transfers in {hr_t + 15500:,}; with equipment sale {hr_t + 7800:,}; with both {hr_t + 15500 + 7800:,};"
      f" Oct with sale {g(HOLD, 10, 'oth') + 7800:,}, Oct with sale + transfer {g(HOLD, 10, 'oth') + 7800 + 2500:,}")
hc = {m: g(HOLD, m, 'cost') for m in MONTHS}
print(f"  holding costs with principal: " + ", ".join(f"{MN[m]} {hc[m] + loan[m][1]:,}" for m in MONTHS)
      + f"; Aug-Nov {sum(hc.values()) + sum(loan[m][1] for m in MONTHS):,}; Oct with transfer out {hc[10] + 15000:,}")
cr = {m: g(COUR, m, 'rev') for m in MONTHS}
cc = {m: g(COUR, m, 'cost') for m in MONTHS}
print(f"  courier Oct revenue with transfer in {cr[10] + 15000:,}; Oct costs with deposit {cc[10] + 2400:,} / with deposit+equipment {cc[10] + 2400 + 8600:,};"
      f" Oct net with deposit+equipment {cr[10] - cc[10] - 2400 - 8600:,}; with deposit only {cr[10] - cc[10] - 2400:,}")
print(f"  courier 4-month averages: revenue {(cr[10] + cr[11]) / 4:,.0f}; net (cash basis, equipment expensed) {(cr[10] - cc[10] - 8600 + cr[11] - cc[11]) / 4:,.0f};"
      f" net (equipment capitalised) {(cr[10] - cc[10] + cr[11] - cc[11]) / 4:,.0f}")
print(f"  courier Oct net x12 (equipment expensed) {(cr[10] - cc[10] - 8600) * 12:,}; equipment capitalised x12 {(cr[10] - cc[10]) * 12:,}")
print(f"  insurance 2,160 x 12 = {2160 * 12:,}; courier Nov 'costs down' from Oct {(cc[10] + 8600 - cc[11]):,}")
grev = sum(g('group', m, 'rev') for m in MONTHS)
print(f"  group revenue Aug-Nov with equipment sale {grev + 7800:,}; with transfers (15,500 + 15,000) {grev + 30500:,}; both {grev + 30500 + 7800:,}")
print(f"  group Oct revenue with sale {g('group', 10, 'rev') + 7800:,}")
gc_nov = g('group', 11, 'cost')
nov_burn = -flows[11]
print(f"  runway from November alone: cash {cash:,} / Nov net cash outflow {nov_burn:,} = {cash / nov_burn:.1f} months;"
      f" Nov operating loss {g('group', 11, 'cost') - g('group', 11, 'rev') - g('group', 11, 'oth'):,} -> {cash / (g('group', 11, 'cost') - g('group', 11, 'rev') - g('group', 11, 'oth')):.1f} months")
oct_burn = -flows[10]
print(f"  runway from Oct+Nov cash flow: avg outflow {(-(flows[10] + flows[11])) / 2:,.0f} -> {cash / ((-(flows[10] + flows[11])) / 2):.1f} months")
bc = {m: g(BOATS, m, 'cost') for m in MONTHS}
btr = {8: 7000, 9: 6000, 10: 2500, 11: 0}
print("  boats costs with transfer to Holdings: " + ", ".join(f"{MN[m]} {bc[m] + btr[m]:,}" for m in MONTHS)
      + f"; Aug-Nov {sum(bc.values()) + 15500:,}; net Aug-Nov {sum(br.values()) - sum(bc.values()) - 15500:,}")
print("  boats costs with draws: " + ", ".join(f"{MN[m]} {bc[m] + draws[m]:,}" for m in MONTHS)
      + f"; Aug-Nov {sum(bc.values()) + 14000:,}; Nov net with draw {br[11] - bc[11] - draws[11]:,}; Oct net with draw+transfer {br[10] - bc[10] - 2000 - 2500:,}")
print(f"  group costs with draws Aug-Nov {sum(g('group', m, 'cost') for m in MONTHS) + 14000:,}; group net with draws {21704 - 14000:,}")
print(f"  group costs with principal Aug-Nov {sum(g('group', m, 'cost') for m in MONTHS) + 5960:,}; Nov {g('group', 11, 'cost') + 1502:,}")
ins = {m: -sum(CAT[(e, m, 'Insurance')] for e in ENTS) for m in MONTHS}
print(f"  group insurance by month {ins}; Oct vs Sep change {ins[10] - ins[9]:,} ({100 * (ins[10] - ins[9]) / ins[9]:.0f}%)")
print(f"  courier Nov net with insurance spread 180/mo {cr[11] - cc[11] - 180:,}; Oct net with insurance spread + equipment capitalised {cr[10] - cc[10] + 2160 - 180:,}")
print(f"  courier 'growth' Oct vs Sep: +{cr[10]:,}; Oct->Nov revenue growth {100 * (cr[11] - cr[10]) / cr[10]:.0f}%")
print(f"  group cash flow Sep-Nov avg {(flows[9] + flows[10] + flows[11]) / 3:,.0f} -> {cash / (-(flows[9] + flows[10] + flows[11]) / 3):.1f} months")
