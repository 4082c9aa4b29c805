#!/usr/bin/env python3
"""Writes ledger/quickbooks_transactions.csv for judgement-evergreen (Evergreen Outdoor
Services LLC) as QuickBooks Online exports a transaction list of the business checking
account, and prints the figures an analyst needs. Deterministic: no randomness.

Columns: Date,Transaction Type,Num,Name,Memo/Description,Account,Split,Amount,Class
Account is always the checking account; Split is the other side; Class is the business.
"""
import csv
from collections import defaultdict
from pathlib import Path

OPENING_CASH = 18400  # on 09/01/2026, before its rows
CHK = "Bremer Business Checking"
L, S = "Landscaping", "Snow"

rows = []  # (mm/dd, type, num, name, memo, split, amount, class, kind)
# kind: revenue / cost / draw / loan_in / principal / interest / transfer / prepaid /
#       tax_in / tax_out / capex


def add(d, typ, num, name, memo, split, amt, cls, kind):
    rows.append((d, typ, num, name, memo, split, amt, cls, kind))


# ---------------------------------------------------------------- Landscaping revenue
HOA = "Cedar Ridge HOA"
add("09/04", "Payment", "1031", HOA, "Cedar Ridge HOA - Aug grounds maintenance INV 1031", "Landscaping Income", 5200, L, "revenue")
add("10/28", "Payment", "1046", HOA, "Cedar Ridge HOA - Oct grounds maintenance INV 1046", "Landscaping Income", 5200, L, "revenue")
add("11/24", "Payment", "1058", HOA, "Cedar Ridge HOA - Nov grounds maintenance INV 1058", "Landscaping Income", 5200, L, "revenue")
add("11/24", "Payment", "1061", HOA, "Cedar Ridge HOA - fall cleanup + leaf haul INV 1061", "Landscaping Income", 3900, L, "revenue")

seasonal = ["Olson", "Nguyen", "Baptiste", "Sorensen", "Patel", "Fischer", "Hendricks", "Ostrowski"]
for m, day in (("09", "05"), ("10", "05")):
    mon = {"09": "Sep", "10": "Oct"}[m]
    for i, c in enumerate(seasonal):
        add(f"{m}/{day}", "Payment", f"S{m}{i+1:02d}", c, f"{c} - seasonal lawn contract {mon}", "Lawn Care Income", 210, L, "revenue")

jobs = {
    "09": [("09/09", "Larkin", "paver patio install (Northstar sub)", 6800),
           ("09/11", "Dahl", "core aeration", 240), ("09/15", "Mbeki", "shrub trim + edging", 420),
           ("09/17", "Sorensen", "aeration + overseed", 380), ("09/22", "Kowalczyk", "sod repair front yard", 1150),
           ("09/24", "Abara", "aeration + overseed", 360), ("09/25", "Lake Street Dental", "bed refresh + mulch labor", 980),
           ("09/29", "Hendricks", "tree + shrub planting labor", 1690)],
    "10": [("10/06", "Dahl", "boulder retaining wall (Northstar sub)", 4100),
           ("10/08", "Moe", "aeration + overseed", 350), ("10/14", "Hendricks", "aeration + overseed", 340),
           ("10/16", "Castillo", "fall cleanup", 620), ("10/21", "Nakamura", "fall cleanup", 540),
           ("10/23", "Peterson", "fall cleanup + gutter", 710), ("10/27", "Riverside Storage", "fall cleanup commercial", 1280),
           ("10/30", "Mbeki", "fall cleanup", 480)],
    "11": [("11/05", "Olson", "final cleanup + leaf haul", 460), ("11/10", "Fischer", "final cleanup", 390),
           ("11/13", "Baptiste", "final cleanup + irrigation blowout", 500)],
}
for m, js in jobs.items():
    for n, (d, c, what, amt) in enumerate(js):
        add(d, "Payment", f"J{m}{n+1:02d}", c, f"{c} - {what}", "Landscaping Income", amt, L, "revenue")

# taxable materials (MN sales tax collected, Minneapolis 8.025%)
materials = [("09/25", "Lake Street Dental", 620), ("09/29", "Hendricks", 780),
             ("10/16", "Castillo", 540), ("10/20", "Sorensen", 960), ("10/23", "Peterson", 700),
             ("11/13", "Baptiste", 300)]
