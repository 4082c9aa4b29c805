#!/usr/bin/env python3
"""Write ledger/transactions.csv for the judgement-crm workspace (Birch & Vale Group)
and print every figure expected.toml rests on, with its arithmetic.

Pure standard library, deterministic: run it again and the CSV is byte-identical.

Columns: date, amount, entity, account, category, memo
  - US dates (MM/DD/YYYY), signed whole dollars (inflow positive)
  - entity is the business name as the bookkeeper types it (one row is left blank)

Classification used for the expected figures (see the comment at the top of
expected.toml): REVENUE, COST, or NEITHER (pass-through client media, transfers, draws,
the line of credit and its principal). Two categories are accepted both ways:
  "Deferred revenue"   (Cedar & Sage prepaying Dec-Feb in November): NEITHER by accrual,
                        REVENUE to a cash-basis reader.
  "Refunds & credits"  (Mill Creek's $500 credit): a COST, or netted out of REVENUE;
                        net is the same either way.
The blank-entity row ($89 Amazon, really the studio's) is in group costs or not.
"""
import csv
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")

DIG = "Birch & Vale Digital"
STU = "Vale Street Studio"
HOL = "Birch & Vale Holdings"

ACC_DIG = "Chase Business Checking ...4471"
ACC_STU = "Chase Business Checking ...8820"
ACC_HOL = "Chase Business Checking ...1093"

REVENUE = {"Retainer income", "Ad management fees", "Studio rental income"}
COST = {
    "Payroll", "Payroll taxes", "Contractors", "Software & subscriptions",
    "Advertising & marketing", "Rent", "Utilities", "Internet & phone", "Insurance",
    "Repairs & maintenance", "Equipment & gear", "Cleaning", "Merchant fees", "Bank fees",
    "Accounting & legal", "Licenses & fees", "Interest expense", "Supplies",
}
NEITHER = {
    "Client ad spend - rebilled", "Client ad spend - Google Ads", "Client ad spend - Meta Ads",
    "Intercompany transfer", "Partner distributions", "Line of credit draw",
    "Line of credit - principal",
}
BOTH_WAYS = {"Deferred revenue", "Refunds & credits"}

rows = []


def add(m, d, amount, entity, account, category, memo):
    rows.append((2026, m, d, int(amount), entity, account, category, memo))


MONTHS = {9: "Sep", 10: "Oct", 11: "Nov"}

# --------------------------------------------------------------------------------------
# Birch & Vale Digital: retainers and ad-management fees (invoiced on the 1st, net 15)
# --------------------------------------------------------------------------------------
# client: (retainer, mgmt fee) per month; None = not paid in that month
fees = {
    "Prairie Home Builders": {9: (3800, 2000, 12), 10: (3800, 2000, 13), 11: (3800, 2000, 12)},
    "Lakeshore Dental": {9: (2400, 900, 8), 10: (2400, 900, 7), 11: (2400, 1500, 6)},
    "Mill Creek Outfitters": {9: (1000, 1500, 10), 10: (1000, 1500, 9), 11: (1000, 1500, 10)},
    "Harlow & Finch Law": {9: (2000, 0, 18)},  # Oct INV-1187 and Nov INV-1214 unpaid
    "Northgate Fitness": {9: (1200, 600, 9), 10: (1200, 600, 8), 11: (1200, 600, 9)},
    "Redbud Veterinary": {9: (950, 0, 5), 10: (950, 0, 5), 11: (950, 0, 5)},
    "Cedar & Sage Day Spa": {9: (1200, 0, 11), 10: (1200, 0, 12), 11: (1200, 0, 11)},
    "Copperleaf Coffee Roasters": {9: (1200, 0, 15)},  # left 9/30, last retainer
}
inv = 1120
for client, months in fees.items():
    for m, (ret, mgmt, day) in months.items():
        inv += 1
        how = "Stripe" if client in ("Redbud Veterinary", "Cedar & Sage Day Spa") else "ACH"
        add(m, day, ret, DIG, ACC_DIG, "Retainer income",
            f"{client} - {MONTHS[m]} retainer INV-{inv} ({how})")
        if mgmt:
            add(m, day, mgmt, DIG, ACC_DIG, "Ad management fees",
                f"{client} - {MONTHS[m]} paid media mgmt fee INV-{inv}")

