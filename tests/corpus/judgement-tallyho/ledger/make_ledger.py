#!/usr/bin/env python3
"""Writes the Tallyho Labs ledger (Sep-Nov 2026) and prints the figures an analyst needs.

Two CSV files, both read with one column map (see execbrief.toml):

* ``stripe_balance_2026-09_2026-11.csv``: Stripe's balance export for the Tallyho app,
  reshaped by the founders so execbrief can read it.  Stripe writes ``Created (UTC),Amount,
  Fee,Net,Type,Description``; execbrief reads ONE signed amount, so the founders renamed
  ``Created (UTC)`` to ``Date`` (date only), dropped ``Fee``/``Net`` and put each day's
  processing fees on a row of their own (``Type = stripe_fee``), so ``Amount`` is always the
  money that moved in the Stripe balance.  ``Type`` keeps Stripe's type (charge, refund,
  dispute, stripe_fee, payout) and the founders' own for annual plans (annual_prepaid when
  the year is paid up front, and at each month end a journal pair: annual_prepaid_earned out
  of the prepaid money, annual_plan_revenue in as revenue: no cash moves).
* ``mercury_checking_2026-09_2026-11.csv``: the bank export of both checking accounts
  (Tallyho ...2291 and Tallyho Services ...8830), ``Date,Description,Amount,Running Bal.``
  plus the ``Business`` column the founders added.  Stripe payouts arrive here as
  ``STRIPE TRANSFER``: the other side of the Stripe file's ``payout`` rows, so both are
  transfers (money moving from the Stripe balance to the bank), never revenue twice.

Deterministic: no randomness.  Run: python3 make_ledger.py
"""
import calendar
import csv
import datetime as dt
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
D = dt.date
SAAS, SERV = "Tallyho", "Tallyho Services"
MONTHS = [(2026, 9), (2026, 10), (2026, 11)]
MNAME = {9: "Sep", 10: "Oct", 11: "Nov"}

OPEN_BANK_SAAS = 38400.00
OPEN_BANK_SERV = 9200.00
OPEN_STRIPE = 1850.00          # pending balance from late August, paid out Sep 7
OPENING_CASH = OPEN_BANK_SAAS + OPEN_BANK_SERV + OPEN_STRIPE

# --------------------------------------------------------------------------- customers
PRE = ["Oak", "Cedar", "Maple", "Willow", "Aspen", "Birch", "Summit", "Riverbend", "Lakeside",
       "Prairie", "Bluebonnet", "Mesa", "Canyon", "Hillcrest", "Brookhollow", "Lone Star",
       "Pecan", "Magnolia", "Live Oak", "Trinity"]
POST = ["Family Dental", "Physio", "Chiropractic", "Pediatrics", "Dermatology", "Eye Care",
        "Wellness", "Orthodontics"]
NAMES = [f"{p} {q}" for q in POST for p in PRE]      # 160 distinct clinic names


def bill_day(i):
    return 1 + (i * 7) % 27 + 1                     # 2..28, spread over the month


# Starter ($49) customers are NAMES[0..], Pro ($99) customers NAMES[80..]
starter_active = {9: set(range(0, 70))}
starter_active[10] = (starter_active[9] - {3, 11}) | set(range(70, 76))
starter_active[11] = (starter_active[10] - {5, 8, 17, 22, 40, 61, 72}) | {76, 77}
pro_active = {9: set(range(80, 144))}
pro_active[10] = (pro_active[9] - {90}) | {144, 145, 146}
pro_active[11] = (pro_active[10] - {84, 95, 101, 117, 130, 145}) | {147}

