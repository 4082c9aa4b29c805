#!/usr/bin/env python3
"""Writes ledger/stripe.csv and ledger/starling.csv for Kiln & Quarry Ltd (Sep-Nov 2026)
and prints the true figures a careful accountant would report. Deterministic: run it again
and the files are byte for byte the same.

Two files, one set of books (columns date, amount, entity, account, category, memo; amount
signed, money in positive, whole pounds; Aisha categorises and tags the business in her
bookkeeping sheet before exporting):

* ledger/stripe.csv  - the Stripe BALANCE (account "Stripe balance", ISO dates). Only the
  studio takes cards. It holds each card charge split into net revenue + "VAT collected",
  the Stripe fee of each charge, the Bedminster Bakery chargeback (revenue reversed, VAT
  reversed) and its GBP 20 dispute fee, and the payouts (negative: money leaving the Stripe
  balance for the bank).
* ledger/starling.csv - the Starling bank (accounts "Starling Business" and "Starling Tax
  Pot", DD/MM/YYYY dates). It holds the Stripe payouts ARRIVING (positive), bank-transfer
  invoice payments (net + VAT rows), each Shopify payout split from the Shopify payouts
  report into gross sales, VAT, Shopify fees and refunds (the rows of one payout share the
  memo "SHOPIFY PAYOUT #..." and add up to what landed), market takings banked, every cost,
  payroll, VAT paid to HMRC, dividends, the director's loan repayment, the corporation tax
  pot transfers and the Christmas market stall deposit.

What a careful accountant counts (and what this script prints):
* REVENUE = rows in "Retainer revenue", "Project revenue", "Shop sales", "Market sales",
  less "Customer refunds" and "Chargeback" (refunds and chargebacks reduce revenue).
  Revenue is net of VAT.
* NOT revenue, NOT cost (cash only):
  - "Stripe payout" rows: a payout leaving Stripe (-) and arriving in Starling (+) is a
    transfer between two of the company's own accounts; the sales were already counted
    when charged. Counting the arrivals as revenue double counts the card income.
  - "Tax pot transfer": corporation tax set aside into the Starling savings space (-/+),
    a transfer. No corporation tax is paid in the window.
  - "VAT collected", "VAT on purchases", "VAT payment HMRC": VAT is HMRC's money.
  - "Dividends": directors' dividends, a distribution of profit (owner draw), not a cost.
  - "Director's loan repayment": repaying Tom's 2025 loan for the riso drum (principal).
  - "Stall deposit paid": deposit for the December Christmas market pitch: a prepayment,
    a December cost, not a November one.
* COSTS = everything else going out: payroll (net pay + HMRC PAYE/NI), rent, software,
  insurance, accountant, Stripe and Shopify fees (incl. the dispute fee), cost of sales
  (paper, ink, masters), postage, market pitch fees, repairs, and the one-off laptop
  (GBP 1,499 ex VAT, 14 Sep, booked as Equipment: a capital item an accountant would
  depreciate; counted here as a September cost, as execbrief will, so only September and
  the three-month totals depend on it).
"""
import csv
import datetime as dt
import os
import random
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ledger")
STUDIO, SHOP = "Kiln Studio", "Quarry Prints"
STRIPE, BANK, POT = "Stripe balance", "Starling Business", "Starling Tax Pot"
OPENING = {BANK: 21650, POT: 6000, STRIPE: 0}  # 1 Sep 2026, before its rows

REVENUE = {"Retainer revenue", "Project revenue", "Shop sales", "Market sales"}
REDUCTIONS = {"Customer refunds", "Chargeback"}
NOT_PL = {"Stripe payout", "Tax pot transfer", "VAT collected", "VAT on purchases",
          "VAT payment HMRC", "Dividends", "Director's loan repayment", "Stall deposit paid"}

rows = []  # (date, amount, entity, account, category, memo)


def add(d, amount, entity, account, category, memo):
    rows.append((d, int(amount), entity, account, category, memo))


def D(m, d):
    return dt.date(2026, m, d)


def vat(x):
    return int(round(x * 0.2))


rng = random.Random(2611)

