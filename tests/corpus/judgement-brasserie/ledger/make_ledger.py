#!/usr/bin/env python3
"""Writes ledger/xero_export.csv for judgement-brasserie (Hollis & Vine Ltd) and prints the
true figures. Deterministic: no randomness. Debit = money out, Credit = money in (GBP)."""
import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal as D, ROUND_HALF_UP
from pathlib import Path

OPENING_CASH = D("48250.00")
BR = "The Vine Brasserie"
EV = "Vine Events"
P = D("0.01")
rows = []


def q(x):
    return D(x).quantize(P, ROUND_HALF_UP)


def add(date, contact, desc, ref, amount, code, acct, biz):
    """amount signed: + money in (Credit), - money out (Debit)."""
    amount = q(amount)
    rows.append(dict(date=date, contact=contact, desc=desc, ref=ref, amount=amount,
                     code=code, acct=acct, biz=biz))


def d(s):
    return dt.date(2026, int(s[3:5]), int(s[0:2]))


# ---- types (what each account counts as) -------------------------------------------
REV = {"Sales - Food & Drink", "Sales - Deliveroo", "Sales - Uber Eats", "Sales - Events Catering"}
CASH_ONLY = {
    "VAT": "sales_tax",
    "Staff Tips (Tronc)": "deposit",
    "Christmas Party Deposits": "prepayment",
    "Events Client Deposits": "prepayment",
    "Rent Deposit": "deposit",
    "Dividends": "owner_draw",
    "Bounce Back Loan": "loan_principal",
    "Inter-account Transfer": "transfer",
    "Plant & Equipment": "asset_purchase",
}

# ---- The Vine Brasserie: daily card takings (closed Mondays), settled next day ---------
BASE = {0: None, 1: 2300, 2: 2450, 3: 2900, 4: 5150, 5: 5600, 6: 3350}  # weekday -> gross takings
MONTH_F = {9: D("1.00"), 10: D("0.96"), 11: D("1.07")}
day = dt.date(2026, 9, 1)
i = 0
while day <= dt.date(2026, 11, 29):
    wd = day.isoweekday() % 7  # Sun=0? isoweekday Mon=1..Sun=7 -> Sun=0
    # map: Mon=1 closed
    if day.isoweekday() != 1:
        base = {2: 2300, 3: 2450, 4: 2900, 5: 5150, 6: 5600, 7: 3350}[day.isoweekday()]
        wobble = D((i * 37) % 11 - 5) / D(100)  # -5%..+5%, deterministic
        gross = q(D(base) * MONTH_F[day.month] * (1 + wobble))
        net = q(gross / D("1.2"))
        vat = gross - net
        tips = q(gross * D("0.055"))
        fee = q((gross + tips) * D("0.014"))
        sd = day + dt.timedelta(days=1)
        ref = "DOJO-" + sd.strftime("%d%m")
        lbl = day.strftime("%a %d/%m")
        add(sd, "Dojo", f"Card takings {lbl} (net of VAT)", ref, net, "200", "Sales - Food & Drink", BR)
        add(sd, "Dojo", f"Output VAT on card takings {lbl}", ref, vat, "820", "VAT", BR)
        add(sd, "Dojo", f"Card tips collected {lbl}", ref, tips, "835", "Staff Tips (Tronc)", BR)
        add(sd, "Dojo", f"Dojo card fees {lbl}", ref, -fee, "405", "Card Terminal Fees", BR)
        i += 1
    day += dt.timedelta(days=1)

