#!/usr/bin/env python3
"""Deterministic ledger for the judgement-smokehouse workspace (Ortega Hospitality LLC).

Writes ledger/transactions.csv (date, amount, entity, account, category, memo; whole
dollars, inflow positive) for Sep-Nov 2026 and prints the true figures per business and
month.

How the books are kept (the bookkeeper's convention, a QuickBooks-style split deposit):

* Square pays the truck's card sales into checking once a week, NET of Square's fees.
  Each weekly payout is booked as ONE bank deposit split into four rows that share its
  date and memo ("Square payout 11/09 (wk 11/02-11/08)") and add up to the cash that
  reached the bank:
    + "Square sales"         the food sold, excluding sales tax and tips  -> REVENUE
    + "Sales tax collected"  8.25% Texas sales tax inside Square's gross  -> owed to the
                             Texas Comptroller (sales_tax, not revenue)
    + "Tips collected"       card-reader tips, owed to the crew          -> not revenue
    - "Square fees"          2.75% of everything Square collected        -> a cost
* Tips are paid to the crew with each semi-monthly payroll ("Tips paid out"), so tips
  in and out net to zero each month: neither revenue nor cost.
* Sales tax collected in a month is paid to the Texas Comptroller around the 20th of the
  next month ("Sales tax paid": a debt settled, not a cost). August's return is paid in
  September out of opening cash; November's ($ printed below) is due 20 December.
* Catering clients pay a 50% deposit when they book ("Event deposits", account
  "Customer deposits": money owed to the client until the event is served). On the day
  an event is served, a journal pair moves the deposit to revenue: -X "Event deposits"
  and +X "Catering revenue" (cash effect zero). The balance is "Catering revenue" when
  received. A cancelled event's deposit going back is "Event deposits" money out: not a
  refund of revenue, not a cost. Keller & Voss's $1,250 balance (due 11/21) is unpaid, so
  it is in no row (cash basis): a receivable, not November revenue.
* Ortega Holdings owns the truck and the van, pays the SBA loan (principal and interest
  on separate rows), the vehicle insurance, the CPA and the owners' draws, funded by
  intercompany transfers from the two operating businesses.
* The new smoker ($8,500, 2026-10-09) is a capital purchase booked as
  "Equipment purchase" in the truck: execbrief counts it as an October cost, so the
  truck's October net is shown WITH and WITHOUT it below.

Profit excludes: owner draws, loan principal, intercompany transfers, sales tax collected
and paid, tips collected and paid out, and event deposits (received, applied as journal,
refunded). Revenue = Square sales + Catering revenue - Customer refunds.
"""
import csv
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "transactions.csv")

TRUCK, CAT, HOLD = "Smokehouse Truck", "Ortega Catering", "Ortega Holdings"
CHK = "Checking"
rows = []


def add(date, amount, entity, account, category, memo):
    rows.append((date, int(amount), entity, account, category, memo))


# ---------------------------------------------------------------- truck: Square payouts
# (payout date, week covered, food sales excl. tax and tips, tips)
payouts = [
    ("2026-09-07", "08/31-09/06", 8420, 640),
    ("2026-09-14", "09/07-09/13", 8910, 690),
    ("2026-09-21", "09/14-09/20", 8150, 610),
    ("2026-09-28", "09/21-09/27", 8760, 660),
    ("2026-10-05", "09/28-10/04", 9050, 700),
    ("2026-10-12", "10/05-10/11", 9380, 720),
    ("2026-10-19", "10/12-10/18", 8870, 680),
    ("2026-10-26", "10/19-10/25", 9210, 710),
    ("2026-11-02", "10/26-11/01", 8640, 660),
    ("2026-11-09", "11/02-11/08", 8330, 630),
    ("2026-11-16", "11/09-11/15", 8980, 690),
    ("2026-11-23", "11/16-11/22", 9420, 730),
    ("2026-11-30", "11/23-11/29", 7860, 590),
]
square = defaultdict(lambda: defaultdict(int))  # month -> figure
for d, wk, sales, tips in payouts:
    tax = round(sales * 0.0825)
    gross = sales + tax + tips
    fee = round(gross * 0.0275)
    memo = f"Square payout {d[5:7]}/{d[8:10]} (wk {wk})"
    add(d, sales, TRUCK, CHK, "Square sales", memo + " - food sales")
    add(d, tax, TRUCK, CHK, "Sales tax collected", memo + " - TX sales tax 8.25%")
    add(d, tips, TRUCK, CHK, "Tips collected", memo + " - card tips owed to crew")
    add(d, -fee, TRUCK, CHK, "Square fees", memo + " - Square processing fees")
    m = d[:7]
    square[m]["sales"] += sales
    square[m]["tax"] += tax
    square[m]["tips"] += tips
    square[m]["gross"] += gross
    square[m]["fees"] += fee
    square[m]["bank"] += gross - fee

