#!/usr/bin/env python3
"""Writes ledger/shopify_and_bank.csv for judgement-fernery and prints the true figures.

Fernery Goods LLC (Portland, OR): Fernery (online plant and pot shop, Shopify) and
Fernery Workshops (office plant-care retainers). Sep-Nov 2026, deterministic (no randomness).
Columns: Date,Description,Amount,Business,Category  (MM/DD/YYYY, cents, negative = money out)
"""
import csv
from collections import defaultdict
from decimal import Decimal as D, ROUND_HALF_UP
from pathlib import Path

OUT = Path(__file__).with_name("shopify_and_bank.csv")
OPENING = D("14250.00")
SHOP, WS = "Fernery", "Fernery Workshops"

def c(x):
    return D(x).quantize(D("0.01"), rounding=ROUND_HALF_UP)

rows = []  # (mm, dd, desc, amount, business, category)

def add(m, d, desc, amt, biz, cat):
    rows.append((m, d, desc, c(amt), biz, cat))

# ---------------- Shopify payouts (bookkeeper splits each payout) ----------------
# (month, day, gross sales, refunds)
payouts = [
    (9, 2, "3918.40", "-74.00"), (9, 9, "4102.75", "-58.50"), (9, 16, "4466.10", "-96.00"),
    (9, 23, "3987.35", "-61.25"), (9, 30, "4215.90", "-88.00"),
    (10, 7, "4880.25", "-102.40"), (10, 14, "5140.60", "-77.00"), (10, 21, "5302.15", "-131.50"),
    (10, 28, "5611.80", "-94.00"),
    (11, 4, "5205.40", "-118.00"), (11, 11, "5890.15", "-472.00"), (11, 18, "6140.70", "-1344.00"),
    (11, 25, "6580.35", "-1050.00"), (11, 30, "9842.60", "-630.00"),
]
CAPITAL_START = (9, 16)   # first payout after the advance landed on 9/10
for m, d, gross, refund in payouts:
    gross, refund = D(gross), D(refund)
    tag = f"Shopify payout {m:02d}/{d:02d}"
    add(m, d, f"{tag} - gross sales", gross, SHOP, "Shopify sales")
    add(m, d, f"{tag} - refunds", refund, SHOP, "Refunds")
    add(m, d, f"{tag} - Shopify Payments fees", -(gross * D("0.0315")), SHOP, "Merchant fees")
    add(m, d, f"{tag} - WA sales tax collected", gross * D("0.0118"), SHOP, "WA sales tax collected")
    if (m, d) >= CAPITAL_START:
        add(m, d, f"{tag} - Shopify Capital remittance (11%)", -(gross * D("0.11")), SHOP,
            "Shopify Capital repayment")

add(9, 10, "Shopify Capital advance - offer SC-88213", "12000.00", SHOP, "Shopify Capital advance")

# Wholesale: Grounds & Greens Coffee, invoice W-1004 sent 10/14 net 30, paid by ACH 11/16
add(11, 16, "Grounds & Greens Coffee - ACH inv W-1004", "3840.00", SHOP, "Wholesale sales")

# WA sales tax remitted to WA DOR (prior month's collections; August's was 231.18)
add(9, 24, "WA DEPT OF REVENUE - excise tax Aug", "-231.18", SHOP, "WA sales tax remitted")
def collected(month):
    return sum((c(D(g) * D("0.0118")) for mm, dd, g, r in payouts if mm == month), D("0"))
add(10, 23, "WA DEPT OF REVENUE - excise tax Sep", -collected(9), SHOP, "WA sales tax remitted")
add(11, 24, "WA DEPT OF REVENUE - excise tax Oct", -collected(10), SHOP, "WA sales tax remitted")