# ---- Deliveroo / Uber Eats weekly payouts (Mondays), net of 30% commission -----------
DELIV = [1810, 1745, 1920, 1690, 1655, 1580, 1720, 1640, 1775, 1830, 1905, 2010, 2140]
UBER = [905, 880, 940, 860, 830, 790, 845, 810, 870, 915, 950, 1010, 1060]
mon = dt.date(2026, 9, 7)
for w in range(13):
    pd_ = mon + dt.timedelta(days=7 * w)
    if pd_ > dt.date(2026, 11, 30):
        break
    wk = (pd_ - dt.timedelta(days=7)).strftime("%d/%m")
    for plat, gross_l, code in (("Deliveroo", DELIV, "210"), ("Uber Eats", UBER, "211")):
        gross = q(gross_l[w])
        net = q(gross / D("1.2"))
        vat = gross - net
        comm = q(gross * D("0.30"))
        ref = f"{plat[:3].upper()}-{pd_.strftime('%d%m')}"
        add(pd_, plat, f"{plat} gross orders w/c {wk} (ex VAT)", ref, net, code, f"Sales - {plat}", BR)
        add(pd_, plat, f"Output VAT on {plat} orders w/c {wk}", ref, vat, "820", "VAT", BR)
        add(pd_, plat, f"{plat} commission 30% w/c {wk}", ref, -comm, "422", "Delivery Platform Commission", BR)

# ---- Brasserie suppliers (weekly / fortnightly) ---------------------------------------
for w in range(13):
    t = dt.date(2026, 9, 3) + dt.timedelta(days=7 * w)  # Thursdays
    if t > dt.date(2026, 11, 30):
        break
    f = MONTH_F[t.month]
    add(t, "Birtwistle's Butchers", f"Birtwistle's Butchers - weekly meat order", f"BB-{3100+w}", -q(D(2050 + (w % 4) * 45) * f), "310", "Cost of Sales - Food", BR)
    add(t, "New Smithfield Fresh", "New Smithfield Fresh - fruit & veg", f"NSF-{880+w}", -q(D(860 + (w % 3) * 30) * f), "310", "Cost of Sales - Food", BR)
    add(t + dt.timedelta(days=1), "Out of the Blue Fish", "Out of the Blue - fish", f"OTB-{540+w}", -q(D(690 + (w % 2) * 55) * f), "310", "Cost of Sales - Food", BR)
    if w % 2 == 0:
        add(t + dt.timedelta(days=-1), "Boutinot Wines", "Boutinot - wine order", f"BW-{7700+w}", -q(D(2380) * f), "311", "Cost of Sales - Drink", BR)
        add(t + dt.timedelta(days=-1), "Marble Beers", "Marble - cask & keg", f"MB-{410+w}", -q(D(790) * f), "311", "Cost of Sales - Drink", BR)

# ---- Brasserie overheads ---------------------------------------------------------------
for m in (9, 10, 11):
    add(dt.date(2026, m, 1), "Jackson Row Estates", f"Rent - {dt.date(2026, m, 1):%B}", f"RENT-{m:02d}", -D("6500"), "469", "Rent", BR)
    add(dt.date(2026, m, 8), "British Gas Business", "Gas & electricity", f"BG-{m:02d}", -D({9: 1340, 10: 1415, 11: 1560}[m]), "445", "Light, Power, Heating", BR)
    add(dt.date(2026, m, 9), "United Utilities", "Water", f"UU-{m:02d}", -D("285.40"), "445", "Light, Power, Heating", BR)
    add(dt.date(2026, m, 12), "Johnsons Stalbridge", "Linen hire", f"JS-{m:02d}", -D("418.60"), "429", "General Expenses", BR)
    add(dt.date(2026, m, 14), "Hiscox", "Insurance - premises & liability", f"HX-{m:02d}", -D("312.00"), "433", "Insurance", BR)
    add(dt.date(2026, m, 15), "Lightspeed", "Lightspeed EPOS subscription", f"LS-{m:02d}", -D("129.00"), "485", "Subscriptions", BR)
    add(dt.date(2026, m, 15), "ResDiary", "ResDiary bookings subscription", f"RD-{m:02d}", -D("89.00"), "485", "Subscriptions", BR)
    add(dt.date(2026, m, 20), "Clarke Accountancy", "Bookkeeping & payroll bureau", f"CA-{m:02d}", -D("450.00"), "412", "Accountancy", BR)
    add(dt.date(2026, m, 28), "NatWest", "Bank charges", f"NW-{m:02d}", -D("42.50"), "404", "Bank Fees", BR)
    add(dt.date(2026, m, 27), "Rentokil", "Pest control contract", f"RK-{m:02d}", -D("96.00"), "473", "Repairs and Maintenance", BR)
