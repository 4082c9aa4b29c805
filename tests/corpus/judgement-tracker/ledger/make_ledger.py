#!/usr/bin/env python3
"""Write ledger/transactions.csv for the Saltmarsh Stays workspace and print every total
that expected.toml rests on.

Saltmarsh Stays: two holiday lets (Dune Cottage, The Boathouse), one long let (Harbour
Flat) and the management company (Saltmarsh Stays Ltd) that takes transfers up from the
properties, pays the ops manager, the accountant, the channel manager and Priya's dividends.

One row per bank line; columns date, amount, entity, account, category, memo. Dates are UK
day first (dd/mm/yyyy), amounts in pounds and pence, signed (money in positive).

How rows are classified (by category) for the figures printed below:

  revenue   Airbnb payouts (NET of Airbnb's 15.5% host-only fee: the fee never appears as a
            row), Booking.com payouts (gross: Booking.com's commission is invoiced and
            direct-debited separately the month after check-out), Direct bookings, Rent
            received.
  cost      everything operating: cleaning, linen, utilities, broadband, hot tub service,
            repairs, insurance (the 1,200.00 annual premium counts in September, cash basis;
            the accrual reading, 100.00 a month, is printed too), Booking.com commission,
            mortgage INTEREST, service charge, wages, accountancy, software, bank charges.
  neither   Damage deposit held / Damage deposit returned (guests' money), Intercompany
            transfer (nets to zero across the group), Dividends (owner's return, not a cost),
            Mortgage capital (repays the loan), Renovation - Boathouse (capital improvement:
            printed both ways, as capital and as a cost, because both readings are accepted).
"""

import csv
import os
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")

D = Decimal
P = D("0.01")

DUNE, BOAT, FLAT, LTD = "Dune Cottage", "The Boathouse", "Harbour Flat", "Saltmarsh Stays Ltd"
ACCT = {
    DUNE: "Starling - Dune Cottage",
    BOAT: "Starling - Boathouse",
    FLAT: "Monzo - Harbour Flat",
    LTD: "Tide - Saltmarsh Stays Ltd",
}

REVENUE = {"Airbnb payouts", "Booking.com payouts", "Direct bookings", "Rent received"}
NEITHER = {"Damage deposit held", "Damage deposit returned", "Intercompany transfer",
           "Dividends", "Mortgage capital"}
CAPITAL = "Renovation - Boathouse"

rows = []


def add(d, amount, entity, category, memo):
    rows.append((d, D(amount).quantize(P), entity, ACCT[entity], category, memo))


