#!/usr/bin/env python3
"""Writes ledger/transactions.csv for the judgement-salon workspace (Ni Bhriain Beauty Ltd)
and prints the true figures per business and month.

Deterministic: no random module, only a hash of a key, so every run writes the same file.
Dates are Irish day-first (DD/MM/YYYY), amounts whole euros, inflow positive.

True figures ("profit"): revenue and costs exclude the dividend, the intercompany transfer,
VAT (collected and paid over), card tips passed through to staff, vouchers sold and not yet
redeemed, corporate deposits for events not yet held, and the directors' loan repayment.
Refunds reduce revenue. Voucher redemptions and deposits applied on the day an event is held
are revenue.
"""
import csv
import datetime as dt
import hashlib
import os
from collections import defaultdict

SALON = "Salt & Shear Salon"
STUDIO = "Sea Glass Studio"
OPENING_CASH = 21500  # both bank accounts together on 01/09/2026

rows = []


def noise(key, lo, hi):
    h = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return lo + h % (hi - lo + 1)


def add(d, amount, entity, account, category, memo):
    rows.append((d, int(amount), entity, account, category, memo))


def days(start, end):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


START, END = dt.date(2026, 9, 1), dt.date(2026, 11, 30)
MONTHS = [(2026, 9), (2026, 10), (2026, 11)]
MNAME = {9: "September", 10: "October", 11: "November"}


def last_day(y, m):
    return (dt.date(y, m + 1, 1) - dt.timedelta(days=1)) if m < 12 else dt.date(y, 12, 31)


# ---------------------------------------------------------------- salon: daily takings
svc_month = defaultdict(int)
prod_month = defaultdict(int)
tips_month = defaultdict(int)
for d in days(START, END):
    if d.weekday() in (0, 6):  # closed Sunday and Monday
        continue
    base = 620 if d.weekday() in (1, 2) else 820  # Tue/Wed quieter, Thu-Sat busier
    if d.month == 11 and d.day >= 20:
        base += 120  # Christmas party season starts
    svc = base + noise(f"svc{d}", 0, 260)
    if d == dt.date(2026, 11, 5):  # hood dryer broken 03/11-10/11: colour clients moved
        svc -= 150
    prod = 60 + noise(f"prod{d}", 0, 110)
    if d.month == 11:
        prod += 40
    add(d, svc, SALON, "Fresha card payouts", "Service sales", f"Card takings services {d:%d/%m} (ex VAT)")
    add(d, prod, SALON, "Fresha card payouts", "Product sales", f"Card takings products {d:%d/%m} (ex VAT)")
    svc_month[d.month] += svc
    prod_month[d.month] += prod
    if d.weekday() == 5:  # card tips settled weekly with Saturday's payout
        tip = 120 + noise(f"tip{d}", 0, 70)
        add(d, tip, SALON, "Fresha card payouts", "Card tips collected", f"Card tips w/e {d:%d/%m} - staff's money")
        tips_month[d.month] += tip

# ---------------------------------------------------------------- salon: monthly rows
chair = {"Ciara Walsh": 650, "Deirdre Flood": 650}
voucher_sold = {9: [(12, 150), (26, 150)], 10: [(10, 200), (24, 250)],
                11: [(7, 300), (14, 350), (21, 450), (28, 550)]}
voucher_redeemed = {9: [(18, 100), (25, 150)], 10: [(9, 120), (23, 80)], 11: [(13, 150), (27, 150)]}
retail_stock = {9: [(8, "L'Oreal Professionnel", 640), (22, "Olaplex via Sally Salon Services", 510)],
                10: [(13, "L'Oreal Professionnel", 580), (27, "Kerastase", 400)],
                11: [(3, "Kerastase Christmas gift sets", 920), (17, "L'Oreal Professionnel", 720)]}