add(d("17/09"), "Cool Breeze Refrigeration", "Walk-in fridge callout - compressor tripping", "CBR-2211", -D("185.00"), "473", "Repairs and Maintenance", BR)
add(d("06/10"), "Cool Breeze Refrigeration", "Walk-in fridge compressor replaced (capital)", "CBR-2240", -D("4200.00"), "710", "Plant & Equipment", BR)
add(d("02/11"), "Fresh Print Manchester", "Christmas menus & flyers", "FPM-118", -D("265.00"), "400", "Advertising", BR)
add(d("23/10"), "Meta Platforms", "Instagram ads - Christmas parties", "META-1023", -D("150.00"), "400", "Advertising", BR)
add(d("16/11"), "Meta Platforms", "Instagram ads - Christmas parties", "META-1116", -D("200.00"), "400", "Advertising", BR)

# Rent deposit top-up on lease renewal
add(d("01/10"), "Jackson Row Estates", "Rent deposit top-up on lease renewal (held by landlord)", "RENT-DEP", -D("3250.00"), "620", "Rent Deposit", BR)

# ---- Payroll: net pay on the last Friday; tips of the month before paid out through payroll
PAY = {9: (d("25/09"), D("25640.00"), D("2050.00")),
       10: (d("30/10"), D("25285.00"), D("2050.00")),
       11: (d("27/11"), D("26410.00"), D("2050.00"))}
tips_by_month = defaultdict(D)
for r in rows:
    if r["acct"] == "Staff Tips (Tronc)":
        tips_by_month[r["date"].month] += r["amount"]
AUG_TIPS = D("4310.00")
for m, (pdate, br_net, ev_net) in PAY.items():
    add(pdate, "Staff payroll", f"Net wages {pdate:%B} (BrightPay)", f"PAY-{m:02d}", -br_net, "477", "Wages and Salaries", BR)
    add(pdate, "Staff payroll", f"Net wages {pdate:%B} - events coordinator (BrightPay)", f"PAY-{m:02d}", -ev_net, "477", "Wages and Salaries", EV)
    tips_out = AUG_TIPS if m == 9 else tips_by_month[m - 1]
    add(pdate, "Staff payroll", f"Tronc - {dt.date(2026, m-1, 1):%B} card tips paid out via payroll", f"PAY-{m:02d}", -tips_out, "835", "Staff Tips (Tronc)", BR)
for m in (9, 10, 11):
    pdate = dt.date(2026, m, 22)
    if m == 9:
        br_p, ev_p = D("7860.00"), D("610.00")
    else:
        br_p, ev_p = q(PAY[m - 1][1] * D("0.31")), q(PAY[m - 1][2] * D("0.30"))
    add(pdate, "HMRC", f"PAYE/NI for {dt.date(2026, m-1, 1):%B}", f"HMRC-P{m-1:02d}", -br_p, "814", "PAYE & NIC", BR)
    add(pdate, "HMRC", f"PAYE/NI for {dt.date(2026, m-1, 1):%B} - events", f"HMRC-P{m-1:02d}", -ev_p, "814", "PAYE & NIC", EV)

# ---- VAT quarter to 30 Sep paid in November (whole company, paid from the brasserie account)
add(d("06/11"), "HMRC", "VAT return Jul-Sep 2026", "VAT-Q3", -D("38642.17"), "820", "VAT", BR)

# ---- Christmas party deposits (£20 a head, for December bookings) -----------------------
XMAS = [("12/10", "Pollard & Co", "04/12", 24), ("19/10", "Ancoats Dental", "11/12", 18),
        ("27/10", "Hemsley Ford", "05/12", 30), ("03/11", "Rowe Physio", "18/12", 12),
        ("09/11", "Northern Rail Ops team", "12/12", 40), ("13/11", "Kersal Rugby Club", "19/12", 36),
        ("20/11", "Trafford Vets", "10/12", 16), ("26/11", "Moss Side Library friends", "17/12", 22)]
