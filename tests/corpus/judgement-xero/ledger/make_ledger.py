#!/usr/bin/env python3
"""Writes xero-account-transactions.csv for judgement-xero (Penrose & Daughter) and prints
every figure expected.toml rests on. Deterministic: no randomness at all.

Columns are those of a Xero "Account Transactions" export: Date (DD/MM/YYYY), Contact,
Description, Reference, Debit (money out), Credit (money in), Account Code, Account Name,
Tracking (the business, a Xero tracking category). Amounts in GBP.

Classification used for the printed figures (by Account Name):
  revenue          Holiday Let Income, Sales (a Sales debit is a refund: less revenue)
  operating cost   Platform Fees, Cleaning, Repairs and Maintenance, Insurance,
                   Light, Power, Heating, Subscriptions, Cost of Goods Sold,
                   Postage, Freight & Courier, Advertising, Bank Fees
  cash only        VAT, Guest Deposits Held, Gift Vouchers, Drawings,
                   Director's Loan Account, Transfers
"""
import csv
import datetime as dt
import os
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "xero-account-transactions.csv")
OPENING_CASH = Decimal("6500.00")
GR, PP = "Gull's Rest", "Penrose Prints"

CODES = {
    "Holiday Let Income": "210", "Sales": "200", "Cost of Goods Sold": "310",
    "Platform Fees": "412", "Cleaning": "408", "Repairs and Maintenance": "473",
    "Insurance": "433", "Light, Power, Heating": "445", "Subscriptions": "485",
    "Postage, Freight & Courier": "425", "Advertising": "400", "Bank Fees": "404",
    "VAT": "820", "Guest Deposits Held": "825", "Gift Vouchers": "826",
    "Drawings": "880", "Director's Loan Account": "835", "Transfers": "877",
}
REVENUE = {"Holiday Let Income", "Sales"}
CASH_ONLY = {"VAT", "Guest Deposits Held", "Gift Vouchers", "Drawings",
             "Director's Loan Account", "Transfers"}

rows = []  # (date, contact, desc, ref, amount signed: + in / - out, account, tracking)


def D(x):
    return Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def add(date, contact, desc, ref, amount, account, tracking):
    rows.append((date, contact, desc, ref, D(amount), account, tracking))


def d(s):
    return dt.date(2026, int(s[3:5]), int(s[0:2]))


# ------------------------------------------------------------------ Gull's Rest stays
# (check-in dd/mm, nights, channel, guest for direct bookings)
STAYS = [
    ("01/09", 3, "Airbnb", None), ("04/09", 3, "Direct", "J. Trevithick"),
    ("07/09", 4, "Airbnb", None), ("11/09", 2, "Airbnb", None),
    ("14/09", 5, "Direct", "A. Okafor"), ("19/09", 3, "Airbnb", None),
    ("22/09", 3, "Airbnb", None), ("25/09", 2, "Direct", "R. Hale"),
    ("27/09", 3, "Airbnb", None),
    ("02/10", 3, "Airbnb", None), ("09/10", 2, "Direct", "P. Nair"),
    ("16/10", 4, "Airbnb", None), ("20/10", 2, "Airbnb", None),
    ("23/10", 2, "Airbnb", None), ("26/10", 5, "Direct", "K. Lawson"),
    ("13/11", 2, "Airbnb", None), ("27/11", 2, "Direct", "S. Pascoe"),
]
stay_stats = defaultdict(lambda: {"stays": 0, "nights": 0, "gross": Decimal(0),
                                  "airbnb": 0, "direct": 0})