def q(x):
    return D(x).quantize(P, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- bookings
# (entity, check-in, nights, channel, nightly rate, cleaning fee, guest surname)
bookings = [
    # Dune Cottage: cleaning fee 60.00 to 31 Oct, 75.00 from 1 Nov (SAL-38)
    (DUNE, date(2026, 9, 1), 4, "airbnb", 150, 60, "Holt"),
    (DUNE, date(2026, 9, 5), 3, "booking", 150, 60, "Verhoeven"),
    (DUNE, date(2026, 9, 9), 4, "airbnb", 150, 60, "Marsh"),
    (DUNE, date(2026, 9, 14), 3, "direct", 150, 60, "Pengelly"),
    (DUNE, date(2026, 9, 18), 3, "airbnb", 150, 60, "Adeyemi"),
    (DUNE, date(2026, 9, 21), 4, "airbnb", 150, 60, "Collins"),
    (DUNE, date(2026, 9, 25), 3, "booking", 150, 60, "Schultz"),
    (DUNE, date(2026, 10, 2), 3, "airbnb", 130, 60, "Baines"),
    (DUNE, date(2026, 10, 6), 4, "airbnb", 130, 60, "Nowak"),
    (DUNE, date(2026, 10, 10), 2, "booking", 130, 60, "Lindqvist"),
    (DUNE, date(2026, 10, 16), 3, "airbnb", 130, 60, "Rahman"),
    (DUNE, date(2026, 10, 20), 4, "direct", 130, 60, "Trevithick"),
    (DUNE, date(2026, 10, 24), 7, "airbnb", 150, 60, "O'Connell"),   # half-term week
    (DUNE, date(2026, 11, 6), 3, "airbnb", 115, 75, "Whitlock"),     # the cold hot tub stay
    (DUNE, date(2026, 11, 13), 2, "booking", 115, 75, "Janssen"),
    (DUNE, date(2026, 11, 20), 3, "airbnb", 115, 75, "Barker"),
    (DUNE, date(2026, 11, 27), 3, "direct", 115, 75, "Moyle"),      # deposit still held 30 Nov
    # The Boathouse: cleaning fee 80.00; closed for renovation 2 Nov - 15 Dec (no stays)
    (BOAT, date(2026, 9, 2), 5, "airbnb", 185, 80, "Fairbrother"),
    (BOAT, date(2026, 9, 8), 3, "booking", 185, 80, "Dubois"),
    (BOAT, date(2026, 9, 12), 4, "airbnb", 185, 80, "Kaur"),
    (BOAT, date(2026, 9, 18), 3, "airbnb", 185, 80, "Whelan"),
    (BOAT, date(2026, 9, 23), 4, "direct", 185, 80, "Penrose"),
    (BOAT, date(2026, 9, 27), 3, "booking", 185, 80, "Andersen"),
    (BOAT, date(2026, 10, 3), 3, "airbnb", 160, 80, "Griffiths"),
    (BOAT, date(2026, 10, 9), 4, "booking", 160, 80, "Moreau"),
    (BOAT, date(2026, 10, 17), 3, "airbnb", 160, 80, "Tremayne"),
    (BOAT, date(2026, 10, 24), 7, "direct", 185, 80, "Hocking"),    # half-term, deposit back 3 Nov
]
DEPOSIT = {DUNE: D("150.00"), BOAT: D("200.00")}

HM = ["HM4KX29DPQ", "HMZ8T3RWNA", "HMC2P7LQEV", "HMR5N1XJKD", "HMB9W4TFYS", "HMQ6H2DMCZ",
      "HMJ3V8GPLA", "HMT7K5ZRWE", "HMX1D6NQBU", "HMP4G9SVTH", "HME2L7CYMR", "HMW8R3AKJF",
      "HMN5F1PUXD", "HMD9Q4BHZL", "HMK6S2EWTV"]
hm = iter(HM)
BREF = iter(["4127739018", "4193302274", "4218870635", "4265519407", "4301176852",
             "4357720419", "4388046521"])

booking_commission_base = defaultdict(D)   # (entity, checkout month) -> gross
stay_count = defaultdict(int)               # (entity, month of check-in) -> changeovers
nights = defaultdict(int)
channel_count = defaultdict(int)
channel_rev = defaultdict(D)

for ent, ci, n, ch, rate, clean, guest in bookings:
    co = ci + timedelta(days=n)
    gross = D(n * rate + clean)
    stay_count[(ent, ci.month)] += 1
    nights[(ent, ci.month)] += n
    channel_count[(ent, ch)] += 1
    span = f"{ci.day}-{co.day} {co.strftime('%b')}"
    if ch == "airbnb":
        payout = q(gross * D("0.845"))
        add(ci + timedelta(days=1), payout, ent, "Airbnb payouts", f"Airbnb payout {next(hm)}")
        channel_rev[(ent, ch)] += payout
    elif ch == "booking":
        add(co + timedelta(days=1), gross, ent, "Booking.com payouts",
            f"Booking.com payout res {next(BREF)}")
        booking_commission_base[(ent, co.month)] += gross
        channel_rev[(ent, ch)] += gross
    else:
        paid = ci - timedelta(days=10)
        add(paid, gross, ent, "Direct bookings", f"Direct booking {guest} {span}")
        add(paid, DEPOSIT[ent], ent, "Damage deposit held", f"Damage deposit {guest} {span}")
        back = co + timedelta(days=3)
        if back <= date(2026, 11, 30):
            add(back, -DEPOSIT[ent], ent, "Damage deposit returned",
                f"Deposit returned {guest} - no damage")
        channel_rev[(ent, ch)] += gross

# Booking.com commission: 15% of gross by check-out month, direct debit on the 12th of the
# next month. August stays (before the ledger) were invoiced in September.
add(date(2026, 9, 12), "-96.00", DUNE, "Booking.com commission", "Booking.com commission Aug 2026")
add(date(2026, 9, 12), "-138.75", BOAT, "Booking.com commission", "Booking.com commission Aug 2026")
for (ent, m), base in sorted(booking_commission_base.items()):
    if m >= 11:
        continue   # November's check-outs are invoiced in December
    amt = q(base * D("0.15"))
    memo = f"Booking.com commission {date(2026, m, 1).strftime('%b')} 2026"
    if ent == DUNE and m == 10:
        amt += D("41.40")   # SAL-53: charged on a cancelled October booking, disputed
        memo += " (incl. res 4240051183 cancelled)"
    add(date(2026, m + 1, 12), -amt, ent, "Booking.com commission", memo)

# ---------------------------------------------------------------- Dune Cottage costs
clean_rate = {9: 55, 10: 55, 11: 65}   # Tidewater up from 55 to 65 a clean from 1 Nov
for m, day in ((9, 30), (10, 30), (11, 30)):
    k = stay_count[(DUNE, m)]
    add(date(2026, m, day), -D(k * clean_rate[m]), DUNE, "Cleaning",
        f"Tidewater Cleaning - {k} changeovers")
    add(date(2026, m, 28), -D(k * 18), DUNE, "Linen hire", f"Coastal Linen - {k} sets")
for m, amt in ((9, "168.40"), (10, "189.20"), (11, "231.75")):
    add(date(2026, m, 15), "-" + amt, DUNE, "Utilities", "EDF Energy DD")
for m in (9, 10, 11):
    add(date(2026, m, 5), "-42.10", DUNE, "Utilities", "South West Water DD")
    add(date(2026, m, 20), "-38.00", DUNE, "Broadband", "BT Business broadband")
    add(date(2026, m, 8), "-65.00", DUNE, "Hot tub service", "AquaCare monthly hot tub service")
add(date(2026, 9, 1), "-1200.00", DUNE, "Insurance",
    "Schofields holiday let insurance 2026-27 annual premium")
add(date(2026, 11, 17), "-385.00", DUNE, "Repairs & maintenance",
    "AquaCare - hot tub heater element replaced")
for d, amt in ((date(2026, 9, 30), "3000.00"), (date(2026, 10, 30), "2500.00"),
               (date(2026, 11, 27), "1000.00")):
    add(d, "-" + amt, DUNE, "Intercompany transfer", "Transfer to Saltmarsh Stays Ltd")
    add(d, amt, LTD, "Intercompany transfer", "Transfer from Dune Cottage")

# ---------------------------------------------------------------- The Boathouse costs
for m, day in ((9, 30), (10, 30)):
    k = stay_count[(BOAT, m)]
    add(date(2026, m, day), -D(k * 75), BOAT, "Cleaning", f"Tidewater Cleaning - {k} changeovers")
    add(date(2026, m, 28), -D(k * 22), BOAT, "Linen hire", f"Coastal Linen - {k} sets")
for m, amt in ((9, "142.30"), (10, "156.85"), (11, "98.60")):
    add(date(2026, m, 15), "-" + amt, BOAT, "Utilities", "EDF Energy DD")
for m in (9, 10, 11):
    add(date(2026, m, 5), "-47.80", BOAT, "Utilities", "South West Water DD")
    add(date(2026, m, 20), "-38.00", BOAT, "Broadband", "BT Business broadband")
for m, interest in ((9, "618.32"), (10, "617.10"), (11, "615.87")):
    capital = D("1046.00") - D(interest)
    add(date(2026, m, 1), "-" + interest, BOAT, "Mortgage interest",
        "Leeds BS holiday let mortgage - interest")
    add(date(2026, m, 1), -capital, BOAT, "Mortgage capital",
        "Leeds BS holiday let mortgage - capital")
add(date(2026, 10, 19), "-4000.00", BOAT, CAPITAL, "Harlow & Sons Builders - deposit INV 2291")
add(date(2026, 11, 3), "-240.00", BOAT, CAPITAL, "Cornish Skips - 8yd skip")
add(date(2026, 11, 6), "-3284.50", BOAT, CAPITAL, "Coastline Kitchens - units and worktops")
add(date(2026, 11, 13), "-6500.00", BOAT, CAPITAL, "Harlow & Sons Builders - stage 1 INV 2318")
for d, amt in ((date(2026, 9, 30), "2500.00"), (date(2026, 10, 30), "1500.00")):
    add(d, "-" + amt, BOAT, "Intercompany transfer", "Transfer to Saltmarsh Stays Ltd")
    add(d, amt, LTD, "Intercompany transfer", "Transfer from The Boathouse")
add(date(2026, 11, 2), "-14000.00", LTD, "Intercompany transfer", "Transfer to The Boathouse - refit")
add(date(2026, 11, 2), "14000.00", BOAT, "Intercompany transfer", "Transfer from Saltmarsh Stays Ltd - refit")

# ---------------------------------------------------------------- Harbour Flat
for d in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 2)):
    add(d, "950.00", FLAT, "Rent received", "T FAIRLEY RENT HARBOUR FLAT")
