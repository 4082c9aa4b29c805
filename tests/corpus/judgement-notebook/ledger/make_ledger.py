#!/usr/bin/env python3
"""Writes checking.csv and amex.csv for the judgement-notebook workspace and prints
every figure expected.toml rests on.

Okafor-Lindqvist household businesses, Sep-Nov 2026 (Evanston, IL):
  Fenwick Road Flats (rental), Bike Van (delivery: mobile bike repair), Lindqvist Crafts
  (retail: weekend market stall + Etsy).

Files (both as the bank / card company export them, newest row first):
  checking.csv  Chase-style checking export: Date,Description,Debit,Credit,Balance,Business
  amex.csv      the Amex card's own export:  Date,Description,Amount,Business

The `Business` column is NOT part of either export. The README's configuration offers no
way to attribute rows of one bank file to several businesses (no file -> business or
description -> business mapping), so Jon added a Business column by hand in the
spreadsheet, as a bookkeeper would, with his own short tags: `Flats`, `Bike Van`, `Crafts`
(declared as aliases in execbrief.toml). His tagging habits, which the notes explain:
  * every row gets a tag, even rows that are not the business's income or costs:
    the AMEX PAYMENT rows (bank side) and the card's "ONLINE PAYMENT - THANK YOU" credits
    are tagged `Bike Van` ("the card is mostly the van's"); Ada's draws are tagged
    `Bike Van`, Jon's `Crafts`; the $5,000 from savings and the deposit returned to Flat B's
    tenant are tagged `Flats`;
  * every Costco row is tagged `Crafts` (the stall buys gift boxes there), including the
    11/14 grocery run Ada says in her notebook was personal.

The Amex export is signed as the README asks of an `amount` column (inflow positive):
purchases negative, payments to the card positive. The card's statement closes at each
month end and is paid from checking around the 25th of the next month, so the bank's
9/25 payment settles August's purchases (before this export), 10/26 September's, 11/24
October's, and November's purchases are still owed on 11/30.

Classification used for the expected figures (the "careful" reading):
  revenue   Square payouts, Spokeshare ACH payments, rents, ATM cash deposits of market
            takings, Etsy payouts
  cost      card purchases (once, from amex.csv) except the personal Costco run; bank
            debits for insurance, utilities, phone, stall fee, plumber, cleaner
  not P&L   AMEX PAYMENT rows and the card's payment credits (transfer between accounts),
            owner draws (Zelle to Ada, transfer to Jon), the $5,000 from savings (owners'
            capital), the $1,400 deposit returned (money held for the tenant), the personal
            Costco run (a drawing, paid by the business card)
  arguable  the $300 Winter Lights deposit (11/9) for a December market: a cost of
            November (cash) or a prepayment of December; the $2,400 van insurance (9/2)
            for Sep 2026-Aug 2027: a September cost (cash) or $200 a month (accrual).
"""
import csv
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPENING_BANK = D("7842.16")       # checking balance before the 9/1 rows
AMEX_OWED_0901 = D("1163.48")     # August statement, paid 9/25 from checking

bank = []   # (date, description, amount signed, business, kind)
card = []


def b(d, desc, amt, biz, kind):
    bank.append((date.fromisoformat(d), desc, D(str(amt)), biz, kind))


def c(d, desc, amt, biz, kind):
    card.append((date.fromisoformat(d), desc, D(str(amt)), biz, kind))


# ---------------------------------------------------------------- checking
# Fenwick Road Flats
for d in ("2026-09-01", "2026-10-01", "2026-11-02"):
    b(d, "ZELLE PAYMENT FROM MARCUS DIALLO", 1450, "Flats", "revenue")
for d in ("2026-09-01", "2026-10-01"):
    b(d, "ZELLE PAYMENT FROM DANA WHITLOCK", 1400, "Flats", "revenue")
for d in ("2026-09-03", "2026-10-05", "2026-11-03"):
    b(d, "STATE FARM RO 27 SFPP", -118, "Flats", "cost")           # landlord policy, monthly
