#!/usr/bin/env python3
"""Writes the two bank exports of Kim & Morales (Sep-Nov 2026) and prints every figure
expected.toml rests on. Deterministic: stdlib only, random.Random(2026).

    python3 make_ledger.py            # writes chase-checking-4471.csv, chase-checking-9902.csv here

Account ...4471 is the cafe's; account ...9902 holds the rentals and the web studio.
Columns are a bank's: Date (MM/DD/YYYY), Description, Debit (out), Credit (in), Balance,
Business (typed by the owners; blank on two rows, misspelt on one). No category column.

Classification used for the printed figures (the careful reading):
  revenue       Square deposits (gross, 8.25% sales tax inside), tenants' rent by Zelle,
                client ACH and Stripe transfers (Stripe net of its fee)
  refund        REFUND - ORDER 2231 (less cafe revenue)
  opex          suppliers, payroll + payroll tax, shop rent, utilities, insurance, software,
                repairs, property tax, plumber, contractor, CHASE CARD AUTOPAY (the card's
                own purchases are not in the export: the autopay IS the supplies cost)
  cash only     LOAN ADVANCE - KABBAGE, KABBAGE PMT (principal + fee, not split),
                SBA EIDL PMT (old loan, principal + interest, not split),
                ROCKET MORTGAGE PMT (principal + interest, not split), owner draws,
                ONLINE TRANSFER TO/FROM CHK (between the two accounts), security deposit,
                STATE COMPTROLLER SALES TAX (collected inside the deposits, paid over),
                IRS USATAXPYMT (the owners' personal 1040-ES estimate = a draw),
                ATM WITHDRAWAL (no business; cash out, unknown purpose)
"""
import csv
import datetime as dt
import os
import random
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(2026)
START, END = dt.date(2026, 9, 1), dt.date(2026, 11, 30)
TAX = 0.0825

CAFE, RENT, WEB = "Copper Kettle Cafe", "Morales Rentals", "Kim Web Studio"
OPEN = {"4471": 18500.00, "9902": 9200.00}

rows = {"4471": [], "9902": []}  # (date, desc, amount signed, business typed, cls, business meant, payer)


def add(acct, d, desc, amt, biz, cls, payer=None, canon=None):
    rows[acct].append((d, desc, round(amt, 2), biz, cls, biz if canon is None else canon, payer))


def D(m, day):
    return dt.date(2026, m, day)


# ---------------------------------------------------------------- cafe, account 4471
# Daily takings Tue-Sun (closed Mondays and Thanksgiving 11/26), gross incl. 8.25% tax.
sales = {}
d = dt.date(2026, 8, 28)
while d <= END:
    if d.weekday() != 0 and d != D(11, 26):
        sales[d] = round(RNG.uniform(900, 1400), 2)
    d += dt.timedelta(days=1)
# Square deposits on weekdays cover every sale day since the previous deposit.
pending, dep_days = [], []
d = dt.date(2026, 8, 28)
while d <= END:
    if d.weekday() < 5:  # Mon-Fri deposit day
        amt = round(sum(sales[x] for x in pending), 2)
        if amt and d >= START:
            add("4471", d, f"SQUARE INC DEP {d:%m%d%y} SQ{d:%m%d}", amt, CAFE, "revenue")
        pending = []
    if d in sales:
        pending.append(d)
    d += dt.timedelta(days=1)

for m, day, amt in [(9, 1, 4200), (10, 1, 4200), (11, 2, 4200)]:
    add("4471", D(m, day), "ZELLE TO HARGROVE PROPERTIES LLC RENT", -amt, CAFE, "opex")
for m, day in [(9, 3), (10, 5), (11, 3)]:
    add("4471", D(m, day), "NEXT INSURANCE PREM", -212.50, CAFE, "opex")
for m, day in [(9, 4), (10, 5), (11, 5)]:
    add("4471", D(m, day), "SBA EIDL PMT", -731.00, CAFE, "loan_payment")
for m in (9, 10, 11):
    add("4471", D(m, 9), "INTUIT *QBOOKS ONLINE", -90.00, CAFE, "opex")
for (m, day), amt in zip([(9, 11), (10, 13), (11, 12)], [641.18, 603.77, 588.92]):
    add("4471", D(m, day), "AUSTIN ENERGY UTIL PMT", -amt, CAFE, "opex")
for (m, day), amt in zip([(9, 14), (10, 14), (11, 13)], [84.35, 91.20, 109.66]):
    add("4471", D(m, day), "TEXAS GAS SERVICE", -amt, CAFE, "opex")
