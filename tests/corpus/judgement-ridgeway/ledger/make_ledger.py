#!/usr/bin/env python3
"""Ridgeway Works Ltd: writes ledger/bank_export.csv (a UK current-account export,
newest first, with a hand-added Business column) and prints the true figures.
Deterministic: no randomness."""
import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal as D
from pathlib import Path

OPENING = D("18640.25")
OPEN_DATE = dt.date(2026, 9, 1)
AS_OF = dt.date(2026, 11, 30)
rows = []  # (date, type, desc, amount signed, business, kind)


def add(d, typ, desc, amt, biz, kind):
    rows.append((d, typ, desc, D(str(amt)), biz, kind))


def day(m, d):
    return dt.date(2026, m, d)


C, V = "Consulting", "Vans"

# ---------------- Ridgeway Consulting ----------------
# Client receipts (gross, VAT 20% inside): cash 30-60 days after the work
add(day(9, 7), "FPI", "CALDER HOUSING TRUST RC-1037", 3300.00, C, "revenue")     # Aug retainer 2,750+VAT
add(day(9, 14), "FPI", "HALDEN LOGISTICS LTD INV1038", 8580.00, C, "revenue")    # Jul 11 days x 650 +VAT
add(day(9, 29), "FPI", "PENNINE BREWING CO RC-1039", 1800.00, C, "revenue")      # Aug retainer 1,500+VAT
add(day(10, 2), "FPI", "AIRE VALLEY DENTAL INV1040", 3300.00, C, "revenue")      # phase 1, 2,750+VAT
add(day(10, 8), "FPI", "CALDER HOUSING TRUST RC-1041", 3300.00, C, "revenue")    # Sep retainer
add(day(10, 19), "FPI", "HALDEN LOGISTICS LTD INV1042", 7020.00, C, "revenue")   # Aug 9 days
add(day(10, 30), "FPI", "PENNINE BREWING CO RC-1044", 1800.00, C, "revenue")     # Sep retainer
add(day(11, 9), "FPI", "CALDER HOUSING TRUST RC-1046", 3300.00, C, "revenue")    # Oct retainer
add(day(11, 17), "FPI", "OTLEY WOOL CO INV1048", 2160.00, C, "revenue")          # training day 1,800+VAT
add(day(11, 23), "FPI", "HALDEN LOGISTICS LTD INV1045", 9360.00, C, "revenue")   # Sep 12 days, paid 54 days after issue

# Payroll: Tom Ashworth, gross 3,200.00/month. Income tax 430.50, employee NI 172.16 -> net 2,597.34.
# Employer NI 417.50. PAYE/NI for month M (430.50+172.16+417.50 = 1,020.16) paid to HMRC on the 22nd of M+1.
for m, d in ((9, 28), (10, 28), (11, 27)):
    add(day(m, d), "FPO", "T ASHWORTH SALARY", -2597.34, C, "payroll")
for m in (9, 10, 11):
    add(day(m, 22), "FPO", "HMRC PAYE", -1020.16, C, "payroll")

# Subcontractor paid before the client pays
add(day(10, 15), "FPO", "KESTREL DATA LTD KD-0912", -2880.00, C, "subcontractor")  # Halden Sep work; Halden paid 23/11
add(day(11, 13), "FPO", "KESTREL DATA LTD KD-0927", -2160.00, C, "subcontractor")  # Halden Oct work; INV1049 unpaid

for m in (9, 10, 11):
    add(day(m, 1), "DD", "DUKE STUDIOS LEEDS", -504.00, C, "rent")
    add(day(m, 3), "DEB", "MICROSOFT*365 BUSINESS", -31.20, C, "software")
    add(day(m, 5), "DEB", "TOGGL TRACK", -18.00, C, "software")
    add(day(m, 11), "DD", "HISCOX PI INSURANCE", -96.50, C, "insurance")