b("2026-09-22", "COMED 0291 DIRECT DEBIT", "-38.40", "Flats", "cost")
b("2026-10-22", "COMED 0291 DIRECT DEBIT", "-41.10", "Flats", "cost")
b("2026-11-23", "COMED 0291 DIRECT DEBIT", "-44.80", "Flats", "cost")
b("2026-10-21", "CITY OF EVANSTON UTIL WEB PMT", "-164.22", "Flats", "cost")  # quarterly water
b("2026-10-20", "CHECK # 1043", -680, "Flats", "cost")          # Citywide, boiler ignition board
b("2026-11-04", "BRIGHT SPARK CLEANING LLC", -220, "Flats", "cost")
b("2026-10-05", "ONLINE TRANSFER FROM SAV ...4471 TRANSACTION#: 20261005", 5000, "Flats", "capital")
b("2026-11-11", "ZELLE PAYMENT TO DANA WHITLOCK", -1400, "Flats", "deposit_returned")

# Bike Van
b("2026-09-02", "PROGRESSIVE *INSURANCE 800-776-4737 OH", -2400, "Bike Van", "insurance_annual")
b("2026-09-10", "SPOKESHARE MOBILITY INC VENDOR PMT INV-0826", 1776, "Bike Van", "revenue")
b("2026-10-09", "SPOKESHARE MOBILITY INC VENDOR PMT INV-0926", 1850, "Bike Van", "revenue")
b("2026-11-10", "SPOKESHARE MOBILITY INC VENDOR PMT INV-1026", 1776, "Bike Van", "revenue")
for d in ("2026-09-18", "2026-10-19", "2026-11-18"):
    b(d, "T-MOBILE PCS SVC AUTOPAY", -45, "Bike Van", "cost")
b("2026-09-25", "AMEX EPAYMENT ACH PMT W4812", -1163.48, "Bike Van", "card_payment")
# 10/26 and 11/24 card payments are added below once the card's monthly totals are known
for d in ("2026-09-30", "2026-10-30", "2026-11-27"):
    b(d, "ZELLE PAYMENT TO ADA OKAFOR", -1200, "Bike Van", "draw")

# Square payouts: Mon/Wed/Fri, net of Square's fees (one payout = that day's card jobs)
rng = random.Random(31)
day = date(2026, 9, 1)
while day <= date(2026, 11, 30):
    if day.weekday() in (0, 2, 4) and day != date(2026, 9, 7):    # Labor Day
        amt = D(rng.randrange(14000, 31000)) / 100
        b(day.isoformat(), f"SQUARE INC SQ{day:%y%m%d} TRANSFER CCD", amt, "Bike Van", "revenue")
    day += timedelta(days=1)

# Lindqvist Crafts
for d in ("2026-09-01", "2026-10-01", "2026-11-02"):
    b(d, "DEBIT CARD PURCHASE RIVERSIDE MAKERS MKT EVANSTON IL", -160, "Crafts", "cost")
cash = {  # Monday deposits of the weekend's market takings
    "2026-09-08": 412, "2026-09-14": 460, "2026-09-21": 388, "2026-09-28": 515,
    "2026-10-05": 436, "2026-10-13": 472, "2026-10-19": 398, "2026-10-26": 530,
    "2026-11-02": 445, "2026-11-09": 390, "2026-11-16": 352, "2026-11-23": 610,
    "2026-11-30": 575,
}
for d, a in cash.items():
    b(d, "ATM CASH DEPOSIT 1620 SHERMAN AVE EVANSTON", a, "Crafts", "revenue")
etsy = {"2026-09-11": "96.40", "2026-09-25": "141.85", "2026-10-09": "118.20",
        "2026-10-23": "167.35", "2026-11-06": "203.90", "2026-11-20": "246.15"}
for d, a in etsy.items():
    b(d, "ETSY, INC. PAYOUT PPD", a, "Crafts", "revenue")