# Cost of goods: plants from growers, pots restock
cogs = {
    9: [(4, "Oregon Tropicals - plant order", "-2310.00"), (18, "Oregon Tropicals - plant order", "-2475.50"),
        (11, "Campo Ceramics - pot restock", "-1680.00")],
    10: [(2, "Oregon Tropicals - plant order", "-2560.00"), (16, "Oregon Tropicals - plant order", "-2690.25"),
         (27, "Campo Ceramics - pot restock", "-940.00")],
    11: [(3, "Oregon Tropicals - plant order", "-3120.00"), (13, "Oregon Tropicals - plant order", "-3385.75"),
         (20, "Oregon Tropicals - plant order", "-1210.00")],
}
for m, items in cogs.items():
    for d, desc, amt in items:
        add(m, d, desc, amt, SHOP, "Cost of goods sold")
# the one-off holiday bulk pot order
add(10, 6, "Campo Ceramics - holiday bulk pot order PO-2231", "-14680.00", SHOP, "Bulk inventory purchase")

# Shipping labels and packaging
ship = {9: ["-612.40", "-598.15", "-655.80", "-620.35"], 10: ["-702.10", "-744.60", "-768.25", "-810.90"],
        11: ["-835.40", "-902.75", "-958.30", "-1496.20"]}
for m, amts in ship.items():
    for i, a in enumerate(amts):
        add(m, 5 + 7 * i, "Shopify Shipping - label charges", a, SHOP, "Shipping & postage")
for m, a in {9: "-318.60", 10: "-344.20", 11: "-529.85"}.items():
    add(m, 12, "EcoEnclose - mailers and boxes", a, SHOP, "Packaging")

# Meta ads: rising spend
meta = {9: ["-460.00", "-480.00", "-480.00"], 10: ["-700.00", "-720.00", "-760.00"],
        11: ["-980.00", "-1040.00", "-1240.00"]}
for m, amts in meta.items():
    for i, a in enumerate(amts):
        add(m, 8 + 9 * i, "FACEBK *ADS META PLATFORMS", a, SHOP, "Advertising - Meta")

# Payroll (Sam, packer; seasonal helper in November)
for m in (9, 10, 11):
    add(m, 15, "Gusto - payroll Fernery", "-1180.00", SHOP, "Payroll")
    add(m, 30 if m != 11 else 30, "Gusto - payroll Fernery", "-1180.00", SHOP, "Payroll")
    add(m, 15, "Gusto - employer taxes Fernery", "-181.50", SHOP, "Payroll taxes")
add(11, 25, "Gusto - payroll Fernery (seasonal helper)", "-860.00", SHOP, "Payroll")

# Fixed shop costs
for m in (9, 10, 11):
    add(m, 1, "Stark St Storage - unit 14 rent", "-1150.00", SHOP, "Rent")
    add(m, 3, "Shopify - Grow plan", "-105.00", SHOP, "Software")
    add(m, 9, "Klaviyo - email", "-60.00" if m == 9 else "-100.00", SHOP, "Software")
    add(m, 21, "PGE - unit 14 electric", {9: "-88.40", 10: "-96.15", 11: "-112.70"}[m], SHOP, "Utilities")
    add(m, 28, "Chase - monthly service fee", "-15.00", SHOP, "Bank fees")

# Annual business insurance (whole LLC), paid up front
add(9, 8, "Hiscox - annual BOP premium 9/2026-8/2027", "-2868.00", SHOP, "Insurance")

# Owner draws (from the shop account)
for m in (9, 10, 11):
    add(m, 15, "Zelle to Maya Okafor - owner draw", "-2000.00", SHOP, "Owner draw")
    add(m, 15, "Zelle to Theo Lindqvist - owner draw", "-2000.00", SHOP, "Owner draw")

# Transfer shop -> workshops
add(10, 20, "Online transfer to CHK ...4471 (Workshops)", "-3000.00", SHOP, "Intercompany transfer")
add(10, 20, "Online transfer from CHK ...8820 (shop)", "3000.00", WS, "Intercompany transfer")

# ---------------- Fernery Workshops ----------------
clients = [  # name, monthly retainer, pay day
    ("Cascadia Mutual", "4200.00", 5), ("Pearl District Dental", "450.00", 7),
    ("Bridgetown Legal", "650.00", 9), ("Hawthorne Architects", "550.00", 12),
    ("Steeplejack Brewing", "500.00", 6), ("Alder & Finch", "600.00", 14),
    ("Northwest Community CU", "700.00", 10), ("Rosewood Property Mgmt", "400.00", 18),
]
mon = {9: "Sep", 10: "Oct", 11: "Nov"}
for m in (9, 10, 11):
    for name, fee, d in clients:
        add(m, d, f"{name} - {mon[m]} retainer", fee, WS, "Retainer revenue")