airbnb_n = 0
for i, (ci, nights, chan, guest) in enumerate(STAYS, 1):
    start = d(ci)
    end = start + dt.timedelta(days=nights)
    gross = sum(Decimal(165) if (start + dt.timedelta(days=k)).weekday() in (4, 5)
                else Decimal(145) for k in range(nights))
    vat = D(gross / 6)
    net = gross - vat
    span = f"{start:%d/%m}-{end:%d/%m}"
    m = start.month
    st = stay_stats[m]
    st["stays"] += 1
    st["nights"] += nights
    st["gross"] += gross
    if chan == "Airbnb":
        airbnb_n += 1
        st["airbnb"] += 1
        pay = start + dt.timedelta(days=1)
        ref = f"HM{4817 + airbnb_n * 37}"
        add(pay, "Airbnb", f"Airbnb payout - stay {span} ({nights} nights)", ref, net,
            "Holiday Let Income", GR)
        add(pay, "Airbnb", f"Airbnb payout - VAT on stay {span}", ref, vat, "VAT", GR)
        add(pay, "Airbnb", f"Airbnb host service fee 15% - stay {span}", ref,
            -D(gross * Decimal("0.15")), "Platform Fees", GR)
    else:
        st["direct"] += 1
        ref = f"GR-DIR-{i:02d}"
        add(start, guest, f"Direct booking {span} ({nights} nights) - bank transfer", ref,
            net, "Holiday Let Income", GR)
        add(start, guest, f"VAT on direct booking {span}", ref, vat, "VAT", GR)
        add(start, guest, f"Damage deposit held - {guest}", ref, 200, "Guest Deposits Held", GR)
        ret = end + dt.timedelta(days=3)
        if ret <= dt.date(2026, 11, 30):
            add(ret, guest, f"Damage deposit returned - {guest}", ref, -200,
                "Guest Deposits Held", GR)
    # cleaner per changeover, paid on check-out day; one row mis-tagged "Gulls Rest"
    track = "Gulls Rest" if ci == "20/10" else GR
    add(end, "Tamsin Hocking", f"Changeover clean {span}", f"TH-{i:03d}", -45, "Cleaning", track)

# Gull's Rest fixed costs
for m, power in ((9, "138.20"), (10, "164.75"), (11, "121.40")):
    add(dt.date(2026, m, 3), "Coastline Insurance", "Holiday let insurance - monthly", f"CI-{m:02d}",
        "-72.40", "Insurance", GR)
    add(dt.date(2026, m, 12), "Octopus Energy", "Electricity - Gull's Rest", f"OE-{m:02d}",
        "-" + power, "Light, Power, Heating", GR)
    add(dt.date(2026, m, 1), "Lodgify", "Channel manager subscription", f"LG-{m:02d}",
        "-29.00", "Subscriptions", GR)
    add(dt.date(2026, m, 28), "Morwenna Penrose", "Drawings - Gull's Rest", f"DRW-GR-{m:02d}",
        -1800, "Drawings", GR)
add(d("18/09"), "Trewin Hardware", "Key safe and bulbs", "TW-2291", "-85.00",
    "Repairs and Maintenance", GR)
add(d("14/10"), "Kernow Heating Ltd", "Boiler replacement - combi boiler supplied and fitted",
    "INV-KH-0412", "-3200.00", "Repairs and Maintenance", GR)
add(d("25/09"), "Morwenna Penrose", "Director's loan to company", "DLA-01", 5000,
    "Director's Loan Account", GR)
add(d("20/11"), "Morwenna Penrose", "Director's loan repayment", "DLA-02", -1000,
    "Director's Loan Account", GR)
add(d("02/11"), "Penrose Prints", "Transfer to Prints account for Christmas stock", "TRF-0211",
    -1500, "Transfers", GR)
add(d("02/11"), "Gull's Rest", "Transfer from Gull's Rest account", "TRF-0211", 1500,
    "Transfers", PP)

# ------------------------------------------------------------------ Penrose Prints
WEEKS = [("07/09", 420), ("14/09", 384), ("21/09", 456), ("28/09", 408),
         ("05/10", 468), ("12/10", 516), ("19/10", 492), ("26/10", 564),
         ("02/11", 708), ("09/11", 816), ("16/11", 924), ("23/11", 1056), ("30/11", 1188)]
for day, gross in WEEKS:
    g = Decimal(gross)
    ref = f"ETSY-{day[3:5]}{day[0:2]}"
    add(d(day), "Etsy", f"Etsy payout - sales week to {day}", ref, g - g / 6, "Sales", PP)
    add(d(day), "Etsy", f"Etsy payout - VAT on sales week to {day}", ref, g / 6, "VAT", PP)
    add(d(day), "Etsy", f"Etsy fees (transaction, processing, listing) week to {day}", ref,
        -D(g * Decimal("0.115")), "Platform Fees", PP)