for d in ("2026-09-15", "2026-10-15", "2026-11-16"):
    b(d, "ONLINE TRANSFER TO LINDQVIST J CHK ...2219", -800, "Crafts", "draw")
b("2026-11-09", "WINTER LIGHTS MARKET EVANSTON IL", -300, "Crafts", "market_deposit")

# ---------------------------------------------------------------- amex
# Bike Van: parts, fuel, oil change
for d, a in (("2026-09-04", "412.60"), ("2026-09-18", "318.25"),
             ("2026-10-02", "366.10"), ("2026-10-16", "341.80"),
             ("2026-11-05", "428.90"), ("2026-11-19", "296.35")):
    c(d, "QUALITY BICYCLE PRODUCTS BLOOMINGTON MN", "-" + a, "Bike Van", "cost")
fuel = ["58.40", "61.15", "55.90", "63.20",      # Sep
        "57.75", "60.30", "62.85", "54.10",      # Oct
        "59.60", "52.45", "64.05", "58.90"]      # Nov
fdays = ["2026-09-03", "2026-09-10", "2026-09-17", "2026-09-24",
         "2026-10-01", "2026-10-08", "2026-10-15", "2026-10-22",
         "2026-11-05", "2026-11-12", "2026-11-19", "2026-11-26"]
for d, a in zip(fdays, fuel):
    c(d, "SHELL OIL 57444213 EVANSTON IL", "-" + a, "Bike Van", "cost")
c("2026-10-20", "JIFFY LUBE #1942 EVANSTON IL", "-89.00", "Bike Van", "cost")
# Crafts: supplies
c("2026-09-08", "MICHAELS STORES 8812 SKOKIE IL", "-146.32", "Crafts", "cost")
c("2026-09-21", "BLICK ART MATERIALS EVANSTON IL", "-88.75", "Crafts", "cost")
c("2026-10-13", "MICHAELS STORES 8812 SKOKIE IL", "-174.60", "Crafts", "cost")
c("2026-10-22", "COSTCO WHSE #0388 GLENVIEW IL", "-92.15", "Crafts", "cost")   # gift boxes
c("2026-11-03", "MICHAELS STORES 8812 SKOKIE IL", "-212.48", "Crafts", "cost")
c("2026-11-17", "BLICK ART MATERIALS EVANSTON IL", "-64.20", "Crafts", "cost")
c("2026-11-14", "COSTCO WHSE #0388 GLENVIEW IL", "-186.40", "Crafts", "personal")  # groceries
# Flats: listing
c("2026-11-03", "ZILLOW RENTALS LISTING SEATTLE WA", "-29.99", "Flats", "cost")


def card_month(m):
    return -sum(a for d, _, a, _, k in card if d.month == m and a < 0)


sep_card, oct_card = card_month(9), card_month(10)
c("2026-09-25", "ONLINE PAYMENT - THANK YOU", AMEX_OWED_0901, "Bike Van", "card_payment")
c("2026-10-26", "ONLINE PAYMENT - THANK YOU", sep_card, "Bike Van", "card_payment")
c("2026-11-24", "ONLINE PAYMENT - THANK YOU", oct_card, "Bike Van", "card_payment")
b("2026-10-26", "AMEX EPAYMENT ACH PMT W4812", -sep_card, "Bike Van", "card_payment")
b("2026-11-24", "AMEX EPAYMENT ACH PMT W4812", -oct_card, "Bike Van", "card_payment")

# ---------------------------------------------------------------- write
bank.sort(key=lambda r: r[0])
bal = OPENING_BANK
rows = []
for d, desc, a, biz, _ in bank:
    bal += a
    assert bal > 0, (d, desc, bal)
    rows.append([f"{d:%m/%d/%Y}", desc, f"{-a:.2f}" if a < 0 else "",
                 f"{a:.2f}" if a > 0 else "", f"{bal:.2f}", biz])