for n, (d, c, amt) in enumerate(materials):
    tax = round(amt * 0.08025)
    add(d, "Sales Receipt", f"M{n+1:03d}", c, f"{c} - mulch / plants / pavers", "Materials Sales", amt, L, "revenue")
    add(d, "Sales Receipt", f"M{n+1:03d}", c, f"{c} - MN sales tax on materials", "MN Sales Tax Payable", tax, L, "tax_in")

# ---------------------------------------------------------------- Landscaping costs
for m, last in (("09", "30"), ("10", "30"), ("11", "30")):
    marco = (1650, 1650) if m != "11" else (1650, 1100)
    tyler = (1350, 1350) if m != "11" else (900, 420)
    for (day, a, b) in (("15", marco[0], tyler[0]), (last, marco[1], tyler[1])):
        add(f"{m}/{day}", "Payroll Check", "", "Marco Ruiz", "Payroll - Marco Ruiz", "Payroll Expenses:Wages", -a, L, "cost")
        add(f"{m}/{day}", "Payroll Check", "", "Tyler Brandt", "Payroll - Tyler Brandt", "Payroll Expenses:Wages", -b, L, "cost")
    add(f"{m}/{last}", "Expense", "", "EFTPS", "Federal + MN payroll tax deposit", "Payroll Expenses:Taxes", -{"09": 540, "10": 540, "11": 350}[m], L, "cost")

add("09/19", "Bill Payment (Check)", "2207", "Northstar Hardscapes", "Northstar Hardscapes - Larkin patio sub labor", "Subcontractors", -4300, L, "cost")
add("10/13", "Bill Payment (Check)", "2215", "Northstar Hardscapes", "Northstar Hardscapes - Dahl wall sub labor", "Subcontractors", -1900, L, "cost")

for d, amt, what in (("09/08", -1620, "pavers + base"), ("09/23", -730, "mulch, plants"),
                     ("10/05", -810, "boulders + fabric"), ("10/19", -1170, "mulch, perennials, seed"),
                     ("11/11", -420, "mulch, leaf bags")):
    add(d, "Expense", "", "Hedberg Landscape Supplies", f"Hedberg - {what}", "Job Materials", amt, L, "cost")

fuel = {"09": [265, 240, 255, 220], "10": [230, 215, 245, 190], "11": [160, 140, 110]}
fdays = {"09": ["03", "12", "19", "26"], "10": ["03", "12", "20", "27"], "11": ["04", "12", "20"]}
for m in fuel:
    for d, a in zip(fdays[m], fuel[m]):
        add(f"{m}/{d}", "Expense", "", "Holiday Stationstores", "Fuel - trucks + mowers", "Fuel", -a, L, "cost")

for d, a in (("09/16", 145), ("09/30", 165), ("10/14", 210), ("10/28", 255), ("11/07", 220), ("11/18", 160)):
    add(d, "Expense", "", "Hennepin County Transfer Station", "Dump fees - brush/leaf/sod", "Dump Fees", -a, L, "cost")

for m in ("09", "10", "11"):
    add(f"{m}/02", "Expense", "", "West Bend Mutual", "Commercial auto + GL (landscaping)", "Insurance", -460, L, "cost")
    add(f"{m}/06", "Expense", "", "Jobber", "Jobber Grow plan", "Software & Subscriptions", -129, L, "cost")
    add(f"{m}/10", "Expense", "", "Intuit", "QuickBooks Online Plus", "Software & Subscriptions", -90, L, "cost")
    add(f"{m}/21", "Expense", "", "Verizon", "Crew phones", "Utilities:Phone", -140, L, "cost")
add("09/18", "Expense", "", "Google Ads", "Google Ads - lawn/landscape", "Advertising & Marketing", -220, L, "cost")
add("10/18", "Expense", "", "Google Ads", "Google Ads - lawn/landscape", "Advertising & Marketing", -180, L, "cost")
add("10/14", "Expense", "", "Minnetonka Small Engine", "Mower deck spindle repair (Scag)", "Repairs & Maintenance", -385, L, "cost")