# refund to an Etsy buyer (print damaged in the post)
add(d("10/11"), "Etsy", "Refund to Etsy buyer - order 3187 damaged in post", "ETSY-R3187",
    "-30.00", "Sales", PP)
add(d("10/11"), "Etsy", "VAT on refund - order 3187", "ETSY-R3187", "-6.00", "VAT", PP)
for day, amt in (("15/09", "208.40"), ("29/09", "214.60"), ("13/10", "236.80"),
                 ("27/10", "271.20"), ("03/11", "486.50"), ("17/11", "702.30")):
    add(d(day), "Kernow Print Lab", "Giclee prints and mounts", f"KPL-{day[3:5]}{day[0:2]}",
        "-" + amt, "Cost of Goods Sold", PP)
for day, amt in (("11/09", "44.60"), ("25/09", "51.80"), ("09/10", "57.30"), ("23/10", "60.90"),
                 ("06/11", "98.40"), ("20/11", "163.40")):
    add(d(day), "Royal Mail", "Click & Drop postage", f"RM-{day[3:5]}{day[0:2]}",
        "-" + amt, "Postage, Freight & Courier", PP)
for m, ads in ((9, "35.00"), (10, "48.00"), (11, "92.00")):
    add(dt.date(2026, m, 2), "Adobe", "Creative Cloud Photography plan", f"AD-{m:02d}",
        "-19.97", "Subscriptions", PP)
    add(dt.date(2026, m, 30), "Etsy", "Etsy Ads", f"EA-{m:02d}", "-" + ads, "Advertising", PP)
    add(dt.date(2026, m, 28), "Morwenna Penrose", "Drawings - Penrose Prints", f"DRW-PP-{m:02d}",
        -600, "Drawings", PP)
for day, who, amt in (("16/11", "L. Carne", 100), ("23/11", "Mrs D. Rowe", 75),
                      ("28/11", "Truro Christmas Market (SumUp)", 175)):
    add(d(day), who, "Christmas gift voucher sold", f"GV-{day[3:5]}{day[0:2]}", amt,
        "Gift Vouchers", PP)
# VAT return for the quarter to 30/09/2026 (Jul-Sep), paid 05/11, one payment split by business
add(d("05/11"), "HMRC", "VAT return Q/E 30/09/2026", "VAT-Q3-2026", "-1287.40", "VAT", GR)
add(d("05/11"), "HMRC", "VAT return Q/E 30/09/2026", "VAT-Q3-2026", "-356.20", "VAT", PP)
# a bank fee with no tracking
add(d("30/09"), "Lloyds Bank", "International payment fee", "", "-12.00", "Bank Fees", "")

rows.sort(key=lambda r: (r[0], r[6], r[3], r[2]))

with open(OUT, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Contact", "Description", "Reference", "Debit", "Credit",
                "Account Code", "Account Name", "Tracking"])
    for date, contact, desc, ref, amt, acct, track in rows:
        w.writerow([date.strftime("%d/%m/%Y"), contact, desc, ref,
                    f"{-amt:.2f}" if amt < 0 else "", f"{amt:.2f}" if amt > 0 else "",
                    CODES[acct], acct, track])

# ------------------------------------------------------------------ figures
MONTHS = (9, 10, 11)
MN = {9: "Sep", 10: "Oct", 11: "Nov"}


def fm(x):
    return f"{x:,.2f}"


def tot(pred):
    s = Decimal(0)
    for r in rows:
        if pred(r):
            s += r[4]
    return s


print(f"wrote {OUT}: {len(rows)} rows, opening cash {fm(OPENING_CASH)} on 01/09/2026\n")
print("STAYS by month:")
for m in MONTHS:
    st = stay_stats[m]
    days = 30 if m in (9, 11) else 31
    print(f"  {MN[m]}: {st['stays']} stays ({st['airbnb']} Airbnb, {st['direct']} direct), "
          f"{st['nights']} nights of {days} = {100 * st['nights'] / days:.1f}% occupancy, "
          f"guest price incl VAT {fm(st['gross'])}, avg nightly {fm(st['gross'] / st['nights'])}")