with open(HERE / "checking.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Description", "Debit", "Credit", "Balance", "Business"])
    w.writerows(reversed(rows))                      # newest first, as Chase exports
card.sort(key=lambda r: r[0])
with open(HERE / "amex.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Description", "Amount", "Business"])
    w.writerows([f"{d:%m/%d/%Y}", desc, f"{a:.2f}", biz]
                for d, desc, a, biz, _ in reversed(card))
BANK_END = bal

# ---------------------------------------------------------------- figures
ENT = {"Flats": "Fenwick Road Flats", "Bike Van": "Bike Van", "Crafts": "Lindqvist Crafts"}
rev = defaultdict(D)
cost = defaultdict(D)
other = defaultdict(D)
for d, desc, a, biz, k in bank + card:
    m = d.month
    if k == "revenue":
        rev[biz, m] += a
    elif k == "cost":
        cost[biz, m] += -a
    else:
        other[k, biz, m] += a


def tot(t, biz, months=(9, 10, 11)):
    return sum(t[biz, m] for m in months)


def money(x):
    return f"{x:,.2f}"


MONTHS = (9, 10, 11)
print("=== Careful reading: revenue / costs / net (costs WITHOUT the $2,400 insurance,")
print("    the $300 Winter Lights deposit, draws, card payments, the $1,400 deposit")
print("    returned, the personal Costco run) ===")
for biz in ENT:
    for m in MONTHS:
        print(f"{ENT[biz]:20s} 2026-{m:02d}  rev {money(rev[biz, m]):>10s}  "
              f"ops cost {money(cost[biz, m]):>9s}")
    print(f"{ENT[biz]:20s} Sep-Nov   rev {money(tot(rev, biz)):>10s}  "
          f"ops cost {money(tot(cost, biz)):>9s}")

INS = D(2400)
DEP = D(300)
print()
print("=== Figures with the arguable items (cash reading first) ===")
van_rev = tot(rev, "Bike Van")
van_cost_cash = tot(cost, "Bike Van") + INS
van_cost_accr = tot(cost, "Bike Van") + INS / 12 * 3
print(f"Bike Van Sep-Nov: revenue {money(van_rev)}; costs cash {money(van_cost_cash)} "
      f"(net {money(van_rev - van_cost_cash)}) | accrual {money(van_cost_accr)} "
      f"(net {money(van_rev - van_cost_accr)})")
for m in MONTHS:
    cc = cost["Bike Van", m] + (INS if m == 9 else 0)
    ca = cost["Bike Van", m] + INS / 12
    print(f"  Bike Van 2026-{m:02d}: revenue {money(rev['Bike Van', m])}; costs cash "
          f"{money(cc)} (net {money(rev['Bike Van', m] - cc)}) | accrual {money(ca)} "
          f"(net {money(rev['Bike Van', m] - ca)})")
fl_rev, fl_cost = tot(rev, "Flats"), tot(cost, "Flats")
print(f"Fenwick Road Flats Sep-Nov: revenue {money(fl_rev)}; costs {money(fl_cost)}; "
      f"net {money(fl_rev - fl_cost)}")
for m in MONTHS:
    print(f"  Flats 2026-{m:02d}: revenue {money(rev['Flats', m])}; costs "
          f"{money(cost['Flats', m])}; net {money(rev['Flats', m] - cost['Flats', m])}")
cr_rev, cr_cost = tot(rev, "Crafts"), tot(cost, "Crafts")
print(f"Lindqvist Crafts Sep-Nov: revenue {money(cr_rev)}; costs with deposit "
      f"{money(cr_cost + DEP)} (net {money(cr_rev - cr_cost - DEP)}) | without "
      f"{money(cr_cost)} (net {money(cr_rev - cr_cost)})")
for m in MONTHS:
    dp = DEP if m == 11 else 0
    print(f"  Crafts 2026-{m:02d}: revenue {money(rev['Crafts', m])}; costs with deposit "
          f"{money(cost['Crafts', m] + dp)} (net {money(rev['Crafts', m] - cost['Crafts', m] - dp)})"
          f" | without {money(cost['Crafts', m])} (net {money(rev['Crafts', m] - cost['Crafts', m])})")