# Cedar & Sage prepays Dec, Jan, Feb in November (3 x $1,200)
add(11, 20, 3600, DIG, ACC_DIG, "Deferred revenue",
    "Cedar & Sage Day Spa - prepaid retainer Dec-Feb (3 mo) INV-1231 (Stripe)")
# Mill Creek: $500 credit on October's mgmt fee for the tracking outage, refunded by ACH
add(11, 13, -500, DIG, ACC_DIG, "Refunds & credits",
    "Mill Creek Outfitters - credit on Oct mgmt fee (conversion tracking outage)")

# --------------------------------------------------------------------------------------
# Pass-through client media: the agency pays Google/Meta, re-bills at cost next month
# --------------------------------------------------------------------------------------
# spend[client][month] = (google, meta)
spend = {
    "Prairie Home Builders": {9: (11000, 3200), 10: (11400, 3400), 11: (11600, 3500)},
    "Lakeshore Dental": {9: (6100, 0), 10: (6050, 0), 11: (5900, 2300)},
    "Mill Creek Outfitters": {9: (6300, 3000), 10: (6000, 2900), 11: (8400, 4000)},
    "Northgate Fitness": {9: (0, 2500), 10: (0, 2450), 11: (0, 2600)},
}
media_day = {9: 29, 10: 29, 11: 30}
gacct = {"Prairie Home Builders": "482-119-3307", "Lakeshore Dental": "771-204-5518",
         "Mill Creek Outfitters": "303-865-0042", "Northgate Fitness": "-"}
for client, months in spend.items():
    for m, (g, mt) in months.items():
        if g:
            add(m, media_day[m], -g, DIG, ACC_DIG, "Client ad spend - Google Ads",
                f"GOOGLE*ADS{gacct[client].replace('-', '')} - {client} {MONTHS[m]} media")
        if mt:
            add(m, media_day[m] - 1, -mt, DIG, ACC_DIG, "Client ad spend - Meta Ads",
                f"FACEBK *ADS - {client} {MONTHS[m]} media")

# rebills received: (month, day, client, media month, amount, invoice)
rebills = [
    (9, 16, "Prairie Home Builders", "Jul", 13200, "INV-1098"),
    (9, 9, "Lakeshore Dental", "Aug", 5900, "INV-1112"),
    (9, 11, "Mill Creek Outfitters", "Aug", 8700, "INV-1113"),
    (9, 10, "Northgate Fitness", "Aug", 2400, "INV-1114"),
    (10, 20, "Prairie Home Builders", "Aug", 13600, "INV-1111"),
    (10, 8, "Lakeshore Dental", "Sep", 6100, "INV-1146"),
    (10, 12, "Mill Creek Outfitters", "Sep", 9300, "INV-1147"),
    (10, 9, "Northgate Fitness", "Sep", 2500, "INV-1148"),
    # Prairie's Sep media (INV-1145, $14,200, due 10/30) is NOT paid by 11/30
    (11, 9, "Lakeshore Dental", "Oct", 6050, "INV-1196"),
    (11, 12, "Mill Creek Outfitters", "Oct", 8900, "INV-1197"),
    (11, 10, "Northgate Fitness", "Oct", 2450, "INV-1198"),
]
for m, d, client, mm, amt, ref in rebills:
    add(m, d, amt, DIG, ACC_DIG, "Client ad spend - rebilled",
        f"{client} - {mm} media rebill at cost {ref}")