# Lumen Software: paid August's invoice on 9/2; Sep and Oct invoices unpaid (Sep 60 days overdue at 11/30)
add(9, 2, "Lumen Software - Aug retainer", "800.00", WS, "Retainer revenue")

for m in (9, 10, 11):
    add(m, 15, "Gusto - payroll Workshops", "-2050.00", WS, "Payroll")
    add(m, 30, "Gusto - payroll Workshops", "-2050.00", WS, "Payroll")
    add(m, 15, "Gusto - employer taxes Workshops", "-356.00", WS, "Payroll taxes")
    add(m, 2, "Enterprise Fleet - van lease", "-489.00", WS, "Vehicle lease")
    add(m, 4, "Jobber - subscription", "-69.00", WS, "Software")
    add(m, 4, "Google Workspace", "-14.40", WS, "Software")
    add(m, 22, "Verizon - tech phones", "-45.00", WS, "Phone")
for m, amts in {9: ["-212.30", "-228.75"], 10: ["-241.10", "-219.60"], 11: ["-236.45", "-250.80"]}.items():
    for i, a in enumerate(amts):
        add(m, 10 + 11 * i, "Chevron - fuel", a, WS, "Fuel")
for m, amts in {9: ["-388.00", "-344.50"], 10: ["-412.75", "-376.00"], 11: ["-455.20", "-1290.00"]}.items():
    for i, a in enumerate(amts):
        desc = "Portland Nursery - client replacement plants" if i == 0 or m != 11 else \
            "Portland Nursery - holiday displays (Cascadia)"
        add(m, 8 + 12 * i, desc, a, WS, "Plants & supplies (client sites)")

# ---------------- write ----------------
rows.sort(key=lambda r: (r[0], r[1], r[4], r[2]))
with OUT.open("w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Date", "Description", "Amount", "Business", "Category"])
    for m, d, desc, amt, biz, cat in rows:
        w.writerow([f"{m:02d}/{d:02d}/2026", desc, f"{amt:.2f}", biz, cat])

# ---------------- true figures ----------------
TYPE = {
    "Shopify sales": "revenue", "Wholesale sales": "revenue", "Retainer revenue": "revenue",
    "Refunds": "refund",
    "Cost of goods sold": "cogs", "Bulk inventory purchase": "cogs", "Plants & supplies (client sites)": "cogs",
    "Owner draw": "owner_draw", "Intercompany transfer": "transfer",
    "Shopify Capital advance": "loan_proceeds", "Shopify Capital repayment": "loan_principal",
    "WA sales tax collected": "sales_tax", "WA sales tax remitted": "sales_tax",
}
def t(cat):
    return TYPE.get(cat, "opex")

def fmt(x):
    return f"{x:,.2f}"

agg = defaultdict(lambda: defaultdict(D))
cats = defaultdict(lambda: defaultdict(D))
for m, d, desc, amt, biz, cat in rows:
    agg[(biz, m)][t(cat)] += amt
    agg[(biz, "all")][t(cat)] += amt
    agg[("GROUP", m)][t(cat)] += amt
    agg[("GROUP", "all")][t(cat)] += amt
    if t(cat) in ("opex", "cogs"):
        cats[(biz, "all")][cat] += amt
        cats[(biz, m)][cat] += amt