g_rev = sum(rev.values())
g_ops = sum(cost.values())
print()
print(f"GROUP Sep-Nov revenue {money(g_rev)}")
for ins_lbl, ins in (("cash ins", INS), ("accr ins", INS / 4)):
    for dep_lbl, dep in (("with dep", DEP), ("no dep", D(0))):
        cc = g_ops + ins + dep
        print(f"  GROUP Sep-Nov costs [{ins_lbl}, {dep_lbl}] {money(cc)}  net {money(g_rev - cc)}")
for m in MONTHS:
    r = sum(v for (bz, mm), v in rev.items() if mm == m)
    o = sum(v for (bz, mm), v in cost.items() if mm == m)
    print(f"GROUP 2026-{m:02d} revenue {money(r)}, ops costs {money(o)}")
    for ins_lbl, ins in (("cash ins", INS if m == 9 else 0), ("accr ins", INS / 12)):
        for dep_lbl, dep in (("with dep", DEP if m == 11 else 0), ("no dep", D(0))):
            if m != 11 and dep_lbl == "no dep":
                continue
            print(f"    [{ins_lbl}, {dep_lbl}] costs {money(o + ins + dep)}  net {money(r - o - ins - dep)}")

spoke = sum(a for d, desc, a, biz, k in bank if desc.startswith("SPOKESHARE"))
print()
print(f"Spokeshare Sep-Nov {money(spoke)} of Bike Van revenue {money(van_rev)} = "
      f"{spoke / van_rev * 100:.1f}%")
for m in MONTHS:
    s = sum(a for d, desc, a, biz, k in bank if desc.startswith("SPOKESHARE") and d.month == m)
    print(f"  2026-{m:02d}: {money(s)} / {money(rev['Bike Van', m])} = {s / rev['Bike Van', m] * 100:.1f}%")
sq = [(d, a) for d, desc, a, biz, k in bank if desc.startswith("SQUARE")]
for m in MONTHS:
    mm = [a for d, a in sq if d.month == m]
    print(f"  Square 2026-{m:02d}: {len(mm)} payouts, {money(sum(mm))}")

print()
print("=== Money that is not revenue or cost ===")
ada = -sum(a for d, desc, a, biz, k in bank if k == "draw" and "ADA" in desc)
jon = -sum(a for d, desc, a, biz, k in bank if k == "draw" and "LINDQVIST" in desc)
personal = -sum(a for d, desc, a, biz, k in card if k == "personal")
print(f"Draws: Ada {money(ada)} + Jon {money(jon)} = {money(ada + jon)}; "
      f"with the personal Costco run {money(ada + jon + personal)}")
print(f"Personal Costco on the Amex (11/14): {money(personal)}")
amex_bank = -sum(a for d, desc, a, biz, k in bank if k == "card_payment")
amex_credits = sum(a for d, desc, a, biz, k in card if k == "card_payment")
print(f"AMEX PAYMENT rows in checking: {money(AMEX_OWED_0901)} + {money(sep_card)} + "
      f"{money(oct_card)} = {money(amex_bank)} (card's payment credits: {money(amex_credits)})")
nov_card = card_month(11)
all_card = sep_card + oct_card + nov_card
print(f"Card purchases: Sep {money(sep_card)}, Oct {money(oct_card)}, Nov {money(nov_card)} "
      f"(incl. personal {money(personal)}) = {money(all_card)}")
print(f"Capital from savings 10/05: 5,000.00 ; deposit returned 11/11: 1,400.00 ; "
      f"insurance 9/2: 2,400.00 ; Winter Lights deposit 11/9: 300.00")
print()
print(f"Checking balance 09/01 (before rows) {money(OPENING_BANK)}; Amex owed {money(AMEX_OWED_0901)}; "
      f"opening_cash = {money(OPENING_BANK - AMEX_OWED_0901)}")