for label, track in (("GULL'S REST (Tracking = Gull's Rest only)", {GR}),
                     ("GULL'S REST incl the 'Gulls Rest' row", {GR, "Gulls Rest"}),
                     ("PENROSE PRINTS", {PP}),
                     ("UNASSIGNED (blank + Gulls Rest)", {"", "Gulls Rest"}),
                     ("GROUP (every row)", {GR, PP, "", "Gulls Rest"})):
    print(f"\n{label}")
    T = {"rev": 0, "cost": 0, "fees": 0}
    for m in MONTHS:
        inm = lambda r, m=m: r[0].month == m and r[6] in track
        rev = tot(lambda r: inm(r) and r[5] in REVENUE)
        cost = -tot(lambda r: inm(r) and r[5] not in REVENUE and r[5] not in CASH_ONLY)
        fees = -tot(lambda r: inm(r) and r[5] == "Platform Fees")
        T["rev"] += rev; T["cost"] += cost; T["fees"] += fees
        cats = defaultdict(Decimal)
        for r in rows:
            if inm(r) and r[5] not in REVENUE and r[5] not in CASH_ONLY:
                cats[r[5]] -= r[4]
        print(f"  {MN[m]}: revenue {fm(rev)} | costs {fm(cost)} | net {fm(rev - cost)} | "
              f"revenue net of platform fees {fm(rev - fees)}, costs without fees {fm(cost - fees)}")
        print("        costs by account: " + "; ".join(f"{k} {fm(v)}" for k, v in sorted(cats.items())))
    print(f"  Sep-Nov: revenue {fm(T['rev'])} | costs {fm(T['cost'])} | net {fm(T['rev'] - T['cost'])}"
          f" | platform fees {fm(T['fees'])}")

print("\nCASH-ONLY rows by account and business (+ in / - out):")
for acct in sorted(CASH_ONLY):
    for track in (GR, PP):
        ins = tot(lambda r: r[5] == acct and r[6] == track and r[4] > 0)
        outs = tot(lambda r: r[5] == acct and r[6] == track and r[4] < 0)
        if ins or outs:
            per = {MN[m]: fm(tot(lambda r, m=m: r[5] == acct and r[6] == track and r[0].month == m))
                   for m in MONTHS}
            print(f"  {acct:24} {track:15} in {fm(ins):>10} out {fm(-outs):>10} net {fm(ins + outs):>10}  {per}")

print("\nWRONG figures a careless tool might print (for [[absent]]):")
for m in MONTHS:
    for track in (GR, PP):
        inm = lambda r, m=m, t=track: r[0].month == m and r[6] == t
        rev = tot(lambda r: inm(r) and r[5] in REVENUE)
        allin = tot(lambda r: inm(r) and r[4] > 0)
        withvat = rev + tot(lambda r: inm(r) and r[5] == "VAT" and r[4] > 0)
        out_all = -tot(lambda r: inm(r) and r[4] < 0)
        cost = -tot(lambda r: inm(r) and r[5] not in REVENUE and r[5] not in CASH_ONLY)
        print(f"  {MN[m]} {track}: every inflow as revenue {fm(allin)}; revenue incl VAT {fm(withvat)}; "
              f"every outflow as cost {fm(out_all)}; net of all rows {fm(allin - out_all)}; "
              f"costs incl drawings {fm(cost - tot(lambda r: inm(r) and r[5] == 'Drawings'))}")

print("\nCASH at month end (opening + every row):")
bal = OPENING_CASH
for m in MONTHS:
    bal += tot(lambda r, m=m: r[0].month == m)
    print(f"  {MN[m]} 30/31: {fm(bal)}  (month movement {fm(tot(lambda r, m=m: r[0].month == m))})")
print(f"  cash at 30/11/2026: {fm(bal)}")
ops = {m: tot(lambda r, m=m: r[0].month == m and r[5] not in CASH_ONLY) for m in MONTHS}
print("  operating cash (profit rows only) by month: " + ", ".join(f"{MN[m]} {fm(v)}" for m, v in ops.items()))
print(f"  drawings per month {fm(Decimal(2400))}; group deposits held at 30/11 "
      f"{fm(tot(lambda r: r[5] == 'Guest Deposits Held'))}; vouchers owed {fm(tot(lambda r: r[5] == 'Gift Vouchers'))}; "
      f"director's loan owed {fm(tot(lambda r: r[5] == chr(68) + 'irector' + chr(39) + 's Loan Account'))}")