# --------------------------------------------------------------------------------------
# Birch & Vale Digital: operating costs
# --------------------------------------------------------------------------------------
for m in (9, 10, 11):
    last = 30
    add(m, 1, -900, DIG, ACC_DIG, "Rent", "Third Ward Coworking - 3 dedicated desks")
    add(m, 1, -84, DIG, ACC_DIG, "Software & subscriptions", "Google Workspace - 7 users")
    add(m, 2, -90, DIG, ACC_DIG, "Software & subscriptions", "HubSpot Starter CRM")
    add(m, 6, -250, DIG, ACC_DIG, "Software & subscriptions", "Semrush Guru")
    add(m, 10, -179, DIG, ACC_DIG, "Software & subscriptions", "AgencyAnalytics")
    add(m, 12, -249, DIG, ACC_DIG, "Software & subscriptions", "Sprout Social - Standard")
    add(m, 18, -60, DIG, ACC_DIG, "Software & subscriptions", "Adobe Creative Cloud")
    add(m, 20, -140, DIG, ACC_DIG, "Insurance", "Hiscox - professional liability (E&O)")
    add(m, 15, -2550, DIG, ACC_DIG, "Payroll", "Gusto - net pay J. Ortiz")
    add(m, 15, -390, DIG, ACC_DIG, "Payroll taxes", "Gusto - tax J. Ortiz")
    add(m, last, -2550, DIG, ACC_DIG, "Payroll", "Gusto - net pay J. Ortiz")
    add(m, last, -390, DIG, ACC_DIG, "Payroll taxes", "Gusto - tax J. Ortiz")
    add(m, last, -3200, DIG, ACC_DIG, "Contractors", "Dani Kowalski - PPC management (monthly)")
    add(m, 28, -300, DIG, ACC_DIG, "Advertising & marketing", "LinkedIn Ads - B&V Digital lead gen")
add(9, 25, -1400, DIG, ACC_DIG, "Contractors", "Priya Das - content writing Sep")
add(10, 26, -1650, DIG, ACC_DIG, "Contractors", "Priya Das - content writing Oct")
add(11, 24, -1250, DIG, ACC_DIG, "Contractors", "Priya Das - content writing Nov")
add(11, 19, -600, DIG, ACC_DIG, "Contractors", "Marcus Lee - web edits Redbud Vet (not billed)")
add(9, 30, -63, DIG, ACC_DIG, "Merchant fees", "Stripe fees Sep")
add(10, 30, -63, DIG, ACC_DIG, "Merchant fees", "Stripe fees Oct")
add(11, 30, -168, DIG, ACC_DIG, "Merchant fees", "Stripe fees Nov (incl. Cedar & Sage prepay)")

# Line of credit: drawn to float client media, first payment split
add(10, 6, 25000, DIG, ACC_DIG, "Line of credit draw", "Byline Bank LOC draw - float client media")
add(11, 5, -2000, DIG, ACC_DIG, "Line of credit - principal", "Byline Bank LOC payment - principal")
add(11, 5, -193, DIG, ACC_DIG, "Interest expense", "Byline Bank LOC payment - interest")

# Transfers up to the holding company
for m, d in ((9, 3), (10, 2), (11, 3)):
    add(m, d, -9000, DIG, ACC_DIG, "Intercompany transfer", "Transfer to Birch & Vale Holdings ...1093")
    add(m, d, 9000, HOL, ACC_HOL, "Intercompany transfer", "Transfer from Birch & Vale Digital ...4471")

# --------------------------------------------------------------------------------------
# Vale Street Studio
# --------------------------------------------------------------------------------------
square = {9: [(4, 780), (11, 905), (18, 820), (25, 915)],
          10: [(2, 690), (9, 805), (16, 760), (23, 795)],
          11: [(6, 455), (13, 510), (20, 690), (27, 655)]}
peerspace = {9: [(8, 1040), (22, 1120)], 10: [(6, 1310), (20, 1170)], 11: [(3, 1050), (17, 890)]}
brewcity = {9: (30, 1520, "8 sessions"), 10: (30, 1520, "8 sessions"), 11: (27, 760, "4 sessions")}
for m in (9, 10, 11):
    for d, a in square[m]:
        add(m, d, a, STU, ACC_STU, "Studio rental income", "Square payout - studio bookings")
    for d, a in peerspace[m]:
        add(m, d, a, STU, ACC_STU, "Studio rental income", "Peerspace payout (net of host fee)")
    d, a, n = brewcity[m]
    add(m, d, a, STU, ACC_STU, "Studio rental income",
        f"Brew City Podcast Network - {MONTHS[m]} podcast suite, {n} (Stripe invoice)")
    add(m, 1, -2850, STU, ACC_STU, "Rent", "Kinnickinnic Property Group - studio rent 2217 S Vale St")
    add(m, 3, -165, STU, ACC_STU, "Insurance", "NEXT Insurance - studio general liability")
    add(m, 15, -950, STU, ACC_STU, "Payroll", "Gusto - net pay T. Rask")
    add(m, 15, -75, STU, ACC_STU, "Payroll taxes", "Gusto - tax T. Rask")
    add(m, 30, -950, STU, ACC_STU, "Payroll", "Gusto - net pay T. Rask")
    add(m, 30, -75, STU, ACC_STU, "Payroll taxes", "Gusto - tax T. Rask")
    add(m, 20, -95, STU, ACC_STU, "Internet & phone", "Spectrum Business internet")
    add(m, 9, -23, STU, ACC_STU, "Software & subscriptions", "Squarespace - valestreetstudio.com")
    add(m, 28, -160, STU, ACC_STU, "Cleaning", "Sparkle Pro Cleaning - monthly deep clean")