print(f"Checking balance 11/30 {money(BANK_END)}; Amex owed 11/30 (Nov purchases) {money(nov_card)}; "
      f"net {money(BANK_END - nov_card)}")
allrows = sum(r[2] for r in bank + card)
print(f"opening_cash + every row of both files = {money(OPENING_BANK - AMEX_OWED_0901 + allrows)}")

print()
print("=== WRONG figures (careless readings, for [[absent]]) ===")
vc = tot(cost, "Bike Van")
print(f"Bike Van costs + AMEX PAYMENT rows (double count): cash ins {money(vc + INS + amex_bank)}, "
      f"accr {money(vc + INS / 4 + amex_bank)}")
print(f"Bike Van costs + Ada's draws: cash ins "
      f"{money(vc + INS + ada)}, accr {money(vc + INS / 4 + ada)}")
print(f"Bike Van revenue + card payment credits: {money(van_rev + amex_credits)}")
for m in (11,):
    print(f"Bike Van Nov costs + AMEX PAYMENT 11/24 {money(cost['Bike Van', 11] + oct_card)}"
          f" (accr {money(cost['Bike Van', 11] + oct_card + INS / 12)})")
    print(f"Bike Van Nov costs + Ada's draw {money(cost['Bike Van', 11] + 1200)}")
for ins_lbl, ins in (("cash", INS), ("accr", INS / 4)):
    for dep_lbl, dep in (("dep", DEP), ("nodep", D(0))):
        base = g_ops + ins + dep
        print(f"GROUP costs [{ins_lbl},{dep_lbl}] + AMEX PAYMENT rows {money(base + amex_bank)}"
              f" | + draws {money(base + ada + jon)} | + both {money(base + amex_bank + ada + jon)}"
              f" | + personal Costco {money(base + personal)}"
              f" | + deposit returned {money(base + 1400)}")
        print(f"   corresponding net: {money(g_rev - base - amex_bank)} | {money(g_rev - base - ada - jon)}"
              f" | {money(g_rev - base - amex_bank - ada - jon)} | {money(g_rev - base - personal)}"
              f" | {money(g_rev - base - 1400)}")
print(f"GROUP revenue + capital {money(g_rev + 5000)}; + card credits {money(g_rev + amex_credits)}; "
      f"+ both {money(g_rev + 5000 + amex_credits)}")
print(f"Flats revenue + capital: Sep-Nov {money(fl_rev + 5000)}, Oct {money(rev['Flats', 10] + 5000)}; "
      f"net Sep-Nov {money(fl_rev + 5000 - fl_cost)}")
print(f"Flats with deposit returned as cost: Nov costs {money(cost['Flats', 11] + 1400)}, Nov net "
      f"{money(rev['Flats', 11] - cost['Flats', 11] - 1400)}; Sep-Nov costs {money(fl_cost + 1400)}, "
      f"net {money(fl_rev - fl_cost - 1400)}")
for dep_lbl, dep in (("dep", DEP), ("nodep", D(0))):
    print(f"Crafts + personal Costco [{dep_lbl}]: Sep-Nov costs {money(cr_cost + dep + personal)} net "
          f"{money(cr_rev - cr_cost - dep - personal)}; Nov costs {money(cost['Crafts', 11] + dep + personal)} "
          f"net {money(rev['Crafts', 11] - cost['Crafts', 11] - dep - personal)}")
    print(f"Crafts + Jon's draws [{dep_lbl}]: Sep-Nov costs {money(cr_cost + dep + jon)} net "
          f"{money(cr_rev - cr_cost - dep - jon)}")
etsy_only = sum(D(v) for v in etsy.values())
print(f"Crafts revenue without the cash deposits (Etsy only): {money(etsy_only)}")
print(f"Insurance as a monthly cost: 2,400.00 a month = {money(INS * 12)} a year; "
      f"x3 months {money(INS * 3)}")