colour = {9: 1310, 10: 1270, 11: 1405}
fresha = {9: 186, 10: 214, 11: 262}
electric = {9: 410, 10: 455, 11: 520}
card_fee = {9: 0, 10: 0, 11: 0}
for (y, m) in MONTHS:
    ld = last_day(y, m)
    add(dt.date(y, m, 1), -3200, SALON, "Current account", "Premises rent", "Rent 14 Shop St - Corrib Property Ltd")
    add(dt.date(y, m, 2), chair["Ciara Walsh"], SALON, "Current account", "Chair rental income",
        f"Chair rental {MNAME[m]} - Ciara Walsh (self-employed)")
    add(dt.date(y, m, 3), chair["Deirdre Flood"], SALON, "Current account", "Chair rental income",
        f"Chair rental {MNAME[m]} - Deirdre Flood (self-employed)")
    for day, amt in voucher_sold[m]:
        add(dt.date(y, m, day), amt, SALON, "Gift vouchers", "Gift vouchers sold", "Gift vouchers sold online/at till")
    for day, amt in voucher_redeemed[m]:
        d = dt.date(y, m, day)
        add(d, -amt, SALON, "Gift vouchers", "Gift vouchers redeemed", f"Vouchers redeemed {d:%d/%m} - applied to services")
        add(d, amt, SALON, "Gift vouchers", "Service sales", f"Services paid by gift voucher {d:%d/%m}")
    for day, supplier, amt in retail_stock[m]:
        add(dt.date(y, m, day), -amt, SALON, "Current account", "Retail stock", f"{supplier} - retail stock")
    add(dt.date(y, m, 15), -colour[m], SALON, "Current account", "Colour and salon supplies", "Colour, foils, developer - Sally Salon Services")
    add(dt.date(y, m, 5), -fresha[m], SALON, "Fresha card payouts", "Fresha commission",
        f"Fresha new-client commission {MNAME[m - 1] if m > 9 else 'August'}")
    add(dt.date(y, m, 20), -electric[m], SALON, "Current account", "Electricity", "Electric Ireland - salon")
    add(dt.date(y, m, 10), -165, SALON, "Current account", "Insurance", "Salon insurance - FBD monthly")
    add(dt.date(y, m, 12), -140, SALON, "Current account", "Laundry", "Towel laundry - Galway Linen")
    fee = round((svc_month[m] + prod_month[m]) * 0.012)
    card_fee[m] = fee
    add(ld, -fee, SALON, "Fresha card payouts", "Card processing fees", f"Card fees {MNAME[m]}")
    add(ld, -10400, SALON, "Current account", "Wages", f"Net wages + PAYE/PRSI {MNAME[m]} - 4 employed staff")
    add(ld, -tips_month[m], SALON, "Current account", "Card tips paid to staff", f"Card tips {MNAME[m]} paid out with wages")
    add(ld, -3000, SALON, "Current account", "Director's salary", f"Orla Ni Bhriain salary {MNAME[m]} (gross incl. PAYE)")
    # VAT collected on the month's takings, booked on its own row (13.5% services, 23% products)
    vat = round(svc_month[m] * 0.135 + prod_month[m] * 0.23)
    add(ld, vat, SALON, "VAT control", "VAT on sales", f"VAT collected on takings {MNAME[m]}")

add(dt.date(2026, 11, 10), -240, SALON, "Current account", "Repairs", "Hood dryer repair - Salon Tech Services (fixed 10/11)")
add(dt.date(2026, 10, 16), -80, SALON, "Current account", "Marketing", "Instagram boost - Halloween colour offer")
add(dt.date(2026, 11, 18), -90, SALON, "Current account", "Marketing", "Instagram boost - Christmas vouchers")

# ---------------------------------------------------------------- studio
# workshops: Saturday pottery wheel taster (8 seats x 75, taught by Orla), Sunday glass
# fusing (8 seats x 65, taught by Aoife Kenny, paid 120 a class); payout on the Monday after.
ticket_month = defaultdict(int)
tfee_month = defaultdict(int)
classes_month = defaultdict(int)
for d in days(START, END):
    if d.weekday() != 0 or d == START:
        continue
    sat, sun = d - dt.timedelta(days=2), d - dt.timedelta(days=1)
    if sat < START:
        continue
    seats_sat = 5 + noise(f"sat{sat}", 0, 3)
    seats_sun = 4 + noise(f"sun{sun}", 0, 4)
    gross = seats_sat * 75
    memo_sun = f"+ glass fusing {sun:%d/%m} ({seats_sun} x 65)"
    if sun == dt.date(2026, 11, 22):  # cancelled: kiln element failed 19/11 -> refunded
        seats_sun = 0
        memo_sun = "(glass fusing 22/11 cancelled - kiln down)"
    gross += seats_sun * 65
    fee = round(gross * 0.065)
    add(d, gross, STUDIO, "Eventbrite", "Workshop tickets",
        f"Eventbrite payout - pottery taster {sat:%d/%m} ({seats_sat} x 75) {memo_sun}, gross")
    add(d, -fee, STUDIO, "Eventbrite", "Ticketing fees", "Eventbrite fees deducted from payout")
    ticket_month[d.month] += gross
    tfee_month[d.month] += fee
    if seats_sun:
        classes_month[d.month] += 1