# ---------------------------------------------------------------- truck: costs
meat = {  # Hill Country Meats, weekly invoice; +14% list price from November
    "2026-09-03": 2380, "2026-09-10": 2450, "2026-09-17": 2310, "2026-09-24": 2420,
    "2026-10-01": 2510, "2026-10-08": 2560, "2026-10-15": 2470, "2026-10-22": 2530,
    "2026-11-05": 2840, "2026-11-12": 2790, "2026-11-19": 2910, "2026-11-26": 2980,
}
for d, a in meat.items():
    add(d, -a, TRUCK, CHK, "Cost of goods sold", "Hill Country Meats - brisket, ribs, sausage")
sides = {"2026-09-04": 640, "2026-09-18": 670, "2026-10-02": 690, "2026-10-16": 660,
         "2026-10-30": 650, "2026-11-06": 700, "2026-11-20": 720}
for d, a in sides.items():
    add(d, -a, TRUCK, CHK, "Cost of goods sold", "Restaurant Depot - sides, bread, packaging")
propane = {"2026-09-05": 205, "2026-09-19": 215, "2026-10-03": 220, "2026-10-17": 210,
           "2026-10-31": 215, "2026-11-07": 225, "2026-11-21": 230}
for d, a in propane.items():
    add(d, -a, TRUCK, CHK, "Propane", "Central Texas Propane - tank refill")
for m in ("09", "10", "11"):
    add(f"2026-{m}-01", -1400, TRUCK, CHK, "Commissary rent", "Eastside Commissary Kitchen - monthly rent")
    add(f"2026-{m}-03", -185, TRUCK, CHK, "Insurance", "Truck general liability - monthly")

# payroll: semi-monthly (15th and month end); tips collected since the last payroll go
# out with it (Tips paid out), so tips net to zero inside each month.
paydays = ["2026-09-15", "2026-09-30", "2026-10-15", "2026-10-31", "2026-11-15", "2026-11-30"]
truck_wages = {"2026-09-15": 5900, "2026-09-30": 5900, "2026-10-15": 6000,
               "2026-10-31": 6000, "2026-11-15": 6100, "2026-11-30": 5800}
prev = "2026-09-00"
for p in paydays:
    tips = sum(t for d, _, _, t in payouts if prev < d <= p)
    add(p, -truck_wages[p], TRUCK, CHK, "Payroll", "Gusto payroll - truck crew wages")
    add(p, -round(truck_wages[p] * 0.09), TRUCK, CHK, "Payroll taxes", "Gusto - employer payroll taxes (truck)")
    add(p, -tips, TRUCK, CHK, "Tips paid out", "Gusto payroll - card tips paid to truck crew")
    prev = p

# one-off: the new smoker
add("2026-10-09", -8500, TRUCK, CHK, "Equipment purchase", "Hill Country Pit Works - new 1000 gal offset smoker")
# sales tax paid to the Texas Comptroller (Aug return from opening cash; Sep; Oct)
add("2026-09-18", -2840, TRUCK, CHK, "Sales tax paid", "Texas Comptroller - August sales tax")
add("2026-10-20", -square["2026-09"]["tax"], TRUCK, CHK, "Sales tax paid", "Texas Comptroller - September sales tax")
add("2026-11-20", -square["2026-10"]["tax"], TRUCK, CHK, "Sales tax paid", "Texas Comptroller - October sales tax")

# ---------------------------------------------------------------- catering
# events served in the window: (date, client/event, price, deposit, deposit date or None if
# received before 1 Sep, balance paid date or None if unpaid)
served = [
    ("2026-09-12", "Hernandez wedding", 8400, 4200, None, "2026-09-14"),
    ("2026-09-26", "Barton Creek Realty client appreciation", 3200, 1600, "2026-09-02", "2026-09-28"),
    ("2026-10-10", "Nguyen-Patel wedding", 11600, 5800, None, "2026-10-12"),
    ("2026-10-24", "Riverside Montessori fall festival", 4000, 2000, "2026-09-18", "2026-10-26"),
    ("2026-11-07", "Calloway-Brooks wedding", 7200, 3600, "2026-09-10", "2026-11-09"),
    ("2026-11-14", "Keller & Voss partner dinner", 2500, 1250, "2026-10-20", None),
    ("2026-11-21", "Ramirez quinceanera", 6000, 3000, "2026-10-03", "2026-11-23"),
]
# deposits for events NOT served by 30 Nov
future = [
    ("2026-10-15", "Lone Star Fintech holiday party 12/05", 3000),  # cancelled, refunded 11/10
    ("2026-10-28", "Sorensen anniversary dinner 12/06", 1200),
    ("2026-11-04", "Whitaker-Lin wedding 12/12", 4800),
    ("2026-11-16", "Austin Parks Foundation holiday lunch 12/18", 1575),
    ("2026-11-25", "Okafor wedding 01/16/2027", 6000),
]
DEP = "Customer deposits"
for ev_date, name, price, dep, dep_date, bal_date in served:
    if dep_date:
        add(dep_date, dep, CAT, DEP, "Event deposits", f"{name} {ev_date[5:7]}/{ev_date[8:10]} - 50% deposit received (event not yet served)")
    add(ev_date, -dep, CAT, DEP, "Event deposits", f"{name} - deposit applied to revenue, event served")
    add(ev_date, dep, CAT, DEP, "Catering revenue", f"{name} - deposit applied, event served")
    if bal_date:
        add(bal_date, price - dep, CAT, CHK, "Catering revenue", f"{name} - balance received")