for m in (9, 10, 11):
    add(date(2026, m, 10), "-22.50", FLAT, "Insurance", "Direct Line landlord insurance")
    add(date(2026, m, 3), "-800.00", FLAT, "Intercompany transfer", "Transfer to Saltmarsh Stays Ltd")
    add(date(2026, m, 3), "800.00", LTD, "Intercompany transfer", "Transfer from Harbour Flat")
add(date(2026, 10, 1), "-426.00", FLAT, "Service charge", "Quay Management Co - service charge Q4")
add(date(2026, 10, 15), "-96.00", FLAT, "Repairs & maintenance", "Spark Electrical - bathroom extractor fan")

# ---------------------------------------------------------------- Saltmarsh Stays Ltd
for m in (9, 10, 11):
    add(date(2026, m, 1), "-9.99", LTD, "Bank charges", "Tide Plus plan")
    add(date(2026, m, 5), "-150.00", LTD, "Accountancy", "Hartley & Co - monthly bookkeeping")
    add(date(2026, m, 14), "-38.00", LTD, "Software", "Lodgify channel manager")
    add(date(2026, m, 28), "-1150.00", LTD, "Wages", "Wages - D Malhotra")
add(date(2026, 9, 30), "-2500.00", LTD, "Dividends", "Dividend - P Raman")
add(date(2026, 11, 30), "-2500.00", LTD, "Dividends", "Dividend - P Raman")