add(9, 14, -340, STU, ACC_STU, "Utilities", "We Energies")
add(10, 14, -365, STU, ACC_STU, "Utilities", "We Energies")
add(11, 13, -410, STU, ACC_STU, "Utilities", "We Energies")
add(10, 9, -380, STU, ACC_STU, "Repairs & maintenance", "Milwaukee Camera Repair - Godox strobe head #2")
add(11, 5, -240, STU, ACC_STU, "Equipment & gear", "Milwaukee PA Rentals - mixer rental 11/5-11/14")
add(11, 14, -699, STU, ACC_STU, "Equipment & gear", "Sweetwater - RODECaster Pro II (replacement)")
# Holdings covers December's studio rent
add(11, 24, -2000, HOL, ACC_HOL, "Intercompany transfer", "Transfer to Vale Street Studio ...8820")
add(11, 24, 2000, STU, ACC_STU, "Intercompany transfer", "Transfer from Birch & Vale Holdings ...1093")

# --------------------------------------------------------------------------------------
# Birch & Vale Holdings
# --------------------------------------------------------------------------------------
for m in (9, 10, 11):
    add(m, 5, -4000, HOL, ACC_HOL, "Partner distributions", "Owner draw - Maya Birch")
    add(m, 5, -4000, HOL, ACC_HOL, "Partner distributions", "Owner draw - Owen Vale")
    add(m, 10, -400, HOL, ACC_HOL, "Accounting & legal", "Kessler & Pohl CPAs - monthly bookkeeping")
    add(m, 30, -30, HOL, ACC_HOL, "Bank fees", "Chase monthly service fee")
add(10, 14, -125, HOL, ACC_HOL, "Licenses & fees", "Northwest Registered Agent - annual")

# One row the bookkeeper never tagged (studio seamless paper bought on the agency account)
add(11, 18, -89, "", ACC_DIG, "Supplies", "AMAZON MKTPL*2K41P0 - seamless paper 107in")