for d, name, dep in future:
    add(d, dep, CAT, DEP, "Event deposits", f"{name} - 50% deposit received (event not yet served)")
add("2026-11-10", -3000, CAT, DEP, "Event deposits", "Lone Star Fintech holiday party 12/05 - CANCELLED, deposit refunded")
add("2026-11-25", -240, CAT, CHK, "Customer refunds", "Calloway-Brooks wedding - refund, ran short on brisket")

# catering direct costs per served event: food ~31%, rentals for weddings, event staff
food = {"2026-09-11": 2600, "2026-09-25": 1010, "2026-10-09": 3620, "2026-10-23": 1240,
        "2026-11-06": 2230, "2026-11-13": 790, "2026-11-20": 1870}
for d, a in food.items():
    add(d, -a, CAT, CHK, "Cost of goods sold", "Hill Country Meats / Restaurant Depot - event food")
rentals = {"2026-09-11": 460, "2026-10-09": 620, "2026-11-06": 410, "2026-11-20": 380}
for d, a in rentals.items():
    add(d, -a, CAT, CHK, "Equipment rental", "Austin Party Rentals - tables, linens, chafers")
cat_wages = {"2026-09-15": 1350, "2026-09-30": 520, "2026-10-15": 1800, "2026-10-31": 640,
             "2026-11-15": 1560, "2026-11-30": 980}
for d, a in cat_wages.items():
    add(d, -a, CAT, CHK, "Payroll", "Gusto payroll - event staff")
    add(d, -round(a * 0.09), CAT, CHK, "Payroll taxes", "Gusto - employer payroll taxes (catering)")
for m, fuel in (("09", 180), ("10", 210), ("11", 240)):
    add(f"2026-{m}-27", -fuel, CAT, CHK, "Fuel", "Shell - catering van fuel")
    add(f"2026-{m}-02", -140, CAT, CHK, "Insurance", "Catering liability policy - monthly")
    add(f"2026-{m}-06", -39, CAT, CHK, "Software", "HoneyBook - booking and invoices")
add("2026-11-12", -680, CAT, CHK, "Repairs", "Reyes Auto - catering van AC compressor")

# ---------------------------------------------------------------- holding
sba = {"09": (1250, 600), "10": (1258, 592), "11": (1266, 584)}  # principal, interest
for m, (pr, it) in sba.items():
    add(f"2026-{m}-05", -pr, HOLD, CHK, "SBA loan principal", "SBA 7(a) loan (food truck) - principal")
    add(f"2026-{m}-05", -it, HOLD, CHK, "SBA loan interest", "SBA 7(a) loan (food truck) - interest")
    add(f"2026-{m}-08", -520, HOLD, CHK, "Insurance", "Commercial auto - truck and van")
    add(f"2026-{m}-10", -300, HOLD, CHK, "Accounting fees", "Delgado CPA - monthly bookkeeping")
    add(f"2026-{m}-28", -15, HOLD, CHK, "Bank fees", "Frost Bank - monthly service fee")
    add(f"2026-{m}-01", -2500, HOLD, CHK, "Owner draws", "Owner draw - Luis Ortega")
    add(f"2026-{m}-01", -2500, HOLD, CHK, "Owner draws", "Owner draw - Maya Ortega")
    # intercompany: truck and catering send money up to the holding
    add(f"2026-{m}-25", -3500, TRUCK, CHK, "Intercompany transfer", "Transfer to Ortega Holdings")
    add(f"2026-{m}-25", 3500, HOLD, CHK, "Intercompany transfer", "Transfer from Smokehouse Truck")
    add(f"2026-{m}-26", -2000, CAT, CHK, "Intercompany transfer", "Transfer to Ortega Holdings")
    add(f"2026-{m}-26", 2000, HOLD, CHK, "Intercompany transfer", "Transfer from Ortega Catering")