ENTERPRISE = "Lakeview Health Partners"
ENT_FEE = 4200.00
# annual plans (launched Sep 1): (day, name, plan, price)
ANNUAL = {
    9: [(4, "Tumbleweed Pediatrics", "Starter", 468.0), (12, "Rio Vista Physio", "Starter", 468.0),
        (19, "Cypress Eye Care", "Starter", 468.0), (9, "Frontier Family Dental", "Pro", 948.0),
        (23, "Sandia Orthodontics", "Pro", 948.0)],
    10: [(2, "Juniper Wellness", "Starter", 468.0), (8, "Alamo Chiropractic", "Starter", 468.0),
         (15, "Bastrop Dermatology", "Starter", 468.0), (27, "Guadalupe Physio", "Starter", 468.0),
         (6, "Travis Heights Dental", "Pro", 948.0), (14, "Zilker Pediatrics", "Pro", 948.0),
         (21, "Barton Creek Eye Care", "Pro", 948.0)],
    11: [(3, "Mueller Wellness", "Starter", 468.0), (17, "Hyde Park Physio", "Starter", 468.0),
         (10, "Onion Creek Orthodontics", "Pro", 948.0)],
}
ANNUAL_MONTHLY = {"Starter": 39.0, "Pro": 79.0}
REFUNDS = [  # (date, customer, amount, reason)
    (D(2026, 9, 18), NAMES[97], 99.0, "double charge"),
    (D(2026, 10, 6), NAMES[30], 49.0, "cancelled in first week"),
    (D(2026, 10, 22), NAMES[121], 99.0, "Outlook sync never worked"),
    (D(2026, 11, 12), NAMES[84], 99.0, "Outlook sync never worked"),
    (D(2026, 11, 19), NAMES[45], 49.0, "billed after cancelling"),
]
CHARGEBACKS = [  # (date, customer, amount)
    (D(2026, 10, 14), NAMES[133], 99.0),
    (D(2026, 11, 9), NAMES[109], 99.0),
]
DISPUTE_FEE = 15.0


def card_fee(amount):
    return round(amount * 0.029 + 0.30, 2)


stripe = []   # dicts: date, type, desc, amount

for (y, m) in MONTHS:
    mn = dt.date(y, m, 1).strftime("%b %Y")
    fees_by_day = defaultdict(float)
    for i in sorted(starter_active[m]):
        d = D(y, m, bill_day(i))
        stripe.append(dict(date=d, type="charge", desc=f"{NAMES[i]} - Starter monthly {mn}", amount=49.0))
        fees_by_day[d] += card_fee(49.0)
    for i in sorted(pro_active[m]):
        d = D(y, m, bill_day(i))
        stripe.append(dict(date=d, type="charge", desc=f"{NAMES[i]} - Pro monthly {mn}", amount=99.0))
        fees_by_day[d] += card_fee(99.0)
    d = D(y, m, 1)
    stripe.append(dict(date=d, type="charge", desc=f"{ENTERPRISE} - Enterprise plan {mn} (invoice, ACH)", amount=ENT_FEE))
    fees_by_day[d] += 5.00                                   # ACH Direct Debit, capped at $5
    for (day, name, plan, price) in ANNUAL[m]:
        d = D(y, m, day)
        stripe.append(dict(date=d, type="annual_prepaid", desc=f"{name} - {plan} annual plan, 12 months paid up front", amount=price))
        fees_by_day[d] += card_fee(price)
    for d, amt in sorted(fees_by_day.items()):
        stripe.append(dict(date=d, type="stripe_fee", desc=f"Stripe processing fees {d.isoformat()}", amount=-round(amt, 2)))
    for (d, name, amt, why) in REFUNDS:
        if d.month == m:
            stripe.append(dict(date=d, type="refund", desc=f"Refund for {name} ({why})", amount=-amt))
    for (d, name, amt) in CHARGEBACKS:
        if d.month == m:
            stripe.append(dict(date=d, type="dispute", desc=f"Chargeback withdrawal - dispute lost, {name}", amount=-amt))
            stripe.append(dict(date=d, type="stripe_fee", desc=f"Dispute fee - {name}", amount=-DISPUTE_FEE))
    # month-end journal: the share of annual plans earned this month (no cash moves)
    earned = sum(ANNUAL_MONTHLY[p] for mm in MONTHS if mm[1] <= m for (_, _, p, _) in ANNUAL[mm[1]])
    last = D(y, m, calendar.monthrange(y, m)[1])
    stripe.append(dict(date=last, type="annual_prepaid_earned", desc=f"Annual plans earned in {mn} - moved out of prepaid (journal, no cash)", amount=-earned))
    stripe.append(dict(date=last, type="annual_plan_revenue", desc=f"Annual plans earned in {mn} - recognised as revenue (journal, no cash)", amount=earned))