# advance tickets for the cancelled 22/11 class, paid out 16/11, refunded 20/11
add(dt.date(2026, 11, 16), 520, STUDIO, "Eventbrite", "Workshop tickets", "Eventbrite payout - advance tickets glass fusing 22/11 (8 x 65)")
add(dt.date(2026, 11, 16), -34, STUDIO, "Eventbrite", "Ticketing fees", "Eventbrite fees - advance tickets 22/11")
add(dt.date(2026, 11, 20), -520, STUDIO, "Eventbrite", "Workshop refunds", "Refund 8 tickets - glass fusing 22/11 cancelled (kiln)")
ticket_month[11] += 520
tfee_month[11] += 34

# Thursday evening wheel class (Aoife), 6 x 45, paid direct by card
for d in days(START, END):
    if d.weekday() == 3 and not (d.month == 11 and d.day == 26):  # 26/11: kiln down, no class
        seats = 4 + noise(f"thu{d}", 0, 2)
        add(d, seats * 45, STUDIO, "Current account", "Evening classes", f"Thursday wheel class {d:%d/%m} ({seats} x 45) card")
        ticket_month[d.month] += seats * 45
        classes_month[d.month] += 1

# corporate team-building: 50% deposit in advance, balance after the event
corp = [  # client, people, price, deposit date, event date, balance date
    ("Lough Atalia Credit Union", 8, 960, dt.date(2026, 9, 2), dt.date(2026, 9, 24), dt.date(2026, 9, 28)),
    ("Atlantic Tech Ltd", 12, 1440, dt.date(2026, 9, 18), dt.date(2026, 10, 15), dt.date(2026, 10, 20)),
    ("Corrib Insurance", 16, 2000, dt.date(2026, 10, 8), dt.date(2026, 11, 12), dt.date(2026, 11, 16)),
    ("Galway Bay Pharma", 20, 2400, dt.date(2026, 11, 17), dt.date(2026, 12, 10), None),
    ("Claddagh Legal", 10, 1300, dt.date(2026, 11, 25), dt.date(2027, 1, 8), None),
]
corp_rev = defaultdict(int)
deposits_open = 0
for client, people, price, dep_d, ev_d, bal_d in corp:
    dep = price // 2
    add(dep_d, dep, STUDIO, "Event deposits", "Event deposits received",
        f"{client} - 50% deposit, team-building {ev_d:%d/%m/%Y} ({people} people)")
    if ev_d <= END:
        add(ev_d, -dep, STUDIO, "Event deposits", "Event deposits applied", f"{client} - deposit applied, event held {ev_d:%d/%m}")
        add(ev_d, dep, STUDIO, "Event deposits", "Team-building events", f"{client} - team-building {ev_d:%d/%m} (deposit part)")
        corp_rev[ev_d.month] += dep
    else:
        deposits_open += dep
    if bal_d and bal_d <= END:
        add(bal_d, price - dep, STUDIO, "Current account", "Team-building events", f"{client} - balance, team-building {ev_d:%d/%m}")
        corp_rev[bal_d.month] += price - dep

materials = {9: 560, 10: 610, 11: 690}
studio_elec = {9: 320, 10: 355, 11: 300}
teacher = {}
for (y, m) in MONTHS:
    ld = last_day(y, m)
    add(dt.date(y, m, 1), -1100, STUDIO, "Current account", "Premises rent", "Studio rent Unit 4 Liosban - Liosban Estates")
    add(dt.date(y, m, 9), -materials[m], STUDIO, "Current account", "Clay, glass and glaze", "Materials - Potclays / Warm Glass")
    add(dt.date(y, m, 21), -studio_elec[m], STUDIO, "Current account", "Electricity", "Bord Gais - studio incl. kiln")
    add(dt.date(y, m, 11), -95, STUDIO, "Current account", "Insurance", "Studio public liability - monthly")
    add(dt.date(y, m, 14), -100, STUDIO, "Current account", "Marketing", "Instagram ads - workshops")

# count Aoife's classes per month exactly (Sunday glass held + Thursday classes held)
aoife = defaultdict(int)
for d in days(START, END):
    if d.weekday() == 6 and d >= dt.date(2026, 9, 6) and d != dt.date(2026, 11, 22):
        aoife[d.month] += 1
    if d.weekday() == 3 and not (d.month == 11 and d.day == 26):
        aoife[d.month] += 1