for (m, day), amt in zip([(9, 25), (10, 26), (11, 25)], [1842.17, 1906.55, 1788.40]):
    add("4471", D(m, day), "CHASE CARD AUTOPAY", -amt, CAFE, "card_autopay")
# SYSCO every Thursday; the 11/19 row's Business is misspelt by the owner.
d = D(9, 3)
while d <= END:
    amt = round(RNG.uniform(1700, 2050), 2)
    biz = "Copper Kettle Caffe" if d == D(11, 19) else CAFE
    add("4471", d, "SYSCO CORP ACH DEBIT", -amt, biz, "opex", canon=CAFE)
    d += dt.timedelta(days=7)
for m, day in [(9, 8), (9, 22), (10, 6), (10, 20), (11, 9), (11, 23)]:
    add("4471", D(m, day), "HEB #0412 AUSTIN TX", -round(RNG.uniform(180, 320), 2), CAFE, "opex")
# ADP payroll every other Friday from 9/4, with the payroll taxes the same day.
d = D(9, 4)
while d <= END:
    add("4471", d, "ADP PAYROLL", -round(RNG.uniform(3700, 3900), 2), CAFE, "opex")
    add("4471", d, "ADP TX/FINCL SVC", -612.40, CAFE, "opex")
    d += dt.timedelta(days=14)
add("4471", D(10, 9), "HOME DEPOT #4410", -146.37, CAFE, "opex")
add("4471", D(11, 16), "AUSTIN COMMERCIAL REFRIG SVC", -640.00, CAFE, "opex")
add("4471", D(10, 22), "REFUND - ORDER 2231", -185.00, CAFE, "refund")
# Kabbage: $20,000 advance 9/8, 26 weekly payments of $925 from 9/15 ($4,050 of fees).
add("4471", D(9, 8), "LOAN ADVANCE - KABBAGE", 20000.00, CAFE, "loan_proceeds")
d = D(9, 15)
while d <= END:
    add("4471", d, "KABBAGE PMT", -925.00, CAFE, "loan_payment")
    d += dt.timedelta(days=7)
for m, day in [(9, 15), (10, 15), (11, 16)]:
    add("4471", D(m, day), "ZELLE TO ALEX KIM OWNER DRAW", -2000.00, CAFE, "owner_draw")
    add("4471", D(m, day), "ZELLE TO DANA MORALES OWNER DRAW", -2000.00, CAFE, "owner_draw")
add("4471", D(9, 15), "IRS USATAXPYMT 270657512345678", -3500.00, CAFE, "personal_tax")
add("4471", D(10, 17), "ATM WITHDRAWAL 6TH ST AUSTIN TX", -200.00, "", "atm")
# Sales tax: August's (from the notes, before this export) paid 9/18; Sep's 10/20; Oct's 11/20.
add("4471", D(9, 18), "STATE COMPTROLLER SALES TAX", -2214.35, CAFE, "sales_tax")
add("4471", D(10, 2), "ONLINE TRANSFER FROM CHK ...9902", 4000.00, CAFE, "transfer")
add("4471", D(11, 23), "ONLINE TRANSFER TO CHK ...9902", -1500.00, CAFE, "transfer")


def sales_month(m):
    return round(sum(v for k, v in sales.items() if k.month == m and k.year == 2026), 2)


def dep_month(m):
    return round(sum(r[2] for r in rows["4471"] if r[4] == "revenue" and r[0].month == m), 2)


# Sales tax remitted = the tax inside the month's deposits (bank basis).
tax_in = {m: round(dep_month(m) * TAX / (1 + TAX), 2) for m in (9, 10, 11)}
add("4471", D(10, 20), "STATE COMPTROLLER SALES TAX", -tax_in[9], CAFE, "sales_tax")
add("4471", D(11, 20), "STATE COMPTROLLER SALES TAX", -tax_in[10], CAFE, "sales_tax")

# ---------------------------------------------------- rentals and studio, account 9902
tenants = [("R PATEL", 1300.00, "Unit 1"), ("T NGUYEN", 1250.00, "Unit 2"), ("L OKAFOR", 1400.00, "Unit 3")]
for m, mon, days in [(9, "SEP", (1, 2, 3)), (10, "OCT", (1, 2, 2)), (11, "NOV", (2, None, 10))]:
    for (name, amt, unit), day in zip(tenants, days):
        if day:
            add("9902", D(m, day), f"ZELLE FROM {name} RENT {mon}", amt, RENT, "revenue", unit)