# --------------------------------------------------------------------------------------
rows.sort(key=lambda r: (r[0], r[1], r[2], r[4], r[6], r[7]))
with open(OUT, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for y, m, d, a, e, acc, cat, memo in rows:
        w.writerow([f"{m:02d}/{d:02d}/{y}", a, e, acc, cat, memo])

# ======================================================================================
# Figures
# ======================================================================================
for r in rows:
    assert r[6] in REVENUE | COST | NEITHER | BOTH_WAYS, r

def fmt(x):
    return f"{x:,}"

def total(pred):
    return sum(r[3] for r in rows if pred(r))

ENTS = [DIG, STU, HOL]
print(f"wrote {OUT} ({len(rows)} rows)\n")

rev = defaultdict(int); cost = defaultdict(int); parts = defaultdict(list)
for y, m, d, a, e, acc, cat, memo in rows:
    if cat in REVENUE:
        rev[(e, m)] += a
    elif cat in COST:
        cost[(e, m)] += -a

print("== Operating revenue / cost / net per business and month (base reading:")
print("   Deferred revenue excluded, Refunds & credits as a cost, blank row apart) ==")
for e in ENTS:
    print(f"-- {e}")
    for m in (9, 10, 11):
        r_ = rev[(e, m)]; c_ = cost[(e, m)]
        refund = -total(lambda r: r[4] == e and r[1] == m and r[6] == "Refunds & credits")
        print(f"   {MONTHS[m]}: revenue {fmt(r_)}  costs {fmt(c_)}" +
              (f" + refund {fmt(refund)} = {fmt(c_ + refund)}" if refund else "") +
              f"  net {fmt(r_ - c_ - refund)}")
    R = sum(rev[(e, m)] for m in (9, 10, 11)); C = sum(cost[(e, m)] for m in (9, 10, 11))
    refund = -total(lambda r: r[4] == e and r[6] == "Refunds & credits")
    if e == STU:
        print(f"   (with the untagged $89 Amazon row recoded to the studio, as the notes say:"
              f" Nov costs {fmt(cost[(e, 11)] + 89)}, Nov net {fmt(rev[(e, 11)] - cost[(e, 11)] - 89)};"
              f" Sep-Nov costs {fmt(C + 89)}, net {fmt(R - C - 89)})")
    print(f"   Sep-Nov: revenue {fmt(R)}  costs {fmt(C)}{' + refund ' + fmt(refund) if refund else ''}"
          f"  net {fmt(R - C - refund)}" + (f"  margin {100*(R-C-refund)/R:.1f}%" if R else ""))

print("\n-- line items behind the business figures")
for e in ENTS:
    for m in (9, 10, 11):
        items = defaultdict(int)
        for y, mm, d, a, ee, acc, cat, memo in rows:
            if ee == e and mm == m and (cat in REVENUE or cat in COST):
                items[cat] += a
        print(f"   {e} {MONTHS[m]}: " + ", ".join(f"{k} {fmt(v)}" for k, v in sorted(items.items())))

print("\n== Variants accepted both ways (Digital, November) ==")
dR = rev[(DIG, 11)]; dC = cost[(DIG, 11)]
print(f"   revenue base {fmt(dR)}; refund netted {fmt(dR - 500)}; + prepay {fmt(dR + 3600)};"
      f" + prepay, refund netted {fmt(dR + 3600 - 500)}")
print(f"   costs base {fmt(dC)}; with refund as cost {fmt(dC + 500)}")
print(f"   net without prepay {fmt(dR - dC - 500)}; with prepay {fmt(dR + 3600 - dC - 500)}")
DQ = sum(rev[(DIG, m)] for m in (9, 10, 11)); DC = sum(cost[(DIG, m)] for m in (9, 10, 11))
print(f"   Digital Sep-Nov revenue {fmt(DQ)} | refund netted {fmt(DQ-500)} | +prepay {fmt(DQ+3600)}"
      f" | both {fmt(DQ+3100)}; net {fmt(DQ-DC-500)} | +prepay {fmt(DQ-DC-500+3600)}")

print("\n== Group (all three businesses) ==")
blank = -total(lambda r: r[4] == "")
for m in (9, 10, 11):
    R = sum(rev[(e, m)] for e in ENTS); C = sum(cost[(e, m)] for e in ENTS)
    ref = 500 if m == 11 else 0
    b = blank if m == 11 else 0
    print(f"   {MONTHS[m]}: revenue {fmt(R)}  costs {fmt(C)}" +
          (f" (+ refund {ref} = {fmt(C+ref)}; + blank $89 = {fmt(C+ref+b)})" if m == 11 else "") +
          f"  net {fmt(R-C-ref)}" +
          (f" | with blank row {fmt(R-C-ref-b)} | with prepay {fmt(R-C-ref+3600)}"
           f" | prepay and blank {fmt(R-C-ref+3600-b)} | refund netted revenue {fmt(R-500)}"
           f" | +prepay {fmt(R+3600)} / {fmt(R+3100)}" if m == 11 else ""))
GR = sum(rev.values()); GC = sum(cost.values())
print(f"   Sep-Nov: revenue {fmt(GR)}  costs {fmt(GC)} + refund 500 = {fmt(GC+500)}"
      f" (+89 blank = {fmt(GC+589)})  net {fmt(GR-GC-500)} (with blank {fmt(GR-GC-589)};"
      f" with prepay {fmt(GR-GC-500+3600)}; prepay+blank {fmt(GR-GC-589+3600)})")

print("\n== Pass-through client media (NEITHER revenue nor cost) ==")
for m in (9, 10, 11):
    i = total(lambda r: r[1] == m and r[6] == "Client ad spend - rebilled")
    o = -total(lambda r: r[1] == m and r[6].startswith("Client ad spend - ") and r[3] < 0)
    print(f"   {MONTHS[m]}: rebilled in {fmt(i)}  media paid out {fmt(o)}  float {fmt(i-o)}")
I = total(lambda r: r[6] == "Client ad spend - rebilled")
O = -total(lambda r: r[6].startswith("Client ad spend - ") and r[3] < 0)
print(f"   Sep-Nov: in {fmt(I)}  out {fmt(O)}  net cash {fmt(I-O)}")
for c in spend:
    s = sum(g + mt for g, mt in spend[c].values())
    print(f"   {c}: media paid {' + '.join(fmt(g+mt) for g, mt in spend[c].values())} = {fmt(s)}")
print("   Prairie Sep media INV-1145 $14,200 (11,000 + 3,200) unpaid, due 10/30 -> 31 days past due at 11/30;"
      " Oct media $14,800 (11,400 + 3,400) invoiced 10/31, due 11/30 -> $29,000 fronted")

print("\n== WRONG figures a careless tool prints ==")
for m in (9, 10, 11):
    i = total(lambda r: r[1] == m and r[6] == "Client ad spend - rebilled")
    o = -total(lambda r: r[1] == m and r[6].startswith("Client ad spend - ") and r[3] < 0)
    print(f"   Digital {MONTHS[m]} revenue incl. rebills: {fmt(rev[(DIG, m)])} + {fmt(i)} = {fmt(rev[(DIG, m)] + i)}"
          f"{' (+3,600 prepay = ' + fmt(rev[(DIG, m)] + i + 3600) + ')' if m == 11 else ''};"
          f" costs incl. media {fmt(cost[(DIG, m)])} + {fmt(o)} = {fmt(cost[(DIG, m)] + o)}")
print(f"   Digital Sep-Nov revenue incl. rebills {fmt(DQ)} + {fmt(I)} = {fmt(DQ+I)}; costs incl. media {fmt(DC)} + {fmt(O)} = {fmt(DC+O)}")
print(f"   Group Sep-Nov revenue incl. rebills {fmt(GR + I)}; incl. rebills and LOC {fmt(GR + I + 25000)}")
print(f"   Digital Oct revenue incl. LOC draw {fmt(rev[(DIG, 10)])} + 25,000 = {fmt(rev[(DIG, 10)] + 25000)}")
for m in (9, 10, 11):
    print(f"   Holdings {MONTHS[m]}: 'revenue' from transfers 9,000; costs incl. draws {fmt(cost[(HOL, m)])} + 8,000 = {fmt(cost[(HOL, m)] + 8000)}")
print(f"   Holdings Sep-Nov costs incl. draws {fmt(sum(cost[(HOL, m)] for m in (9,10,11)))} + 24,000 = {fmt(sum(cost[(HOL, m)] for m in (9,10,11)) + 24000)}")
print(f"   Group Sep-Nov costs incl. draws {fmt(GC + 500)} + 24,000 = {fmt(GC + 24500)}; incl. draws and principal {fmt(GC + 26500)}")
for m in (9, 10, 11):
    C = sum(cost[(e, m)] for e in ENTS) + (500 if m == 11 else 0)
    print(f"   Group {MONTHS[m]} costs incl. draws {fmt(C)} + 8,000 = {fmt(C + 8000)}")
print(f"   Studio Nov revenue incl. Holdings transfer {fmt(rev[(STU, 11)])} + 2,000 = {fmt(rev[(STU, 11)] + 2000)}")

for m in (9, 10, 11):
    i = total(lambda r: r[1] == m and r[6] == "Client ad spend - rebilled")
    R = sum(rev[(e, m)] for e in ENTS)
    print(f"   Group {MONTHS[m]} revenue incl. rebills {fmt(R)} + {fmt(i)} = {fmt(R + i)}")
float_m = {}
for m in (9, 10, 11):
    i = total(lambda r: r[1] == m and r[6] == "Client ad spend - rebilled")
    o = -total(lambda r: r[1] == m and r[6].startswith("Client ad spend - ") and r[3] < 0)
    float_m[m] = i - o
    ref = 500 if m == 11 else 0
    n = rev[(DIG, m)] - cost[(DIG, m)] - ref
    print(f"   Digital {MONTHS[m]} net incl. pass-through {fmt(n)} + ({fmt(i - o)}) = {fmt(n + i - o)}"
          + (f" (with prepay {fmt(n + i - o + 3600)})" if m == 11 else ""))
qn = DQ - DC - 500
print(f"   Digital Sep-Nov net incl. pass-through {fmt(qn)} + ({fmt(I - O)}) = {fmt(qn + I - O)} (with prepay {fmt(qn + I - O + 3600)})")
print(f"   Digital Nov costs incl. LOC principal {fmt(cost[(DIG, 11)])} + 2,000 = {fmt(cost[(DIG, 11)] + 2000)} (+ refund 500 = {fmt(cost[(DIG, 11)] + 2500)})")
print(f"   Group Sep-Nov costs incl. principal {fmt(GC + 500)} + 2,000 = {fmt(GC + 2500)}")
print(f"   Group Oct revenue incl. LOC {fmt(sum(rev[(e, 10)] for e in ENTS))} + 25,000 = {fmt(sum(rev[(e, 10)] for e in ENTS) + 25000)};"
      f" Group Sep-Nov revenue incl. LOC {fmt(GR)} + 25,000 = {fmt(GR + 25000)}")

print("\n== Owners, lenders, transfers ==")
print(f"   Partner distributions: 8,000 a month (4,000 Maya + 4,000 Owen) x 3 = {fmt(-total(lambda r: r[6] == 'Partner distributions'))}")
print(f"   Transfers Digital -> Holdings: 9,000 x 3 = {fmt(-total(lambda r: r[4] == DIG and r[6] == 'Intercompany transfer'))};"
      f" Holdings -> Studio 11/24: 2,000")
print("   LOC drawn 10/06 25,000; 11/05 payment 2,193 = principal 2,000 + interest 193; owed 23,000")
print(f"   Group operating net Sep-Nov {fmt(GR-GC-500)} vs draws 24,000 -> draws exceed it by {fmt(24000-(GR-GC-500))}")

print("\n== Cash ==")
OPEN = 31400
net_all = total(lambda r: True)
print(f"   opening_cash 09/01/2026 {fmt(OPEN)}; sum of every row {fmt(net_all)}; cash 11/30 {fmt(OPEN + net_all)}")
for m in (9, 10, 11):
    print(f"   net cash flow {MONTHS[m]}: {fmt(total(lambda r: r[1] == m))}")
ex_loc = OPEN + net_all - 23000
print(f"   cash less the LOC still owed (23,000): {fmt(ex_loc)}")

print("\n== Payers (Digital) ==")
payer = defaultdict(int)
for y, m, d, a, e, acc, cat, memo in rows:
    if e == DIG and cat in REVENUE:
        payer[memo.split(" - ")[0]] += a
for p, a in sorted(payer.items(), key=lambda x: -x[1]):
    print(f"   {p}: {fmt(a)} = {100*a/DQ:.1f}% of Digital revenue {fmt(DQ)}; {100*a/GR:.1f}% of group {fmt(GR)}")
bc = total(lambda r: r[7].startswith("Brew City"))
SQ = sum(rev[(STU, m)] for m in (9, 10, 11))
print(f"   Studio: Brew City Podcast Network {fmt(bc)} = {100*bc/SQ:.1f}% of studio revenue {fmt(SQ)}")

print("\n== MRR from the CRM (notes, not ledger) ==")
mrr = {"Prairie Home Builders": 5800, "Lakeshore Dental": 3900, "Mill Creek Outfitters": 2500,
       "Harlow & Finch Law": 2000, "Northgate Fitness": 1800, "Cedar & Sage Day Spa": 1200,
       "Redbud Veterinary": 950}
M = sum(mrr.values())
print("   active: " + " + ".join(fmt(v) for v in mrr.values()) + f" = {fmt(M)}")
print(f"   Prairie share {5800}/{M} = {100*5800/M:.1f}%")
print(f"   WRONG with churned Copperleaf 1,200: {fmt(M + 1200)}; with Kettle Moraine (starts 12/1) 1,600: {fmt(M + 1600)}")
print(f"   after Northgate leaves 12/31 and Kettle Moraine starts: {fmt(M - 1800 + 1600)}")
print("   Harlow & Finch owes INV-1187 2,000 (due 10/15, 46 days past due at 11/30) + INV-1214 2,000 (due 11/15, 15 days) = 4,000")