add(day(9, 4), "DEB", "AWS EMEA", -41.17, C, "software")
add(day(10, 4), "DEB", "AWS EMEA", -43.90, C, "software")
add(day(11, 4), "DEB", "AWS EMEA", -39.62, C, "software")
add(day(9, 16), "DEB", "LNER TICKETS", -64.80, C, "travel")
add(day(11, 18), "DEB", "TRAINLINE", -48.20, C, "travel")
add(day(10, 21), "FPO", "BEEVER ACCOUNTANTS Q3", -432.00, C, "accountant")
add(day(9, 30), "CHG", "ACCOUNT FEE", -8.50, C, "bank")
add(day(10, 30), "CHG", "ACCOUNT FEE", -8.50, C, "bank")
add(day(11, 30), "CHG", "ACCOUNT FEE", -8.50, "", "bank")  # left blank by the owner

# Tax and owner money
add(day(10, 14), "FPO", "HMRC CORP TAX", -4800.00, C, "corp_tax")
add(day(11, 6), "FPO", "HMRC VAT", -5946.20, C, "vat")          # VAT return Jul-Sep
for m, d in ((9, 30), (10, 30), (11, 30)):
    add(day(m, d), "FPO", "C MOSS DIVIDEND", -2500.00, C, "dividend")

# ---------------- Ridgeway Vans ----------------
mondays = [dt.date(2026, 9, 7) + dt.timedelta(days=7 * i) for i in range(13)]  # 7/9 .. 30/11
for mo in mondays:
    add(mo, "FPI", "CHAPEL ALLERTON PHARMACY", 720.00, V, "revenue")  # 600/wk + VAT
    add(mo, "FPI", "OAKWOOD BAKERY", 216.00, V, "revenue")            # 180/wk + VAT
for m, d in ((9, 30), (10, 30), (11, 30)):
    add(day(m, d), "FPI", "HEADINGLEY FLORIST", 624.00, V, "revenue")  # 520/month + VAT

fridays = [dt.date(2026, 9, 4) + dt.timedelta(days=7 * i) for i in range(13)]  # 4/9 .. 27/11
for fr in fridays:
    add(fr, "FPO", "D WHITAKER DRIVER", -575.00, V, "driver")
for m in (9, 10, 11):
    add(day(m, 3), "DD", "LEX AUTOLEASE", -389.40, V, "lease")
    add(day(m, 12), "DD", "ADMIRAL COMM VAN INS", -148.20, V, "insurance")
fuel = [
    (9, 2, 71.40), (9, 9, 68.15), (9, 16, 74.02), (9, 23, 66.88), (9, 30, 72.51),
    (10, 7, 69.30), (10, 14, 75.64), (10, 21, 70.12), (10, 28, 73.85),
    (11, 4, 67.40), (11, 11, 76.20), (11, 18, 71.95), (11, 25, 74.60),
]
for m, d, a in fuel:
    add(day(m, d), "DEB", "SHELL KIRKSTALL RD", -a, V, "fuel")
add(day(10, 20), "DEB", "LEEDS CITY COUNCIL PCN", -35.00, V, "parking")
add(day(11, 4), "DEB", "KIRKSTALL MOT CENTRE", -54.85, V, "mot")
add(day(11, 5), "DEB", "ENTERPRISE RENT-A-CAR", -168.00, V, "van_hire")
add(day(11, 6), "DEB", "KIRKSTALL MOT CENTRE", -1186.00, V, "repair")

# Director's loan in (September), transfer Consulting -> Vans (November)
add(day(9, 10), "FPI", "C MOSS DIRECTORS LOAN", 5000.00, V, "directors_loan")
add(day(11, 9), "TFR", "TFR TO VANS SPACE", -3000.00, C, "transfer")
add(day(11, 9), "TFR", "TFR FROM MAIN A/C", 3000.00, V, "transfer")

# ---------------- write CSV (newest first, running balance) ----------------
order = sorted(range(len(rows)), key=lambda i: (rows[i][0], i))
bal = OPENING
balances = {}
for i in order:
    bal += rows[i][3]
    balances[i] = bal
CLOSING = bal


def money(x):
    return f"{x:,.2f}"