add("9902", D(11, 28), "ZELLE FROM M GARCIA SECURITY DEPOSIT - UNIT 2", 1200.00, RENT, "deposit")
for m, day in [(9, 1), (10, 1), (11, 2)]:
    add("9902", D(m, day), "ROCKET MORTGAGE PMT", -2150.00, RENT, "loan_payment")
for m in (9, 10, 11):
    add("9902", D(m, 7), "STATE FARM INSURANCE", -185.00, RENT, "opex")
for (m, day), amt in zip([(9, 16), (10, 16), (11, 16)], [138.40, 142.15, 131.02]):
    add("9902", D(m, day), "CITY OF AUSTIN UTIL", -amt, RENT, "opex")
add("9902", D(10, 28), "TRAVIS COUNTY TAX OFFICE PROP TAX", -3640.00, RENT, "opex")
add("9902", D(11, 6), "RIVERSIDE PLUMBING CO", -385.00, RENT, "opex")
for m, day in [(9, 15), (10, 15), (11, 16)]:
    add("9902", D(m, day), "ZELLE TO DANA MORALES OWNER DRAW", -1000.00, RENT, "owner_draw")

stripe = {9: "ST-8XK2", 10: "ST-Q4M7", 11: "ST-2JD9"}
for m in (9, 10, 11):
    add("9902", D(m, 5 if m != 9 else 4), "ACH CREDIT BRIGHTLINE DENTA PAYMENT", 2500.00, WEB, "revenue", "Brightline Dental")
    if m != 11:
        add("9902", D(m, 8), "ACH CREDIT PECAN ST REALTY VENDOR PMT", 2000.00, WEB, "revenue", "Pecan Street Realty")
    add("9902", D(m, 12), f"STRIPE TRANSFER {stripe[m]}", 1456.20, WEB, "revenue", "Lone Star HVAC")
    add("9902", D(m, 3), "ADOBE *CREATIVE CLD", -89.99, WEB, "opex")
    add("9902", D(m, 6), "FIGMA MONTHLY", -45.00, WEB, "opex")
    add("9902", D(m, 10), "GOOGLE *WORKSPACE KIMWEB", -36.00, WEB, "opex")
    add("9902", D(m, 21), "WPENGINE INC", -59.00, WEB, "opex")
    add("9902", D(m, 15 if m != 11 else 16), "ZELLE TO ALEX KIM OWNER DRAW", -2500.00, WEB, "owner_draw")
add("9902", D(9, 18), "ZELLE TO P SINGH DESIGN", -600.00, WEB, "opex")
add("9902", D(10, 14), "AMAZON MKTPLACE PMTS", -64.18, "", "opex_unassigned")
add("9902", D(10, 2), "ONLINE TRANSFER TO CHK ...4471", -4000.00, WEB, "transfer")
add("9902", D(11, 23), "ONLINE TRANSFER FROM CHK ...4471", 1500.00, WEB, "transfer")

# ------------------------------------------------------------------------- write
bal_end = {}
for acct, rs in rows.items():
    rs.sort(key=lambda r: (r[0], r[2] < 0, r[1]))  # per day: credits first, then debits
    bal = OPEN[acct]
    path = os.path.join(HERE, f"chase-checking-{acct}.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Date", "Description", "Debit", "Credit", "Balance", "Business"])
        for d, desc, amt, biz, cls, canon, payer in rs:
            bal = round(bal + amt, 2)
            w.writerow([f"{d:%m/%d/%Y}", desc, f"{-amt:.2f}" if amt < 0 else "",
                        f"{amt:.2f}" if amt > 0 else "", f"{bal:.2f}", biz])
            bal_end[(acct, d)] = bal
    print(f"wrote {path}: {len(rs)} rows")

allrows = [(a,) + r for a, rs in rows.items() for r in rs]


def s(pred):
    return round(sum(r[3] for r in allrows if pred(r)), 2)


def f(x):
    return f"{x:,.2f}"


P_L = {"revenue", "refund", "opex", "card_autopay"}
print("\nOpening cash 09/01/2026: ...4471", f(OPEN["4471"]), "+ ...9902", f(OPEN["9902"]),
      "=", f(sum(OPEN.values())))