# ---------------- Kiln Studio: card-paid retainers (Stripe, charged on the 1st) --------
card_retainers = [("Clifton Yoga Co", 1500), ("Ashton Gate Brewing", 1200), ("Redland Physio", 1300)]
card_charges = []  # (date, client, net, memo)
for m in (9, 10, 11):
    mon = {9: "Sep", 10: "Oct", 11: "Nov"}[m]
    for client, net in card_retainers:
        card_charges.append((D(m, 1), client, net, "Retainer revenue", f"{client} - {mon} retainer (card)"))
card_charges.append((D(10, 6), "Bedminster Bakery", 1200, "Project revenue",
                     "Bedminster Bakery - logo & packaging project INV-2041 (card)"))
card_charges.append((D(11, 12), "Gloucester Road Books", 650, "Project revenue",
                     "Gloucester Road Books - shop sign artwork INV-2058 (card)"))
for d, client, net, cat, memo in card_charges:
    gross = net + vat(net)
    add(d, net, STUDIO, STRIPE, cat, memo)
    add(d, vat(net), STUDIO, STRIPE, "VAT collected", f"{client} - VAT 20% on {net}")
    add(d, -int(round(gross * 0.015 + 0.2)), STUDIO, STRIPE, "Stripe fees", f"Stripe fee - {client} charge")
# chargeback: Bedminster Bakery disputed the 6 Oct charge; Stripe debited it on 4 Nov
add(D(11, 4), -1200, STUDIO, STRIPE, "Chargeback", "Bedminster Bakery - dispute dp_1Q opened, funds withdrawn (INV-2041)")
add(D(11, 4), -240, STUDIO, STRIPE, "VAT collected", "Bedminster Bakery - VAT reversed on chargeback")
add(D(11, 4), -20, STUDIO, STRIPE, "Stripe fees", "Stripe dispute fee - Bedminster Bakery")

# payouts every Monday: everything dated two days or more before, not yet paid out
stripe_rows = sorted([r for r in rows if r[3] == STRIPE], key=lambda r: r[0])
paid_to = 0
d = D(9, 7)
while d <= D(11, 30):
    avail = sum(r[1] for r in stripe_rows if r[0] <= d - dt.timedelta(days=2))
    amt = avail - paid_to
    if amt > 0:
        pid = f"po_{d:%m%d}K{(d.day * 7) % 10}"
        add(d, -amt, STUDIO, STRIPE, "Stripe payout", f"Payout {pid} to Starling ****4821")
        add(d, amt, STUDIO, BANK, "Stripe payout", f"STRIPE PAYMENTS UK LTD {pid}")
        paid_to += amt
    d += dt.timedelta(days=7)

# ---------------- Kiln Studio: bank-transfer clients ----------------------------------
for m in (9, 10, 11):
    mon = {9: "Sep", 10: "Oct", 11: "Nov"}[m]
    add(D(m, 5), 4000, STUDIO, BANK, "Retainer revenue", f"SEVERN BIKES LTD - {mon} retainer INV")
    add(D(m, 5), 800, STUDIO, BANK, "VAT collected", f"SEVERN BIKES LTD - VAT on {mon} retainer")
# Marlowe & Finch: pays late. August invoice paid 14 Sep; Sep, Oct, Nov unpaid
add(D(9, 14), 2000, STUDIO, BANK, "Retainer revenue", "MARLOWE AND FINCH LLP - Aug retainer INV-2019")
add(D(9, 14), 400, STUDIO, BANK, "VAT collected", "MARLOWE AND FINCH LLP - VAT on Aug retainer")
# Stokes Croft Theatre website: 50% on start, 50% on launch
for d, part in ((D(10, 9), "50% deposit INV-2044"), (D(11, 20), "final 50% INV-2061")):
    add(d, 2800, STUDIO, BANK, "Project revenue", f"STOKES CROFT THEATRE - website {part}")
    add(d, 560, STUDIO, BANK, "VAT collected", f"STOKES CROFT THEATRE - VAT on {part}")