# ---------------------------------------------------------------- Landscaping: cash only
add("09/11", "Deposit", "", "Bremer Bank", "Equipment loan proceeds - 2026 F-350", "Bremer Truck Loan", 30000, L, "loan_in")
add("09/12", "Check", "2204", "Boyer Ford Trucks", "2026 Ford F-350 dump body - purchase", "Fixed Assets:Vehicles", -38500, L, "capex")
for d, i, p in (("10/12", 198, 409), ("11/12", 195, 412)):
    add(d, "Check", "", "Bremer Bank", "Truck loan payment - interest", "Interest Expense", -i, L, "interest")
    add(d, "Check", "", "Bremer Bank", "Truck loan payment - principal", "Bremer Truck Loan", -p, L, "principal")
for d in ("09/30", "10/30", "11/25"):
    add(d, "Transfer", "", "Dana Lindqvist", "Owner draw", "Owner's Pay & Personal Expenses", -3000, L, "draw")
# sales tax paid over to MN Dept of Revenue (August's collections paid 9/18)
add("09/18", "Sales Tax Payment", "", "Minnesota Department of Revenue", "MN sales tax - August", "MN Sales Tax Payable", -96, L, "tax_out")
sep_tax = sum(r[6] for r in rows if r[8] == "tax_in" and r[0].startswith("09"))
oct_tax = sum(r[6] for r in rows if r[8] == "tax_in" and r[0].startswith("10"))
add("10/19", "Sales Tax Payment", "", "Minnesota Department of Revenue", "MN sales tax - September", "MN Sales Tax Payable", -sep_tax, L, "tax_out")
add("11/19", "Sales Tax Payment", "", "Minnesota Department of Revenue", "MN sales tax - October", "MN Sales Tax Payable", -oct_tax, L, "tax_out")
# transfer Landscaping -> Snow
add("10/16", "Journal Entry", "JE-14", "", "Transfer Landscaping to Snow - salt + plow insurance", "Intercompany Transfers", -5000, L, "transfer")
add("10/16", "Journal Entry", "JE-14", "", "Transfer Landscaping to Snow - salt + plow insurance", "Intercompany Transfers", 5000, S, "transfer")

# ---------------------------------------------------------------- Snow
prepaid = [("10/22", "Hoffman", 650), ("10/28", "Kaur", 650), ("11/04", "Jorgensen", 700),
           ("11/10", "Lake Street Dental", 4200), ("11/12", "Whitaker", 650), ("11/18", "Mill City Townhomes", 2400)]
for n, (d, c, a) in enumerate(prepaid):
    add(d, "Payment", f"SN{n+1:03d}", c, f"{c} - 2026-27 snow season contract, paid in full", "Unearned Revenue - Snow Contracts", a, S, "prepaid")

pushes1 = [("Riverside Storage", 140), ("Lake Street Dental", 175), ("Abara", 50), ("Moe", 45), ("Castillo", 50),
           ("Peterson", 45), ("Nakamura", 50), ("Hoffman", 50), ("Kaur", 50), ("Whitaker", 50), ("Jorgensen", 60), ("Lindgren", 50)]
pushes2 = pushes1 + [("Quist", 55), ("Vang", 45)]
for n, (c, a) in enumerate(pushes1):
    add("11/23", "Payment", f"P1{n+1:02d}", c, f"{c} - plow 11/21 (3.5in)", "Snow Removal Income", a, S, "revenue")
for n, (c, a) in enumerate(pushes2):
    add("11/30", "Payment", f"P2{n+1:02d}", c, f"{c} - plow 11/27 (6in)", "Snow Removal Income", a, S, "revenue")
add("11/30", "Payment", "P301", "Riverside Storage", "Riverside Storage - salt application x2", "Snow Removal Income", 170, S, "revenue")

add("09/24", "Expense", "", "Minuteman Press", "Snow door hangers (2,000)", "Advertising & Marketing", -240, S, "cost")
add("10/15", "Expense", "", "Nextdoor", "Nextdoor ads - snow removal", "Advertising & Marketing", -180, S, "cost")
add("10/20", "Expense", "", "West Bend Mutual", "Plow endorsement + snow GL (season)", "Insurance", -1150, S, "cost")
add("11/15", "Expense", "", "Nextdoor", "Nextdoor ads - snow removal", "Advertising & Marketing", -150, S, "cost")
add("11/06", "Check", "2231", "Northern Plow & Equipment", "Boss 8'2\" DXT plow blade + install", "Fixed Assets:Equipment", -6800, S, "capex")
add("11/17", "Expense", "", "Central Salt Supply", "Bulk salt + bagged ice melt", "Salt & Ice Melt", -720, S, "cost")
add("11/21", "Expense", "", "Holiday Stationstores", "Fuel - plow truck", "Fuel", -120, S, "cost")
add("11/28", "Expense", "", "Holiday Stationstores", "Fuel - plow truck", "Fuel", -140, S, "cost")
add("11/28", "Expense", "", "Luis Ortega", "Shovel/plow helper 11/27", "Contract Labor", -300, S, "cost")