MON = {9: "Sep", 10: "Oct", 11: "Nov"}
tot = defaultdict(float)
for biz in (CAFE, RENT, WEB):
    print(f"\n== {biz} (the misspelt row counted here) ==")
    for m in (9, 10, 11):
        def inb(r, c):
            return r[6] == biz and r[1].month == m and r[5] == c
        rev = s(lambda r: inb(r, "revenue"))
        ref = s(lambda r: inb(r, "refund"))
        opex = -s(lambda r: inb(r, "opex"))
        card = -s(lambda r: inb(r, "card_autopay"))
        net = rev + ref - opex - card
        line = f"{MON[m]}: revenue {f(rev)}"
        if ref:
            line += f", refunds {f(ref)}"
        line += f", opex excl card {f(opex)}, card autopay {f(card)}, net (card = supplies) {f(net)}, net (card as transfer) {f(net + card)}"
        print(line)
        if biz == CAFE:
            tx = tax_in[m]
            print(f"      tax inside deposits {f(tx)}, revenue net of tax {f(rev - tx)}, "
                  f"net ex-tax (card = supplies) {f(net - tx)}, net ex-tax (card transfer) {f(net - tx + card)}; "
                  f"sales (by sale day) {f(sales_month(m))}")
        if biz == RENT:
            mort = -s(lambda r: inb(r, "loan_payment"))
            print(f"      mortgage P+I {f(mort)}, net after mortgage {f(net - mort)}")
        for k, v in (("rev", rev + ref), ("opex", opex), ("card", card), ("net", net)):
            tot[(biz, k)] += v
    print(f"3 months: revenue {f(tot[(biz,'rev')])}, opex excl card {f(tot[(biz,'opex')])}, "
          f"card {f(tot[(biz,'card')])}, net (card = supplies) {f(tot[(biz,'net')])}, "
          f"net (card transfer) {f(tot[(biz,'net')] + tot[(biz,'card')])}")
    if biz == CAFE:
        tt = sum(tax_in.values())
        print(f"   tax inside Sep-Nov deposits {f(tt)}; revenue net of tax {f(tot[(biz,'rev')] - tt)}; "
              f"net ex-tax (card = supplies) {f(tot[(biz,'net')] - tt)}")

print("\n== Studio by client ==")
for who in ("Brightline Dental", "Pecan Street Realty", "Lone Star HVAC"):
    v = s(lambda r: r[6] == WEB and r[5] == "revenue" and r[7] == who)
    print(f"{who}: {f(v)} = {100 * v / tot[(WEB, 'rev')]:.1f}% of studio revenue {f(tot[(WEB, 'rev')])}")
print("Brightline Nov share:", f"{100 * 2500 / s(lambda r: r[6] == WEB and r[5] == 'revenue' and r[1].month == 11):.1f}%")
print("Brightline share of invoiced fees Sep-Nov (2500*3 / (2500*3+2000*2+1500*3)):",
      f"{100 * 7500 / 16000:.1f}%")

print("\n== Group profit (careful reading, per month) ==")
for m in (9, 10, 11):
    rev = s(lambda r: r[1].month == m and r[5] in ("revenue", "refund"))
    opx = -s(lambda r: r[1].month == m and r[5] in ("opex", "card_autopay", "opex_unassigned"))
    print(f"{MON[m]}: revenue (gross deposits) {f(rev)}, costs {f(opx)}, net {f(rev - opx)}, "
          f"revenue net of sales tax {f(rev - tax_in[m])}, net ex-tax {f(rev - opx - tax_in[m])}")

print("\n== Cash-only rows by type (Sep-Nov, signed) ==")
for c in ("loan_proceeds", "loan_payment", "owner_draw", "transfer", "deposit", "sales_tax",
          "personal_tax", "atm", "opex_unassigned"):
    print(f"{c}: {f(s(lambda r: r[5] == c))}  ({sum(1 for r in allrows if r[5] == c)} rows)")
for desc in ("KABBAGE PMT", "SBA EIDL PMT", "ROCKET MORTGAGE PMT"):
    print(f"  {desc}: {f(s(lambda r: r[2] == desc))}")
for who in ("ALEX KIM", "DANA MORALES"):
    print(f"  draws to {who}: {f(s(lambda r: r[5] == 'owner_draw' and who in r[2]))}")
for biz in (CAFE, RENT, WEB):
    print(f"  draws from {biz}: {f(s(lambda r: r[5] == 'owner_draw' and r[6] == biz))}; "
          f"transfers {f(s(lambda r: r[5] == 'transfer' and r[6] == biz))}")
kab = 925 * 26
print(f"  Kabbage: 26 x 925 = {f(kab)} to repay 20,000: fee {f(kab - 20000)}; paid so far "
      f"{f(-s(lambda r: r[2] == 'KABBAGE PMT'))}; still to pay {f(kab + s(lambda r: r[2] == 'KABBAGE PMT'))}")