for (y, m) in MONTHS:
    teacher[m] = 120 * aoife[m]
    add(last_day(y, m), -teacher[m], STUDIO, "Current account", "Teacher fees",
        f"Aoife Kenny - {aoife[m]} classes x 120 {MNAME[m]}")
    # studio VAT collected booked on its own row: 23% of ticket and event sales ex VAT
    vat = round((ticket_month[m] + corp_rev[m]) * 0.23)
    add(last_day(y, m), vat, STUDIO, "VAT control", "VAT on sales", f"VAT collected on tickets and events {MNAME[m]}")

add(dt.date(2026, 11, 4), -2740, STUDIO, "Current account", "Equipment",
    "Kiln shelf set + posts for the big kiln (one-off) - Kilncare Ireland")
add(dt.date(2026, 11, 20), -180, STUDIO, "Current account", "Kiln repair",
    "Kilncare Ireland call-out - element failed, quote to follow")

# ---------------------------------------------------------------- company-level money
add(dt.date(2026, 9, 23), -2640, SALON, "Revenue Commissioners", "VAT payment", "VAT 3 Jul-Aug - salon share (ROS)")
add(dt.date(2026, 9, 23), -710, STUDIO, "Revenue Commissioners", "VAT payment", "VAT 3 Jul-Aug - studio share (ROS)")
add(dt.date(2026, 9, 15), -2500, SALON, "Current account", "Directors loan repayment", "Repay Orla - directors' loan (balance 5,000 -> 2,500)")
add(dt.date(2026, 10, 30), -5000, SALON, "Current account", "Dividend", "Interim dividend - Orla Ni Bhriain")
add(dt.date(2026, 11, 2), -3000, SALON, "Current account", "Intercompany transfer", "Transfer to Sea Glass Studio - kiln shelves")
add(dt.date(2026, 11, 2), 3000, STUDIO, "Current account", "Intercompany transfer", "Transfer from Salt & Shear Salon - kiln shelves")

# VAT for Sep-Oct paid 23/11: collected less input VAT credits
vat_rows = defaultdict(int)
for r in rows:
    if r[4] == "VAT on sales" and r[0].month in (9, 10):
        vat_rows[r[2]] += r[1]
vat_paid_nov = {SALON: vat_rows[SALON] - 690, STUDIO: vat_rows[STUDIO] - 410}
add(dt.date(2026, 11, 23), -vat_paid_nov[SALON], SALON, "Revenue Commissioners", "VAT payment", "VAT 5 Sep-Oct - salon share (ROS)")
add(dt.date(2026, 11, 23), -vat_paid_nov[STUDIO], STUDIO, "Revenue Commissioners", "VAT payment", "VAT 5 Sep-Oct - studio share (ROS)")

# ---------------------------------------------------------------- write
rows.sort(key=lambda r: (r[0], r[2], r[4], r[5]))
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "transactions.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    for d, a, e, acc, cat, memo in rows:
        w.writerow([d.strftime("%d/%m/%Y"), a, e, acc, cat, memo])

# ---------------------------------------------------------------- true figures
REVENUE = {"Service sales", "Product sales", "Chair rental income", "Workshop tickets",
           "Evening classes", "Team-building events"}
REFUND = {"Workshop refunds"}
COST = {"Premises rent", "Retail stock", "Colour and salon supplies", "Fresha commission",
        "Electricity", "Insurance", "Laundry", "Card processing fees", "Wages", "Director's salary",
        "Repairs", "Marketing", "Ticketing fees", "Clay, glass and glaze", "Teacher fees",
        "Equipment", "Kiln repair"}
OUTSIDE = {"Card tips collected", "Card tips paid to staff", "Gift vouchers sold",
           "Gift vouchers redeemed", "Event deposits received", "Event deposits applied",
           "VAT on sales", "VAT payment", "Directors loan repayment", "Dividend",
           "Intercompany transfer"}
cats = {r[4] for r in rows}
assert cats <= REVENUE | REFUND | COST | OUTSIDE, cats - (REVENUE | REFUND | COST | OUTSIDE)

agg = defaultdict(int)
for d, a, e, acc, cat, memo in rows:
    agg[(e, d.month, cat)] += a