print(f"Rows: {len(rows)}  file: {OUT.name}")
print("Per business per month (revenue = sales; refunds reduce revenue; costs = COGS + opex):")
for biz in (SHOP, WS, "GROUP"):
    for m in (9, 10, 11, "all"):
        a = agg[(biz, m)]
        gross = a["revenue"]; ref = a["refund"]; rev = gross + ref
        cogs_ = -a["cogs"]; opex = -a["opex"]; costs = cogs_ + opex
        net = rev - costs
        label = mon.get(m, "Sep-Nov")
        print(f"  {biz:18s} {label:8s} sales {fmt(gross):>10s} refunds {fmt(-ref):>9s} revenue(net of refunds) {fmt(rev):>10s} "
              f"cogs {fmt(cogs_):>10s} opex {fmt(opex):>10s} costs {fmt(costs):>10s} net {fmt(net):>10s}")
        cash_only = {k: v for k, v in a.items() if k not in ("revenue", "refund", "cogs", "opex") and v}
        if cash_only:
            print("      cash-only:", ", ".join(f"{k} {fmt(v)}" for k, v in sorted(cash_only.items())))
        flow = sum(a.values(), D("0"))
        print(f"      cash flow (all rows) {fmt(flow)}; net after Capital principal {fmt(net + a['loan_principal'])}")
print()
for biz in (SHOP, WS):
    print(f"Costs by category {biz} Sep-Nov:", "; ".join(f"{k} {fmt(-v)}" for k, v in sorted(cats[(biz,'all')].items(), key=lambda kv: kv[1])))
    for m in (9, 10, 11):
        print(f"   {mon[m]}:", "; ".join(f"{k} {fmt(-v)}" for k, v in sorted(cats[(biz,m)].items(), key=lambda kv: kv[1])))
print()
# detail
tax_c = {m: sum((r[3] for r in rows if r[5] == "WA sales tax collected" and r[0] == m), D(0)) for m in (9, 10, 11)}
tax_p = {m: sum((r[3] for r in rows if r[5] == "WA sales tax remitted" and r[0] == m), D(0)) for m in (9, 10, 11)}
print("WA sales tax collected:", {mon[m]: fmt(v) for m, v in tax_c.items()}, "total", fmt(sum(tax_c.values())))
print("WA sales tax remitted:", {mon[m]: fmt(-v) for m, v in tax_p.items()}, "total", fmt(-sum(tax_p.values())))
print("  still owed at 11/30 (Nov collections, due 12/25):", fmt(tax_c[11]))
cap = sum((r[3] for r in rows if r[5] == "Shopify Capital repayment"), D(0))
capm = {mon[m]: fmt(-sum((r[3] for r in rows if r[5] == "Shopify Capital repayment" and r[0] == m), D(0))) for m in (9, 10, 11)}
print(f"Shopify Capital: advance 12,000.00; remitted {fmt(-cap)} {capm}; principal left {fmt(D(12000) + cap)}")
meta_m = {mon[m]: fmt(-sum((r[3] for r in rows if r[5] == "Advertising - Meta" and r[0] == m), D(0))) for m in (9, 10, 11)}
print("Meta ads by month:", meta_m)
ref_m = {mon[m]: fmt(-sum((r[3] for r in rows if r[5] == "Refunds" and r[0] == m), D(0))) for m in (9, 10, 11)}
print("Refunds by month:", ref_m)
ws_rev = {}
for name, fee, d in clients + [("Lumen Software", "0", 0)]:
    ws_rev[name] = sum((r[3] for r in rows if r[4] == WS and r[5] == "Retainer revenue" and r[2].startswith(name)), D(0))
tot = sum(ws_rev.values())
print("Workshops revenue by client Sep-Nov:", "; ".join(f"{k} {fmt(v)} ({v / tot * 100:.1f}%)" for k, v in ws_rev.items()))
print("Draws: 4,000.00 a month (Maya 2,000 + Theo 2,000), 12,000.00 Sep-Nov, all from Fernery")
print("Transfer: 3,000.00 Fernery -> Fernery Workshops on 10/20/2026 (nets to zero for the group)")
print("Bulk pot order: 14,680.00 on 10/06/2026 (Campo Ceramics PO-2231)")
print("Insurance: 2,868.00 annual premium on 09/08/2026")
# cash
bal = OPENING
print(f"Opening cash 09/01/2026: {fmt(OPENING)}")
for m in (9, 10, 11):
    bal += sum((r[3] for r in rows if r[0] == m), D(0))
    print(f"  cash at end of {mon[m]}: {fmt(bal)}")
print(f"Closing cash 11/30/2026: {fmt(bal)}")