# ---------------------------------------------------------------- write
rows.sort(key=lambda r: (r[0], r[7], r[1], r[2]))
out = Path(__file__).with_name("quickbooks_transactions.csv")
with out.open("w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Transaction Type", "Num", "Name", "Memo/Description", "Account", "Split", "Amount", "Class"])
    for d, typ, num, name, memo, split, amt, cls, kind in rows:
        w.writerow([f"{d}/2026", typ, num, name, memo, CHK, split, f"{amt:.2f}", cls])

# ---------------------------------------------------------------- print figures
def fmt(x):
    return f"{x:,.0f}"

agg = defaultdict(float)
for d, typ, num, name, memo, split, amt, cls, kind in rows:
    m = d[:2]
    agg[(cls, m, kind)] += amt
    agg[(cls, "all", kind)] += amt
    agg[("group", m, kind)] += amt
    agg[("group", "all", kind)] += amt

print(f"rows: {len(rows)}  file: {out.name}")
months = ["09", "10", "11", "all"]
for cls in (L, S, "group"):
    print(f"\n== {cls}")
    for m in months:
        rev = agg[(cls, m, "revenue")]
        cost = -(agg[(cls, m, "cost")] + agg[(cls, m, "interest")])
        print(f"  {m}: revenue {fmt(rev)}  operating costs {fmt(cost)} (incl interest {fmt(-agg[(cls, m, 'interest')])})  net {fmt(rev - cost)}")
        cash_only = {k: agg[(cls, m, k)] for k in ("draw", "loan_in", "principal", "transfer", "prepaid", "tax_in", "tax_out", "capex")}
        print("      cash only: " + ", ".join(f"{k} {fmt(v)}" for k, v in cash_only.items() if v))
        allsum = sum(agg[(cls, m, k)] for k in ("revenue", "cost", "interest", "draw", "loan_in", "principal", "transfer", "prepaid", "tax_in", "tax_out", "capex"))
        print(f"      all rows net cash {fmt(allsum)}")

cash = OPENING_CASH
print(f"\nopening cash 2026-09-01: {fmt(cash)}")
for m in ("09", "10", "11"):
    cash += sum(r[6] for r in rows if r[0][:2] == m)
    print(f"  cash at end of {m}: {fmt(cash)}")
print(f"closing cash 2026-11-30: {fmt(cash)}")

hoa = sum(r[6] for r in rows if r[3] == HOA)
lrev = agg[(L, "all", "revenue")]
print(f"\nCedar Ridge HOA received Sep-Nov: {fmt(hoa)} of Landscaping revenue {fmt(lrev)} = {hoa / lrev:.1%}")
print(f"Snow prepaid held at 11/30: {fmt(agg[(S, 'all', 'prepaid')])} ({len(prepaid)} contracts)")
tin, tout = agg[("group", "all", "tax_in")], agg[("group", "all", "tax_out")]
print(f"sales tax collected {fmt(tin)}, paid {fmt(-tout)}; November collected still owed {fmt(agg[(L, '11', 'tax_in')])}")
print(f"loan: proceeds {fmt(agg[(L,'all','loan_in')])}, principal repaid {fmt(-agg[(L,'all','principal')])}, balance {fmt(agg[(L,'all','loan_in')] + agg[(L,'all','principal')])}; interest {fmt(-agg[(L,'all','interest')])}")
print(f"draws {fmt(-agg[('group','all','draw')])}; capital purchases {fmt(-agg[('group','all','capex')])}")
for cls in (L, S):
    for m in ("10", "11"):
        net = agg[(cls, m, "revenue")] + agg[(cls, m, "cost")] + agg[(cls, m, "interest")]
        print(f"{cls} {m}: net after loan principal {fmt(net + agg[(cls, m, 'principal')])}")