# ---------------------------------------------------------------- write
rows.sort(key=lambda r: (r[0], r[2], r[4], r[5]))
with open(OUT, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for d, amt, ent, acct, cat, memo in rows:
        w.writerow([d.strftime("%d/%m/%Y"), f"{amt:.2f}", ent, acct, cat, memo])

# ---------------------------------------------------------------- totals
OPENING = {DUNE: D("4200.00"), BOAT: D("6400.00"), FLAT: D("1650.00"), LTD: D("15200.00")}


def cls(cat):
    if cat in REVENUE:
        return "revenue"
    if cat in NEITHER:
        return "neither"
    if cat == CAPITAL:
        return "capital"
    return "cost"


agg = defaultdict(D)   # (entity, month or 'all', class) -> sum (costs positive)
bycat = defaultdict(D)
for d, amt, ent, acct, cat, memo in rows:
    c = cls(cat)
    v = amt if c == "revenue" else -amt
    for m in (d.month, "all"):
        agg[(ent, m, c)] += v
        agg[("group", m, c)] += v
    bycat[(ent, cat)] += amt


def fmt(x):
    return f"{x:,.2f}"


print(f"wrote {len(rows)} rows to {OUT}\n")
print("Per business (revenue | costs excl. renovation | net | renovation | net if renovation is a cost)")
for ent in (DUNE, BOAT, FLAT, LTD, "group"):
    for m in (9, 10, 11, "all"):
        r, c, k = agg[(ent, m, "revenue")], agg[(ent, m, "cost")], agg[(ent, m, "capital")]
        print(f"  {ent:20} {str(m):4} rev {fmt(r):>10}  costs {fmt(c):>10}  net {fmt(r - c):>10}"
              f"  reno {fmt(k):>10}  net-if-cost {fmt(r - c - k):>10}")
    print()

print("Insurance accrual reading for Dune Cottage (1,200.00 spread 100.00 a month):")
for m in (9, 10, 11, "all"):
    r, c = agg[(DUNE, m, "revenue")], agg[(DUNE, m, "cost")]
    adj = D("1100.00") if m == 9 else (D("-100.00") if m in (10, 11) else D("900.00"))
    print(f"  {str(m):4} costs {fmt(c - adj)}  net {fmt(r - c + adj)}")
print()

print("By category (signed, whole period):")
for (ent, cat), v in sorted(bycat.items()):
    print(f"  {ent:20} {cat:26} {fmt(v):>11}")
print()

print("Channels (count of stays, revenue as banked):")
for ent in (DUNE, BOAT):
    tot_n = sum(channel_count[(ent, ch)] for ch in ("airbnb", "booking", "direct"))
    tot_r = sum(channel_rev[(ent, ch)] for ch in ("airbnb", "booking", "direct"))
    for ch in ("airbnb", "booking", "direct"):
        n, r = channel_count[(ent, ch)], channel_rev[(ent, ch)]
        print(f"  {ent:14} {ch:8} {n:2}/{tot_n} stays ({100 * n / tot_n:.0f}%)  "
              f"{fmt(r):>10} ({100 * r / tot_r:.0f}% of banked booking revenue)")
for ent in (DUNE, BOAT):
    for m, days in ((9, 30), (10, 31), (11, 30)):
        n = nights[(ent, m)]
        print(f"  {ent:14} nights {m:2}: {n}/{days} = {100 * n / days:.0f}%  stays {stay_count[(ent, m)]}")
print()

held = sum(v for (e, c), v in bycat.items() if c.startswith("Damage deposit"))
print(f"Damage deposits still held at 30 Nov: {fmt(held)}")
for ent in (DUNE, BOAT):
    print(f"  {ent}: held {fmt(bycat[(ent, 'Damage deposit held')])}, "
          f"returned {fmt(-bycat[(ent, 'Damage deposit returned')])}")
print(f"Dividends paid: {fmt(-bycat[(LTD, 'Dividends')])}")
print(f"Mortgage capital repaid: {fmt(-bycat[(BOAT, 'Mortgage capital')])}, "
      f"interest {fmt(-bycat[(BOAT, 'Mortgage interest')])}")
ic = sum(v for (e, c), v in bycat.items() if c == "Intercompany transfer")
print(f"Intercompany transfers net across the group: {fmt(ic)}")
print()

print(f"Opening cash 01/09/2026: {fmt(sum(OPENING.values()))}")
for ent in (DUNE, BOAT, FLAT, LTD):
    bal = OPENING[ent] + sum(r[1] for r in rows if r[2] == ent)
    low = OPENING[ent]
    run = OPENING[ent]
    for r in rows:
        if r[2] == ent:
            run += r[1]
            low = min(low, run)
    print(f"  {ent:20} opening {fmt(OPENING[ent]):>10}  closing {fmt(bal):>10}  lowest {fmt(low):>10}")
close = sum(OPENING.values()) + sum(r[1] for r in rows)
print(f"Cash at 30/11/2026: {fmt(close)}")
for m in (9, 10, 11):
    flow = sum(r[1] for r in rows if r[0].month == m)
    print(f"  net cash flow month {m}: {fmt(flow)}")
print()

# ---------------------------------------------------------------- careless readings
# The WRONG figures a careless tool would print (expected.toml's [[absent]] entries).
def s(ent, m, c):
    return agg[(ent, m, c)]


def cat_sum(ent, category, month=None):
    return sum(-r[1] for r in rows if (ent == "group" or r[2] == ent) and r[4] == category
               and (month is None or r[0].month == month))


print("Careless readings (must NOT appear):")
for ent in (DUNE, BOAT, "group"):
    for m in (11, "all"):
        mm = None if m == "all" else m
        held = -cat_sum(ent, "Damage deposit held", mm)
        ret = cat_sum(ent, "Damage deposit returned", mm)
        print(f"  deposits held as revenue  {ent:14} {str(m):4} revenue {fmt(s(ent, m, 'revenue') + held)}"
              f"  (net of returns {fmt(s(ent, m, 'revenue') + held - ret)})")
        print(f"  deposits returned as cost {ent:14} {str(m):4} costs {fmt(s(ent, m, 'cost') + ret)}"
              f"  (renovation as cost too {fmt(s(ent, m, 'cost') + ret + s(ent, m, 'capital'))})")
for ent in (LTD, "group"):
    for m in (11, "all"):
        mm = None if m == "all" else m
        dv = cat_sum(ent, "Dividends", mm)
        c = s(ent, m, "cost") + dv
        print(f"  dividends as cost  {ent:20} {str(m):4} costs {fmt(c)}  net {fmt(s(ent, m, 'revenue') - c)}"
              f"  (renovation as cost too: costs {fmt(c + s(ent, m, 'capital'))},"
              f" net {fmt(s(ent, m, 'revenue') - c - s(ent, m, 'capital'))})")
for ent in (BOAT, "group"):
    for m in (11, "all"):
        mm = None if m == "all" else m
        mc = cat_sum(ent, "Mortgage capital", mm)
        c = s(ent, m, "cost") + mc
        print(f"  mortgage capital as cost {ent:14} {str(m):4} costs {fmt(c)}  net {fmt(s(ent, m, 'revenue') - c)}"
              f"  (renovation as cost too: costs {fmt(c + s(ent, m, 'capital'))},"
              f" net {fmt(s(ent, m, 'revenue') - c - s(ent, m, 'capital'))})")
for ent in (LTD, BOAT, "group"):
    for m in (11, "all"):
        mm = None if m == "all" else m
        tin = sum(r[1] for r in rows if (ent == "group" or r[2] == ent)
                  and r[4] == "Intercompany transfer" and r[1] > 0
                  and (mm is None or r[0].month == mm))
        print(f"  transfers in as revenue {ent:20} {str(m):4} revenue {fmt(s(ent, m, 'revenue') + tin)}"
              f"  (transfers in {fmt(tin)})")