for dd_, who, when, heads in XMAS:
    add(d(dd_), who, f"Christmas party deposit - {who} {when} ({heads} x £20)", f"XMAS-{who[:4].upper()}", D(heads * 20), "840", "Christmas Party Deposits", BR)

# ---- Dividends and the Bounce Back Loan ----------------------------------------------
for m, intr in ((9, "66.35"), (10, "64.66"), (11, "62.97")):
    add(dt.date(2026, m, 5), "J Hollis", "Director's dividend", f"DIV-{m:02d}", -D("3000.00"), "960", "Dividends", BR)
    add(dt.date(2026, m, 18), "NatWest", "Bounce Back Loan repayment - principal", f"BBL-{m:02d}", -D("812.50"), "900", "Bounce Back Loan", BR)
    add(dt.date(2026, m, 18), "NatWest", "Bounce Back Loan repayment - interest", f"BBL-{m:02d}", -D(intr), "437", "Interest Paid", BR)

# ---- Transfer from the events account to the brasserie (fridge month) -------------------
add(d("07/10"), "Vine Events account", "Transfer to Brasserie account", "TRF-1007", -D("6000.00"), "890", "Inter-account Transfer", EV)
add(d("07/10"), "Vine Events account", "Transfer from Vine Events account", "TRF-1007", D("6000.00"), "890", "Inter-account Transfer", BR)

# ---- Vine Events: invoices paid (net + VAT), event costs --------------------------------
EVENTS = [  # paid date, client, invoice, net amount, event date, covers
    ("08/09", "Brightwater Group", "INV-0403", 3150, "28/08", 90),
    ("15/09", "Northern Quarter Law", "INV-0404", 1480, "03/09", 40),
    ("24/09", "Brightwater Group", "INV-0406", 2640, "10/09", 75),
    ("29/09", "Ancoats Digital", "INV-0405", 1320, "05/09", 35),
    ("09/10", "Salford Quays Media", "INV-0408", 2250, "24/09", 60),
    ("06/10", "Castlefield Architects", "INV-0407", 2480, "17/09", 64),
    ("14/10", "Brightwater Group", "INV-0410", 2980, "01/10", 84),
    ("27/10", "Northern Quarter Law", "INV-0411", 1560, "08/10", 42),
    ("30/10", "Brightwater Group", "INV-0413", 1940, "15/10", 55),
    ("10/11", "Ancoats Digital", "INV-0414", 1380, "22/10", 38),
    ("13/11", "Brightwater Group", "INV-0416", 2610, "29/10", 74),
    ("24/11", "Salford Quays Media", "INV-0417", 2190, "06/11", 58),
]
UNPAID = [  # invoiced, not paid by 30/11: costs incurred, no receipt yet
    (None, "Castlefield Architects", "INV-0412", 3000, "02/10", 100),  # £3,600 incl VAT, due 16/10
    (None, "Brightwater Group", "INV-0420", 1650, "12/11", 45),        # due 12/12
]
for paid, who, inv, net, ev, cov in EVENTS + UNPAID:
    net = D(net)
    if paid:
      add(d(paid), who, f"{who} - {inv} event {ev} ({cov} covers)", inv, net, "205", "Sales - Events Catering", EV)
      add(d(paid), who, f"Output VAT {inv}", inv, q(net * D("0.2")), "820", "VAT", EV)
    evd = d(ev)
    if evd >= dt.date(2026, 9, 1):
        add(evd - dt.timedelta(days=1), "Booker Wholesale", f"Event food & disposables - {who} {ev}", f"BK-{inv[-3:]}", -q(net * D("0.29")), "320", "Cost of Sales - Events", EV)
        add(evd, "ShiftPro Staffing", f"Event waiting staff - {who} {ev}", f"SP-{inv[-3:]}", -q(D(cov) * D("11.50")), "321", "Event Staff (agency)", EV)
        add(evd, "Northgate Van Hire", f"Van hire - {who} {ev}", f"NVH-{inv[-3:]}", -D("95.00"), "449", "Motor Vehicle Expenses", EV)