print(f"  Nov sales tax collected, owed in Dec: {f(tax_in[11])}")

print("\n== Wrong figures a careless tool would print ==")
gross_in = s(lambda r: r[3] > 0)
print(f"every credit as revenue (Sep-Nov): {f(gross_in)}")
for m in (9, 10, 11):
    print(f"  {MON[m]} every credit: {f(s(lambda r: r[3] > 0 and r[1].month == m))}; every debit: "
          f"{f(-s(lambda r: r[3] < 0 and r[1].month == m))}")
for biz in (CAFE, RENT, WEB):
    for m in (9, 10, 11):
        cr = s(lambda r: r[3] > 0 and r[4] == biz and r[1].month == m)
        db = -s(lambda r: r[3] < 0 and r[4] == biz and r[1].month == m)
        print(f"  {biz} {MON[m]}: all credits {f(cr)}, all debits {f(db)}, credits-debits {f(cr - db)}")
misc = s(lambda r: r[4] == "Copper Kettle Caffe")
print(f"'Copper Kettle Caffe' row: {f(misc)}")

print("\n== Cash at month end ==")
for m, last in ((9, 30), (10, 31), (11, 30)):
    tot_c = 0
    for acct in ("4471", "9902"):
        b = OPEN[acct] + sum(r[2] for r in rows[acct] if r[0] <= D(m, last))
        tot_c += b
        print(f"{MON[m]} 30/31 ...{acct}: {f(b)}", end="; ")
    print(f"total {f(tot_c)}")
print("check: total net change", f(s(lambda r: True)))

print("\n== More wrong figures (for [[absent]]) ==")
cafe_c_sup = tot[(CAFE, "opex")] + tot[(CAFE, "card")]
print(f"cafe costs Sep-Nov (careful): {f(cafe_c_sup)} (card = supplies) / {f(tot[(CAFE, 'opex')])} (card transfer)")
for lbl, extra in (("+ IRS personal tax", 3500.00), ("+ owner draws", 12000.00),
                   ("+ Kabbage and EIDL payments", 12368.00), ("+ sales tax remitted", 6778.02)):
    print(f"  cafe costs {lbl}: {f(cafe_c_sup + extra)} / {f(tot[(CAFE, 'opex')] + extra)}; "
          f"cafe net then {f(tot[(CAFE, 'net')] - extra)} / {f(tot[(CAFE, 'net')] + tot[(CAFE, 'card')] - extra)}")
print(f"cafe Sep with IRS as cost: costs {f(21804.98 + 1842.17 + 3500)} / {f(21804.98 + 3500)}; "
      f"net {f(6401.51 - 3500)} / {f(8243.68 - 3500)}")
print(f"cafe revenue Sep incl Kabbage advance: {f(30048.66 + 20000)}; Sep-Nov incl advance + transfer in: "
      f"{f(tot[(CAFE, 'rev')] + 20000)} / {f(tot[(CAFE, 'rev')] + 20000 + 4000)}")
print(f"rentals Nov revenue incl security deposit: {f(2700 + 1200)}; Sep-Nov: {f(10600 + 1200)}")
print(f"rentals mortgage shown as interest: {f(2150)} a month, {f(6450)} Sep-Nov")
print(f"studio revenue incl transfer in: Nov {f(3956.20 + 1500)}, Sep-Nov {f(15868.60 + 1500)}")
print(f"group revenue Sep-Nov (gross deposits): {f(tot[(CAFE,'rev')] + 10600 + 15868.60)}; "
      f"+ loan {f(tot[(CAFE,'rev')] + 10600 + 15868.60 + 20000)}")
print("group Nov: revenue 36,829.48 gross / 34,529.90 ex-tax; costs 25,552.11 (card supplies) / "
      f"{f(25552.11 - 1788.40)} (card transfer); net 11,277.37 / {f(11277.37 + 1788.40)} / ex-tax 8,977.79 / {f(8977.79 + 1788.40)}")
print("stripe fee kept per month:", f(1500 - 1456.20), "; studio at invoice value: Sep/Oct 6,000.00, Nov 4,000.00, Sep-Nov 16,000.00")
caffe = -misc
print(f"\ncafe Nov net with the 'Caffe' row left unassigned (+{f(caffe)}): "
      f"{f(5552.18 + caffe)} / {f(7340.58 + caffe)} / ex-tax {f(3252.60 + caffe)} / {f(5041.00 + caffe)}")