# payouts every Monday: the balance of every row dated up to the Friday before
stripe.sort(key=lambda r: (r["date"], r["type"] != "charge"))
payouts = []
paid_through = D(2026, 8, 31)
balance_carried = OPEN_STRIPE
mon = D(2026, 9, 7)
while mon <= D(2026, 11, 30):
    cutoff = mon - dt.timedelta(days=3)
    amt = balance_carried + sum(r["amount"] for r in stripe if paid_through < r["date"] <= cutoff)
    amt = round(amt, 2)
    payouts.append((mon, amt))
    balance_carried = 0.0
    paid_through = cutoff
    mon += dt.timedelta(days=7)
for i, (d, amt) in enumerate(payouts):
    code = f"po_1Q{(i * 7919) % 100000:05d}TLY"
    stripe.append(dict(date=d, type="payout", desc=f"STRIPE PAYOUT {code} to Mercury ...2291", amount=-amt))
stripe.sort(key=lambda r: (r["date"], ["charge", "annual_prepaid", "stripe_fee", "refund", "dispute", "payout", "annual_prepaid_earned", "annual_plan_revenue"].index(r["type"])))

with open(os.path.join(HERE, "stripe_balance_2026-09_2026-11.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Type", "Description", "Amount", "Business"])
    for r in stripe:
        w.writerow([r["date"].isoformat(), r["type"], r["desc"], f"{r['amount']:.2f}", SAAS])

# --------------------------------------------------------------------------- bank
bank = []   # date, desc, amount, business, kind


def b(d, desc, amt, biz, kind):
    bank.append(dict(date=d, desc=desc, amount=round(amt, 2), biz=biz, kind=kind))


for (d, amt) in payouts:
    b(d, f"STRIPE TRANSFER ST-{d.strftime('%m%d')}X TALLYHO LABS", amt, SAAS, "transfer")

AWS = {9: 1840.00, 10: 1965.00, 11: 2430.00}
TWILIO = {9: 312.40, 10: 338.15, 11: 401.90}
ADS = {9: 1200.00, 10: 1350.00, 11: 900.00}
for (y, m) in MONTHS:
    b(D(y, m, 2), "GUSTO FEE 8801 TALLYHO LABS", -80.00, SAAS, "opex")
    b(D(y, m, 3), "AMAZON WEB SERVICES AWS.AMAZON.CO WA", -AWS[m], SAAS, "opex")
    b(D(y, m, 4), "TWILIO SENDGRID SAN FRANCISCO", -TWILIO[m], SAAS, "opex")
    b(D(y, m, 5), "GOOGLE *WORKSPACE TALLYHOLABS", -84.00, SAAS, "opex")
    b(D(y, m, 6), "GITHUB INC", -44.00, SAAS, "opex")
    b(D(y, m, 6), "SENTRY.IO", -26.00, SAAS, "opex")
    b(D(y, m, 8), "INTERCOM INC", -139.00, SAAS, "opex")
    b(D(y, m, 10), "GOOGLE ADS 7731-TALLYHO", -ADS[m], SAAS, "opex")
    b(D(y, m, 15), "GUSTO NET PAY 8801 TALLYHO LABS", -7600.00, SAAS, "opex")
    b(D(y, m, 15), "GUSTO TAX 8801 TALLYHO LABS", -2150.00, SAAS, "opex")
    b(D(y, m, 28), "DEEL INC CONTRACTOR PMT M OKAFOR", -4000.00, SAAS, "opex")
    b(D(y, m, 28), "DEEL INC CONTRACTOR PMT L PETROV", -3200.00, SAAS, "opex")
    b(D(y, m, 12), "ZOOM.US 888-799-9666", -16.00, SERV, "opex")