# ---------------- Kiln Studio: costs ----------------------------------------------------
for m in (9, 10, 11):
    mon = {9: "Sep", 10: "Oct", 11: "Nov"}[m]
    add(D(m, 1), -950, STUDIO, BANK, "Rent", f"PAINTWORKS STUDIOS - unit 14 rent {mon}")
    add(D(m, 3), -45, STUDIO, BANK, "Software", "FIGMA - 5 professional seats")
    add(D(m, 4), -120, STUDIO, BANK, "Software", "ADOBE CREATIVE CLOUD - 2 seats")
    add(D(m, 8), -84, STUDIO, BANK, "Software", "WEBFLOW INC - workspace plan")
    add(D(m, 9), -42, STUDIO, BANK, "Software", "GOOGLE WORKSPACE")
    add(D(m, 11), -35, STUDIO, BANK, "Software", "HARVEST TIME TRACKING")
    add(D(m, 15), -62, STUDIO, BANK, "Insurance", "HISCOX - professional indemnity monthly")
    add(D(m, 20), -150, STUDIO, BANK, "Accountancy", f"BRUNEL ACCOUNTANTS - {mon} bookkeeping")
    add(D(m, 20), -30, STUDIO, BANK, "VAT on purchases", "BRUNEL ACCOUNTANTS - VAT")
    add(D(m, 25), -1048, STUDIO, BANK, "Payroll", f"A RAHMAN - salary {mon}")
    add(D(m, 25), -524, STUDIO, BANK, "Payroll", f"T WHITFIELD - salary {mon} (studio half)")
    add(D(m, 25), -1820, STUDIO, BANK, "Payroll", f"P SHAH - salary {mon}")
    add(D(m, 22), -610, STUDIO, BANK, "Payroll", f"HMRC PAYE/NI - {mon} payroll")
    add(D(m, 28), -1200, STUDIO, BANK, "Tax pot transfer", "To Tax Pot - corporation tax set aside")
    add(D(m, 28), 1200, STUDIO, POT, "Tax pot transfer", "From Starling Business - corporation tax set aside")
    add(D(m, 30 if m != 10 else 30), -1500, STUDIO, BANK, "Dividends", f"A RAHMAN - interim dividend {mon}")
    add(D(m, 30 if m != 10 else 30), -1500, STUDIO, BANK, "Dividends", f"T WHITFIELD - interim dividend {mon}")
add(D(9, 14), -1499, STUDIO, BANK, "Equipment", "APPLE STORE CABOT CIRCUS - MacBook Pro for Priya")
add(D(9, 14), -300, STUDIO, BANK, "VAT on purchases", "APPLE STORE - VAT on MacBook Pro")
add(D(10, 13), -900, STUDIO, BANK, "Freelancers", "J OKAFOR - WordPress dev Stokes Croft Theatre")
# VAT return for Jun-Aug quarter (both businesses) paid 7 Oct
add(D(10, 7), -3420, STUDIO, BANK, "VAT payment HMRC", "HMRC VAT - quarter to 31 Aug 2026")

# ---------------- Quarry Prints ------------------------------------------------------------
# Shopify payouts twice a week (Tue, Fri), split from the Shopify payouts report
monthly_level = {9: 230, 10: 290, 11: 480}  # gross sales inc VAT per payout, on average
pay_no = 3301
d = D(9, 1)
while d <= D(11, 30):
    if d.weekday() in (1, 4):
        gross = int(monthly_level[d.month] * rng.uniform(0.7, 1.3))
        net = int(round(gross / 1.2))
        v = gross - net
        fee = int(round(gross * 0.022 + 0.2 * rng.randint(4, 12)))
        memo = f"SHOPIFY PAYOUT #{pay_no}"
        add(d, net, SHOP, BANK, "Shop sales", memo + " - gross sales ex VAT")
        add(d, v, SHOP, BANK, "VAT collected", memo + " - VAT on sales")
        add(d, -fee, SHOP, BANK, "Shopify fees", memo + " - Shopify Payments fees")
        if d == D(11, 17):
            add(d, -45, SHOP, BANK, "Customer refunds", memo + " - refund order #1482 A3 print arrived creased")
            add(d, -9, SHOP, BANK, "VAT collected", memo + " - VAT on refund #1482")
        pay_no += 1
    d += dt.timedelta(days=1)