print(f"rows: {len(rows)}")
tot = {}
for e in (SALON, STUDIO):
    print(f"\n== {e}")
    for m in (9, 10, 11):
        rev = sum(agg[(e, m, c)] for c in REVENUE)
        ref = sum(agg[(e, m, c)] for c in REFUND)
        cost = -sum(agg[(e, m, c)] for c in COST)
        net = rev + ref - cost
        tot[(e, m)] = (rev + ref, cost, net)
        print(f"{MNAME[m]:9s} revenue {rev + ref:>7,} (gross {rev:,}, refunds {ref:,})  costs {cost:>7,}  profit {net:>7,}")
    r3 = sum(tot[(e, m)][0] for m in (9, 10, 11))
    c3 = sum(tot[(e, m)][1] for m in (9, 10, 11))
    print(f"Sep-Nov   revenue {r3:>7,}  costs {c3:>7,}  profit {r3 - c3:>7,}")
    for m in (9, 10, 11):
        parts = ", ".join(f"{c} {agg[(e, m, c)]:,}" for c in sorted(cats) if agg[(e, m, c)])
        print(f"  {MNAME[m]}: {parts}")

print("\n== group")
for m in (9, 10, 11):
    r = sum(tot[(e, m)][0] for e in (SALON, STUDIO))
    c = sum(tot[(e, m)][1] for e in (SALON, STUDIO))
    print(f"{MNAME[m]:9s} revenue {r:>7,}  costs {c:>7,}  profit {r - c:>7,}")
total_rows = sum(r[1] for r in rows)
print(f"cash: opening {OPENING_CASH:,} + rows {total_rows:,} = {OPENING_CASH + total_rows:,} at 30/11/2026")
for e in (SALON, STUDIO):
    print(f"  net cash movement {e}: {sum(r[1] for r in rows if r[2] == e):,}")
print(f"tips collected = paid out per month: {dict(tips_month)} total {sum(tips_month.values()):,}")
vs = sum(a for _, l in voucher_sold.items() for _, a in l)
vr = sum(a for _, l in voucher_redeemed.items() for _, a in l)
print(f"vouchers sold {vs:,}, redeemed {vr:,}, outstanding (Sep-Nov) {vs - vr:,}; Nov sold {sum(a for _, a in voucher_sold[11]):,}")
print(f"event deposits received {sum(c[2] // 2 for c in corp):,}; applied {sum(c[2] // 2 for c in corp if c[4] <= END):,}; held for events not yet held {deposits_open:,}")
print(f"VAT collected per month: " + ", ".join(f"{e} {m}: {agg[(e, m, 'VAT on sales')]:,}" for e in (SALON, STUDIO) for m in (9, 10, 11)))
print(f"VAT paid 23/11 (Sep-Oct): salon {vat_paid_nov[SALON]:,}, studio {vat_paid_nov[STUDIO]:,}, total {sum(vat_paid_nov.values()):,}; paid 23/09 3,350")
print(f"Nov VAT collected (for the Nov-Dec return due 23/01/2027): salon {agg[(SALON, 11, 'VAT on sales')]:,}, studio {agg[(STUDIO, 11, 'VAT on sales')]:,}")
print(f"teacher classes {dict(aoife)} fees {teacher}")
print(f"card fees {card_fee}; fresha {fresha} total {sum(fresha.values())}")
sr, sc, sn = tot[(STUDIO, 11)]
print(f"studio Nov without the one-off kiln shelf set 2,740: costs {sc - 2740:,}, profit {sn + 2740:,}")
print("\n-- wrong figures a careless tool would print (for [[absent]]):")
r, c, n = tot[(SALON, 11)]
print(f"salon Nov revenue incl. tips {r + tips_month[11]:,}; incl. vouchers sold {r + sum(a for _, a in voucher_sold[11]):,}; "
      f"both {r + tips_month[11] + sum(a for _, a in voucher_sold[11]):,}; incl. VAT collected {r + agg[(SALON, 11, 'VAT on sales')]:,}; "
      f"without chair rental {r - 1300:,}")
print(f"salon Nov costs incl. tips {c + tips_month[11]:,}; incl. VAT paid {c + vat_paid_nov[SALON]:,}; incl. chair rental {c + 1300:,}; incl. transfer {c + 3000:,}")
r10, c10, n10 = tot[(SALON, 10)]
print(f"salon Oct costs incl. dividend {c10 + 5000:,}; Oct profit after dividend {n10 - 5000:,}")
print(f"studio Nov revenue incl. open deposits {sr + deposits_open:,}; incl. all Nov deposits received {sr + 1200 + 650:,}; incl. transfer {sr + 3000:,}; "
      f"incl. both {sr + deposits_open + 3000:,}")
print(f"studio Nov costs incl VAT paid {sc + vat_paid_nov[STUDIO]:,}")