out = Path(__file__).with_name("bank_export.csv")
with out.open("w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Type", "Description", "Paid out", "Paid in", "Balance", "Business"])
    for i in reversed(order):
        d, typ, desc, amt, biz, kind = rows[i]
        w.writerow([d.strftime("%d/%m/%Y"), typ, desc,
                    money(-amt) if amt < 0 else "", money(amt) if amt > 0 else "",
                    money(balances[i]), biz])

# ---------------- true figures ----------------
PNL_REV = {"revenue"}
PNL_COST = {"payroll", "subcontractor", "rent", "software", "insurance", "travel", "accountant",
            "bank", "corp_tax", "driver", "lease", "fuel", "parking", "mot", "van_hire", "repair"}
CASH_ONLY = {"vat", "dividend", "directors_loan", "transfer"}
agg = defaultdict(lambda: defaultdict(D))
for d, typ, desc, amt, biz, kind in rows:
    key = (biz or "(blank)", d.month)
    if kind in PNL_REV:
        agg[key]["revenue"] += amt
    elif kind in PNL_COST:
        agg[key]["costs"] += -amt
    else:
        agg[key][kind] += amt
    agg[key]["cash_change"] += amt
    agg[key]["cat:" + kind] += amt

print(f"Opening cash {OPEN_DATE}: {money(OPENING)}")
mn = {9: "Sep", 10: "Oct", 11: "Nov"}
for biz in ("Consulting", "Vans", "(blank)"):
    tot = defaultdict(D)
    for m in (9, 10, 11):
        a = agg[(biz, m)]
        rev, cost = a["revenue"], a["costs"]
        print(f"{biz:10} {mn[m]}: revenue {money(rev)} (ex-VAT {money(rev / D('1.2'))}), "
              f"operating costs {money(cost)}, net {money(rev - cost)}, cash change {money(a['cash_change'])}")
        cats = {k[4:]: v for k, v in a.items() if k.startswith("cat:")}
        print("            by category:", ", ".join(f"{k} {money(v)}" for k, v in sorted(cats.items())))
        for k in ("revenue", "costs", "cash_change"):
            tot[k] += a[k]
    print(f"{biz:10} Sep-Nov: revenue {money(tot['revenue'])}, costs {money(tot['costs'])}, "
          f"net {money(tot['revenue'] - tot['costs'])}, cash change {money(tot['cash_change'])}")

grp = defaultdict(D)
for d, typ, desc, amt, biz, kind in rows:
    grp[kind] += amt
print("Group cash-only movements Sep-Nov:")
for k in sorted(CASH_ONLY):
    print(f"   {k}: {money(grp[k])}")
for m in (9, 10, 11):
    r = sum(agg[(b, m)]["revenue"] for b in ("Consulting", "Vans", "(blank)"))
    c = sum(agg[(b, m)]["costs"] for b in ("Consulting", "Vans", "(blank)"))
    cash = OPENING + sum(a for d, _, _, a, _, _ in rows if d <= dt.date(2026, m, 30 if m != 10 else 31))
    print(f"Group {mn[m]}: revenue {money(r)}, costs {money(c)}, net {money(r - c)}, cash at month end {money(cash)}")
print(f"Closing cash {AS_OF}: {money(CLOSING)}")

# concentration
cons = [(desc, amt) for d, _, desc, amt, biz, kind in rows if biz == C and kind == "revenue"]
tc = sum(a for _, a in cons)
hal = sum(a for dsc, a in cons if dsc.startswith("HALDEN"))
print(f"Halden share of Consulting receipts Sep-Nov: {money(hal)} of {money(tc)} = {hal / tc * 100:.1f}%")
vr = [(desc, amt) for d, _, desc, amt, biz, kind in rows if biz == V and kind == "revenue"]
tv = sum(a for _, a in vr)
ph = sum(a for dsc, a in vr if dsc.startswith("CHAPEL"))
print(f"Chapel Allerton Pharmacy share of Vans revenue Sep-Nov: {money(ph)} of {money(tv)} = {ph / tv * 100:.1f}%")
print(f"Vans Nov repair+MOT+hire: {money(D('54.85') + D('1186') + D('168'))}")
print(f"Rows: {len(rows)}")