# markets: Tobacco Factory Sunday market (pitch 40) every other Sunday, Harbourside Makers
# Market (pitch 65) first Saturday; takings (card + cash via SumUp) banked the next day
tf_sundays = [D(9, 6), D(9, 20), D(10, 4), D(10, 18), D(11, 1), D(11, 15), D(11, 29)]
hs_saturdays = [D(9, 5), D(10, 3), D(11, 7)]
for s in tf_sundays:
    take = int({9: 310, 10: 360, 11: 540}[s.month] * rng.uniform(0.8, 1.2))
    add(s, -40, SHOP, BANK, "Market stall fees", "TOBACCO FACTORY MARKET - pitch")
    nd = s + dt.timedelta(days=1)
    net = int(round(take / 1.2))
    add(nd, net, SHOP, BANK, "Market sales", f"SUMUP PAYOUT - Tobacco Factory {s:%d %b} takings ex VAT")
    add(nd, take - net, SHOP, BANK, "VAT collected", f"SUMUP PAYOUT - Tobacco Factory {s:%d %b} VAT")
for s in hs_saturdays:
    take = int({9: 420, 10: 470, 11: 690}[s.month] * rng.uniform(0.85, 1.15))
    add(s, -65, SHOP, BANK, "Market stall fees", "HARBOURSIDE MAKERS MARKET - pitch")
    nd = s + dt.timedelta(days=2)
    net = int(round(take / 1.2))
    add(nd, net, SHOP, BANK, "Market sales", f"SUMUP PAYOUT - Harbourside {s:%d %b} takings ex VAT")
    add(nd, take - net, SHOP, BANK, "VAT collected", f"SUMUP PAYOUT - Harbourside {s:%d %b} VAT")
# costs
for m in (9, 10, 11):
    mon = {9: "Sep", 10: "Oct", 11: "Nov"}[m]
    add(D(m, 2), -25, SHOP, BANK, "Software", "SHOPIFY - Basic plan")
    add(D(m, 25), -524, SHOP, BANK, "Payroll", f"T WHITFIELD - salary {mon} (shop half)")
paper = [(D(9, 10), 260), (D(10, 8), 340), (D(10, 29), 310), (D(11, 10), 520), (D(11, 24), 280)]
for d, net in paper:
    add(d, -net, SHOP, BANK, "Cost of sales", "GF SMITH - riso paper (Munken, Colorplan)")
    add(d, -vat(net), SHOP, BANK, "VAT on purchases", "GF SMITH - VAT")
ink = [(D(9, 17), 215), (D(10, 21), 240), (D(11, 5), 395)]
for d, net in ink:
    add(d, -net, SHOP, BANK, "Cost of sales", "RISO UK - ink and masters")
    add(d, -vat(net), SHOP, BANK, "VAT on purchases", "RISO UK - VAT")
d = D(9, 4)
while d <= D(11, 30):
    add(d, -int({9: 48, 10: 60, 11: 95}[d.month] * rng.uniform(0.8, 1.2)), SHOP, BANK, "Postage",
        "ROYAL MAIL CLICK AND DROP")
    d += dt.timedelta(days=7)
add(D(11, 20), -380, SHOP, BANK, "Repairs", "RISO UK - engineer visit, drum unit replaced")
add(D(11, 20), -76, SHOP, BANK, "VAT on purchases", "RISO UK - VAT on repair")
add(D(10, 12), -250, SHOP, BANK, "Stall deposit paid", "BRISTOL CHRISTMAS MAKERS FAIR - stall deposit 5-20 Dec")
add(D(10, 16), -1000, SHOP, BANK, "Director's loan repayment", "T WHITFIELD - director's loan repayment (riso drum loan)")