for m in (9, 10, 11):
    add(dt.date(2026, m, 3), "Nisbets", "Catering kit hire/replacement", f"NIS-{m:02d}", -D({9: 140, 10: 85, 11: 210}[m]), "429", "General Expenses", EV)
    add(dt.date(2026, m, 14), "Hiscox", "Outside catering liability insurance", f"HXE-{m:02d}", -D("96.00"), "433", "Insurance", EV)
add(d("18/11"), "Brightwater Group", "Brightwater Group - deposit for Christmas lunch 10/12 (INV-0422)", "INV-0422", D("1500.00"), "845", "Events Client Deposits", EV)

# ---- write -----------------------------------------------------------------------------
rows.sort(key=lambda r: (r["date"], r["biz"], r["ref"], r["acct"]))
out = Path(__file__).resolve().parent / "xero_export.csv"
with out.open("w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["Date", "Contact", "Description", "Reference", "Debit", "Credit", "Account Code", "Account Name", "Business"])
    for r in rows:
        a = r["amount"]
        w.writerow([r["date"].strftime("%d/%m/%Y"), r["contact"], r["desc"], r["ref"],
                    f"{-a:.2f}" if a < 0 else "", f"{a:.2f}" if a > 0 else "", r["code"], r["acct"], r["biz"]])
print(f"wrote {out.name}: {len(rows)} rows")


# ---- figures ---------------------------------------------------------------------------
def fmt(x):
    return f"{x:,.2f}"


agg = defaultdict(lambda: defaultdict(D))
for r in rows:
    m = r["date"].month
    t = CASH_ONLY.get(r["acct"])
    key = (r["biz"], m)
    if t:
        agg[key][f"{t}:{r['acct']}:{'in' if r['amount'] > 0 else 'out'}"] += r["amount"]
    elif r["acct"] in REV:
        agg[key]["revenue"] += r["amount"]
        agg[key][f"rev:{r['acct']}"] += r["amount"]
    else:
        agg[key]["costs"] += -r["amount"]
        agg[key][f"cost:{r['acct']}"] += -r["amount"]
    agg[key]["cash_change"] += r["amount"]

cash = OPENING_CASH
print(f"\nOpening cash 01/09/2026: {fmt(OPENING_CASH)}")
tot = defaultdict(lambda: defaultdict(D))
for m in (9, 10, 11):
    print(f"\n=== {dt.date(2026, m, 1):%B %Y} ===")
    gm = D(0)
    for biz in (BR, EV):
        a = agg[(biz, m)]
        net = a["revenue"] - a["costs"]
        print(f"  {biz}: revenue {fmt(a['revenue'])}  operating costs {fmt(a['costs'])}  net {fmt(net)}  cash change {fmt(a['cash_change'])}")
        for k in sorted(a):
            if ":" in k:
                print(f"      {k:55s} {fmt(a[k])}")
        for k, v in a.items():
            tot[biz][k] += v
        gm += a["cash_change"]
    cash += gm
    print(f"  group cash change {fmt(gm)}; closing cash {fmt(cash)}")
print("\n=== Sep-Nov totals ===")
for biz in (BR, EV):
    a = tot[biz]
    print(f"  {biz}: revenue {fmt(a['revenue'])} costs {fmt(a['costs'])} net {fmt(a['revenue'] - a['costs'])}")
    for k in sorted(a):
        if ":" in k:
            print(f"      {k:55s} {fmt(a[k])}")
print(f"Closing cash 30/11/2026: {fmt(cash)}")
evrev = defaultdict(D)
for r in rows:
    if r["acct"] == "Sales - Events Catering":
        evrev[r["contact"]] += r["amount"]
allev = sum(evrev.values())
print("\nEvents revenue by client (Sep-Nov):")
for k, v in sorted(evrev.items(), key=lambda kv: -kv[1]):
    print(f"  {k:25s} {fmt(v)}  {v / allev * 100:.1f}%")
print("Christmas deposits: ", sum(h for *_, h in XMAS), "heads", fmt(sum(D(h * 20) for *_, h in XMAS)))
print("Tips by month collected:", {k: fmt(v) for k, v in tips_by_month.items()})