b(D(2026, 10, 8), "INCOMING WIRE NORTHPASS VENTURES SAFE INVESTMENT", 50000.00, SAAS, "capital")
b(D(2026, 10, 8), "INCOMING WIRE FEE", -15.00, "", "opex")
b(D(2026, 11, 13), "TX COMPTROLLER FRANCHISE TAX PMT 2026", -1260.00, SAAS, "tax")
b(D(2026, 11, 5), "ONLINE TRANSFER TO CHK ...2291 TALLYHO", -5000.00, SERV, "transfer")
b(D(2026, 11, 5), "ONLINE TRANSFER FROM CHK ...8830 TALLYHO SERVICES", 5000.00, SAAS, "transfer")

# Services: project invoices collected (INV-1043 Harbor Family Dental $6,000 never paid)
b(D(2026, 9, 18), "ACH CREDIT BRIGHTSIDE PEDIATRICS INV-1041", 4500.00, SERV, "revenue")
b(D(2026, 9, 29), "ACH CREDIT PINECREST PHYSICAL THERAPY INV-1042", 3200.00, SERV, "revenue")
b(D(2026, 10, 27), "ACH CREDIT WILLOW CREEK CHIROPRACTIC INV-1044", 2800.00, SERV, "revenue")
b(D(2026, 11, 20), "ACH CREDIT NORTHGATE URGENT CARE INV-1045", 5400.00, SERV, "revenue")
b(D(2026, 11, 24), "ACH CREDIT SAGEBRUSH DERMATOLOGY INV-1046", 3600.00, SERV, "revenue")
b(D(2026, 9, 30), "ACH PMT MORENO TRAINING LLC", -1600.00, SERV, "opex")
b(D(2026, 10, 30), "ACH PMT MORENO TRAINING LLC", -1200.00, SERV, "opex")
b(D(2026, 11, 25), "ACH PMT MORENO TRAINING LLC", -2000.00, SERV, "opex")
b(D(2026, 9, 10), "SOUTHWEST AIRLINES DALLAS TX", -386.00, SERV, "opex")
b(D(2026, 9, 12), "HERTZ RENT-A-CAR ELPASO", -212.40, SERV, "opex")
b(D(2026, 10, 19), "SOUTHWEST AIRLINES DALLAS TX", -418.00, SERV, "opex")
b(D(2026, 11, 18), "MARRIOTT LUBBOCK TX", -289.60, SERV, "opex")

bank.sort(key=lambda r: (r["date"], r["biz"], r["desc"]))
run = OPEN_BANK_SAAS + OPEN_BANK_SERV
with open(os.path.join(HERE, "mercury_checking_2026-09_2026-11.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Description", "Amount", "Running Bal.", "Business"])
    for r in bank:
        run = round(run + r["amount"], 2)
        w.writerow([r["date"].strftime("%m/%d/%Y"), r["desc"], f"{r['amount']:.2f}", f"{run:.2f}", r["biz"]])

# --------------------------------------------------------------------------- figures
def fmt(x):
    return f"{x:,.2f}"