# ---------------- write ------------------------------------------------------------------
rows.sort(key=lambda r: (r[0], r[3], r[2], -r[1], r[5]))
os.makedirs(OUT, exist_ok=True)
hdr = ["date", "amount", "entity", "account", "category", "memo"]
with open(os.path.join(OUT, "stripe.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(hdr)
    for r in rows:
        if r[3] == STRIPE:
            w.writerow([r[0].isoformat(), f"{r[1]:.2f}", *r[2:]])
with open(os.path.join(OUT, "starling.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(hdr)
    for r in rows:
        if r[3] != STRIPE:
            w.writerow([r[0].strftime("%d/%m/%Y"), f"{r[1]:.2f}", *r[2:]])

# ---------------- true figures -----------------------------------------------------------
cats = {c for r in rows for c in [r[4]]}
COST = cats - REVENUE - REDUCTIONS - NOT_PL
print("cost categories:", sorted(COST))
print("rows: stripe", sum(r[3] == STRIPE for r in rows), "starling", sum(r[3] != STRIPE for r in rows))
tot = defaultdict(int)
for ent in (STUDIO, SHOP, None):
    print(f"\n== {ent or 'GROUP'} ==")
    for m in (9, 10, 11, 0):
        sel = [r for r in rows if (ent is None or r[2] == ent) and (m == 0 or r[0].month == m)]
        gross = sum(r[1] for r in sel if r[4] in REVENUE)
        red = sum(r[1] for r in sel if r[4] in REDUCTIONS)
        cost = -sum(r[1] for r in sel if r[4] in COST)
        rev = gross + red
        lab = {9: "Sep", 10: "Oct", 11: "Nov", 0: "Sep-Nov"}[m]
        print(f"{lab:8} revenue {rev:7,} (gross {gross:,}, refunds/chargebacks {red:,})  costs {cost:7,}  profit {rev - cost:7,}")
        if m:
            bycat = defaultdict(int)
            for r in sel:
                if r[4] in NOT_PL:
                    bycat[r[4]] += r[1]
            print("          cash-only:", dict(sorted(bycat.items())))
            print("          costs by cat:", dict(sorted((c, -sum(r[1] for r in sel if r[4] == c)) for c in COST if any(r[4] == c for r in sel))))

print("\n== cash ==")
bal = dict(OPENING)
for r in rows:
    bal[r[3]] += r[1]
print("opening", sum(OPENING.values()), OPENING)
print("closing 30 Nov", sum(bal.values()), bal)
for m in (9, 10, 11):
    print(f"month {m} net cash change", sum(r[1] for r in rows if r[0].month == m))
print("\n== VAT ==")
for lab, months in (("Sep-Nov quarter", (9, 10, 11)),):
    out_ = sum(r[1] for r in rows if r[4] == "VAT collected" and r[0].month in months)
    in_ = -sum(r[1] for r in rows if r[4] == "VAT on purchases" and r[0].month in months)
    print(f"{lab}: output VAT {out_:,}  input VAT {in_:,}  due to HMRC by 7 Jan 2027 {out_ - in_:,}")
print("VAT paid 7 Oct (Jun-Aug):", sum(r[1] for r in rows if r[4] == "VAT payment HMRC"))
print("\n== traps ==")
po_in = sum(r[1] for r in rows if r[4] == "Stripe payout" and r[1] > 0)
print("Stripe payouts arriving in bank, total", po_in, {m: sum(r[1] for r in rows if r[4] == "Stripe payout" and r[1] > 0 and r[0].month == m) for m in (9, 10, 11)})
for m in (9, 10, 11):
    print(f"  studio card charges net month {m}:", sum(r[1] for r in rows if r[3] == STRIPE and r[4] in REVENUE and r[0].month == m))
print("dividends", sum(r[1] for r in rows if r[4] == "Dividends"), "tax pot", sum(r[1] for r in rows if r[4] == "Tax pot transfer" and r[1] > 0))
print("Shopify payouts landed (net, per month):", {m: sum(r[1] for r in rows if r[5].startswith("SHOPIFY PAYOUT") and r[0].month == m) for m in (9, 10, 11)})
print("market sales per month:", {m: sum(r[1] for r in rows if r[4] == "Market sales" and r[0].month == m) for m in (9, 10, 11)})
print("shop sales per month:", {m: sum(r[1] for r in rows if r[4] == "Shop sales" and r[0].month == m) for m in (9, 10, 11)})
print("Severn Bikes share of studio Sep-Nov revenue:", 12000, "/", sum(r[1] for r in rows if r[2] == STUDIO and (r[4] in REVENUE or r[4] in REDUCTIONS)))