# one-off: holding sends cash to the truck for the new smoker
add("2026-10-08", -6000, HOLD, CHK, "Intercompany transfer", "Transfer to Smokehouse Truck - new smoker")
add("2026-10-08", 6000, TRUCK, CHK, "Intercompany transfer", "Transfer from Ortega Holdings - new smoker")

rows.sort(key=lambda r: (r[0], r[2], r[4], r[5]))
with open(OUT, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "entity", "account", "category", "memo"])
    w.writerows(rows)

# ---------------------------------------------------------------- figures
REV = {"Square sales", "Catering revenue"}
REFUND = {"Customer refunds"}
NOT_PL = {"Sales tax collected", "Sales tax paid", "Tips collected", "Tips paid out",
          "Event deposits", "SBA loan principal", "Owner draws", "Intercompany transfer"}
OPENING = 28000
months = ["2026-09", "2026-10", "2026-11"]
fig = defaultdict(lambda: defaultdict(int))
cat_month = defaultdict(int)
for d, a, e, acc, c, memo in rows:
    m = d[:7]
    fig[(e, m)]["cash"] += a
    fig[(e, m)]["cat:" + c] += a
    if c in REV:
        fig[(e, m)]["rev"] += a
    elif c in REFUND:
        fig[(e, m)]["refund"] += -a
    elif c not in NOT_PL:
        fig[(e, m)]["cost"] += -a
        if c == "Cost of goods sold":
            fig[(e, m)]["cogs"] += -a

print(f"rows: {len(rows)}")
tot = defaultdict(int)
for e in (TRUCK, CAT, HOLD):
    print(f"\n== {e}")
    for m in months:
        f_ = fig[(e, m)]
        rev_net = f_["rev"] - f_["refund"]
        net = rev_net - f_["cost"]
        print(f"  {m}: revenue {f_['rev']:>7,} refunds {f_['refund']:>4,} revenue_net {rev_net:>7,} "
              f"costs {f_['cost']:>7,} (cogs {f_['cogs']:,}) net {net:>7,} cash_move {f_['cash']:>7,}")
        tot[(e, 'rev')] += rev_net; tot[(e, 'cost')] += f_["cost"]
        tot[('grp', m, 'rev')] += rev_net; tot[('grp', m, 'cost')] += f_["cost"]
        tot[('grp', m, 'cash')] += f_["cash"]
    print(f"  Sep-Nov: revenue_net {tot[(e,'rev')]:,} costs {tot[(e,'cost')]:,} net {tot[(e,'rev')]-tot[(e,'cost')]:,}")
    for m in months:
        f_ = fig[(e, m)]
        interesting = {k[4:]: v for k, v in f_.items() if k.startswith("cat:") and k[4:] in NOT_PL | {"Equipment purchase", "Square fees", "Repairs"}}
        print(f"    {m} non-P&L / notable: {interesting}")

print("\n== Group")
cash = OPENING
for m in months:
    r, c = tot[('grp', m, 'rev')], tot[('grp', m, 'cost')]
    cash += tot[('grp', m, 'cash')]
    print(f"  {m}: revenue {r:,} costs {c:,} net {r-c:,} cash move {tot[('grp', m, 'cash')]:,} cash at month end {cash:,}")
print(f"  opening cash {OPENING:,} on 2026-09-01; cash at 2026-11-30 {cash:,}")

print("\n== Square (truck) by month: food sales / tax / tips / total collected / fees / to bank")
for m in months:
    s = square[m]
    print(f"  {m}: sales {s['sales']:,} tax {s['tax']:,} tips {s['tips']:,} gross {s['gross']:,} fees {s['fees']:,} bank {s['bank']:,}")

print("\n== Truck October without the smoker")
f_ = fig[(TRUCK, "2026-10")]
print(f"  costs {f_['cost']-8500:,} net {f_['rev']-f_['refund']-(f_['cost']-8500):,}")

print("\n== Deposits (catering)")
for m in months:
    ins = sum(a for d, a, e, acc, c, memo in rows if d[:7] == m and c == "Event deposits" and a > 0)
    applied = -sum(a for d, a, e, acc, c, memo in rows if d[:7] == m and c == "Event deposits" and a < 0 and "applied" in memo)
    refunded = -sum(a for d, a, e, acc, c, memo in rows if d[:7] == m and c == "Event deposits" and "refunded" in memo)
    print(f"  {m}: received {ins:,} applied on serving {applied:,} refunded {refunded:,}")
held = sum(a for d, a, e, acc, c, memo in rows if c == "Event deposits")
print(f"  net deposits movement in window (in - applied - refunded): {held:,}")
print(f"  deposits held at 11/30 for unserved events: {1200+4800+1575+6000:,}")