print(f"Opening cash 2026-09-01: {fmt(OPENING_CASH)} (bank Tallyho {fmt(OPEN_BANK_SAAS)} + bank Services {fmt(OPEN_BANK_SERV)} + Stripe balance {fmt(OPEN_STRIPE)})")
tot = dict(rev=0, cost=0)
saas_rev_3 = serv_rev_3 = saas_cost_3 = serv_cost_3 = 0
for (y, m) in MONTHS:
    inm = lambda r: r["date"].month == m
    s = [r for r in stripe if inm(r)]
    monthly = sum(r["amount"] for r in s if r["type"] == "charge")
    ent = ENT_FEE
    ann_rec = sum(r["amount"] for r in s if r["type"] == "annual_plan_revenue")
    refunds = -sum(r["amount"] for r in s if r["type"] == "refund")
    disputes = -sum(r["amount"] for r in s if r["type"] == "dispute")
    fees = -sum(r["amount"] for r in s if r["type"] == "stripe_fee")
    ann_cash = sum(r["amount"] for r in s if r["type"] == "annual_prepaid")
    payout = -sum(r["amount"] for r in s if r["type"] == "payout")
    saas_rev = monthly + ann_rec - refunds - disputes
    bk = [r for r in bank if inm(r)]
    saas_opex = -sum(r["amount"] for r in bk if r["biz"] == SAAS and r["kind"] == "opex")
    saas_tax = -sum(r["amount"] for r in bk if r["biz"] == SAAS and r["kind"] == "tax")
    saas_cost = saas_opex + saas_tax + fees
    serv_rev = sum(r["amount"] for r in bk if r["biz"] == SERV and r["kind"] == "revenue")
    serv_cost = -sum(r["amount"] for r in bk if r["biz"] == SERV and r["kind"] == "opex")
    blank = sum(r["amount"] for r in bk if r["biz"] == "")
    n_st, n_pro = len(starter_active[m]), len(pro_active[m])
    ann_mrr = sum(ANNUAL_MONTHLY[p] for mm in MONTHS if mm[1] <= m for (_, _, p, _) in ANNUAL[mm[1]])
    mrr = n_st * 49 + n_pro * 99 + ENT_FEE + ann_mrr
    churned = (len(starter_active[m - 1] - starter_active[m]) + len(pro_active[m - 1] - pro_active[m])) if m > 9 else None
    new = (len(starter_active[m] - starter_active[m - 1]) + len(pro_active[m] - pro_active[m - 1]) + len(ANNUAL[m])) if m > 9 else None
    print(f"\n== {MNAME[m]} 2026 ==")
    print(f"Tallyho (saas): monthly-plan charges {fmt(monthly - ENT_FEE)} ({n_st} Starter x49 + {n_pro} Pro x99) + {ENTERPRISE} {fmt(ent)}"
          f" + annual plans earned {fmt(ann_rec)} - refunds {fmt(refunds)} - chargebacks {fmt(disputes)} = REVENUE {fmt(saas_rev)}")
    print(f"   costs: bank opex {fmt(saas_opex)} + franchise tax {fmt(saas_tax)} + Stripe fees (incl dispute fees) {fmt(fees)} = COSTS {fmt(saas_cost)}; NET {fmt(saas_rev - saas_cost)}")
    gross_rev_before_refunds = monthly + ann_rec
    print(f"   revenue before refunds/chargebacks {fmt(gross_rev_before_refunds)}; enterprise share of that {ENT_FEE / gross_rev_before_refunds * 100:.1f}%; of revenue {ENT_FEE / saas_rev * 100:.1f}%")
    print(f"   MRR {fmt(mrr)} (annual plans' monthly equivalent {fmt(ann_mrr)}); enterprise share of MRR {ENT_FEE / mrr * 100:.1f}%; new {new}, churned {churned}")
    if m > 9:
        base = len(starter_active[m - 1]) + len(pro_active[m - 1])
        lost_st = len(starter_active[m - 1] - starter_active[m]); lost_pro = len(pro_active[m - 1] - pro_active[m])
        print(f"   monthly-plan churn {churned} of {base} = {churned / base * 100:.1f}% (MRR lost {fmt(lost_st * 49 + lost_pro * 99)}: {lost_st} Starter, {lost_pro} Pro)")
    print(f"   cash only: annual plans paid up front {fmt(ann_cash)} (deferred, not revenue); Stripe payouts {fmt(payout)} (transfer Stripe->bank)")
    print(f"   AWS {fmt(AWS[m])}, Twilio {fmt(TWILIO[m])}, Google Ads {fmt(ADS[m])}, Gusto payroll {fmt(9750 + 80)}, Deel contractors 7,200.00")
    print(f"Tallyho Services (agency): REVENUE {fmt(serv_rev)}; COSTS {fmt(serv_cost)}; NET {fmt(serv_rev - serv_cost)}")
    print(f"Blank business rows: {fmt(blank)}")
    grp_rev, grp_cost = saas_rev + serv_rev, saas_cost + serv_cost - blank
    print(f"Group: REVENUE {fmt(grp_rev)}; COSTS {fmt(grp_cost)}; NET {fmt(grp_rev - grp_cost)}")
    tot["rev"] += grp_rev
    tot["cost"] += grp_cost
    saas_rev_3 += saas_rev; serv_rev_3 += serv_rev; saas_cost_3 += saas_cost; serv_cost_3 += serv_cost

print("\n== Sep-Nov totals ==")
print(f"Tallyho: revenue {fmt(saas_rev_3)}, costs {fmt(saas_cost_3)}, net {fmt(saas_rev_3 - saas_cost_3)}")
print(f"Tallyho Services: revenue {fmt(serv_rev_3)}, costs {fmt(serv_cost_3)}, net {fmt(serv_rev_3 - serv_cost_3)}")
print(f"Group: revenue {fmt(tot['rev'])}, costs {fmt(tot['cost'])}, net {fmt(tot['rev'] - tot['cost'])}")
ann_total = sum(p for m in ANNUAL for (_, _, _, p) in ANNUAL[m])
ann_earned = sum(r["amount"] for r in stripe if r["type"] == "annual_plan_revenue")
print(f"Annual plans paid up front Sep-Nov {fmt(ann_total)}; earned by Nov 30 {fmt(ann_earned)}; still owed as service (deferred) {fmt(ann_total - ann_earned)}")
print(f"Refunds total {fmt(sum(a for (_, _, a, _) in REFUNDS))} ({len(REFUNDS)}); chargebacks {fmt(sum(a for (_, _, a) in CHARGEBACKS))} ({len(CHARGEBACKS)}) + dispute fees {fmt(DISPUTE_FEE * len(CHARGEBACKS))}")
print(f"SAFE 2026-10-08: 50,000.00 capital (cash only); transfer Services->Tallyho 2026-11-05: 5,000.00; franchise tax 2026-11-13: 1,260.00 (tax, a cost)")
stripe_end = OPEN_STRIPE + sum(r["amount"] for r in stripe)
bank_saas_end = OPEN_BANK_SAAS + sum(r["amount"] for r in bank if r["biz"] == SAAS)
bank_serv_end = OPEN_BANK_SERV + sum(r["amount"] for r in bank if r["biz"] == SERV)
blank_all = sum(r["amount"] for r in bank if r["biz"] == "")
closing = OPENING_CASH + sum(r["amount"] for r in stripe) + sum(r["amount"] for r in bank)
print(f"\nClosing cash 2026-11-30: {fmt(closing)} = bank {fmt(run)} + Stripe balance {fmt(stripe_end)}")
print(f"   by business: Tallyho bank {fmt(bank_saas_end)} + Stripe {fmt(stripe_end)}; Services bank {fmt(bank_serv_end)}; blank rows {fmt(blank_all)}")
for (y, m) in MONTHS:
    end = D(y, m, calendar.monthrange(y, m)[1])
    c = OPENING_CASH + sum(r["amount"] for r in stripe if r["date"] <= end) + sum(r["amount"] for r in bank if r["date"] <= end)
    print(f"   cash at end of {MNAME[m]}: {fmt(c)}")
print(f"Rows: stripe {len(stripe)}, bank {len(bank)}")
fees_all = -sum(r["amount"] for r in stripe if r["type"] == "stripe_fee")
payouts_all = sum(a for (_, a) in payouts)
print(f"Stripe fees Sep-Nov (incl 30.00 dispute fees): {fmt(fees_all)}; Stripe payouts Sep-Nov: {fmt(payouts_all)}")
