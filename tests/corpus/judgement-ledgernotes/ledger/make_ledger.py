#!/usr/bin/env python3
"""Write the three Chase checking exports of the Nowak Family Ventures judgement workspace
and print every figure expected.toml rests on. Deterministic: no randomness, stdlib only.

Each file is a raw bank export, newest row first, with no category or account column:

    Date,Description,Debit,Credit,Balance,Business

(MM/DD/YYYY dates, money out in Debit, money in in Credit, both positive with cents, a running
Balance per account, and a Business column the bookkeeper adds by account.)

Every row carries two readings in this script (never in the CSV):
  * CAREFUL: what the owners' and the bookkeeper's notes say the row is;
  * the bank's own words, from which the WRONG figures below are built.
Careful classes: rev (revenue), refund (reduces revenue), cost, ownerpay (an owner paying
themselves), personal (personal spending paid from a business account: also an owner draw),
transfer (between the family's own business accounts), contribution (owner money put in).
Rows the notes are UNSURE about keep the bank's reading (a cost) and are listed as questions.
"""
import csv
import datetime as dt
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

BAGEL = "Northside Bagel Co"
DUPLEX = "Maple Ave Duplex"
STUDIO = "Nowak Studio"

ACCOUNTS = {  # business -> (file, last four, balance on 09/01/2026 before its rows, in cents)
    BAGEL: ("chase_checking_4417.csv", "4417", 14_200_00),
    DUPLEX: ("chase_checking_8820.csv", "8820", 400_00),
    STUDIO: ("chase_checking_2291.csv", "2291", 9_480_00),
}
OPENING = sum(v[2] for v in ACCOUNTS.values())

MONTHS = (9, 10, 11)
MNAME = {9: "Sep", 10: "Oct", 11: "Nov"}

rows = []  # (date, description, cents signed, business, careful class, tag)


def D(m, d):
    return dt.date(2026, m, d)


def add(m, d, desc, amount, biz, cls, tag=""):
    """One bank row. The bank posts nothing but Zelle on a weekend: Monday instead."""
    cents = round(amount * 100)
    day = D(m, d)
    if not desc.startswith("ZELLE"):
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
    rows.append((day, desc, cents, biz, cls, tag))


def ref(seed):
    """A bank-looking reference, deterministic."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    n = (seed * 2654435761 + 97) % (2 ** 32)
    s = ""
    for _ in range(8):
        n = (n * 1103515245 + 12345) % (2 ** 31)
        s += alphabet[(n >> 16) % len(alphabet)]
    return s


def weekdays(m):
    d = D(m, 1)
    out = []
    while d.month == m:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


# ====================================================================== Northside Bagel Co
# Square card deposits every bank day (Monday's carries the weekend); no deposit on Labor Day
# or Thanksgiving (bank closed / shop closed).
SQ_BASE = {0: 1760, 1: 640, 2: 665, 3: 690, 4: 735}
SQ_BUMP = {9: 0, 10: 60, 11: 20}  # football Saturdays in October
SKIP = {D(9, 7), D(11, 26)}
for m in MONTHS:
    for d in weekdays(m):
        if d in SKIP:
            continue
        amt = SQ_BASE[d.weekday()] + SQ_BUMP[m] + (d.day * 37) % 83 + ((d.day * 53 + m * 11) % 100) / 100
        add(m, d.day, f"SQUARE INC DES:SQ26{m:02d}{d.day:02d} ID:T3N5X{d.day:02d} INDN:NORTHSIDE BAGEL CO CO ID:9424300002 CCD",
            amt, BAGEL, "rev")
    # DoorDash weekly payout, Wednesdays
    for d in weekdays(m):
        if d.weekday() == 2:
            amt = 410 + (d.day * 29) % 120 + ((d.day * 71) % 100) / 100
            add(m, d.day, f"DOORDASH, INC. DES:PAYOUT ID:ST-{ref(d.day + m * 40)} INDN:NORTHSIDE BAGEL CO CCD",
                amt, BAGEL, "rev")
# one catering order paid by check (Lakeview Realty open-house breakfast)
add(10, 14, "REMOTE ONLINE DEPOSIT #          1", 640.00, BAGEL, "rev")

for m in MONTHS:
    first_bank_day = 2 if m == 11 else 1
    add(m, first_bank_day, "BELMONT RETAIL LL DES:RENT ID:NSB-0114 INDN:NORTHSIDE BAGEL CO CCD", -3200.00, BAGEL, "cost")
    add(m, 6 if m != 9 else 8, "NEXT INSUR DES:PREMIUM ID:NXT55120 INDN:NORTHSIDE BAGEL CO", -162.00, BAGEL, "cost")
    add(m, 12 if m != 10 else 13, "SQ *SQUARE FOR RESTAURANTS PLUS gosq.com CA", -69.00, BAGEL, "cost")
    add(m, 18, "COMED DES:UTIL PYMT ID:0432118890 INDN:NORTHSIDE BAGEL", -{9: 468.31, 10: 441.07, 11: 452.66}[m], BAGEL, "cost")
    add(m, 21, "PEOPLES GAS DES:WEB PAY ID:7720019 INDN:NORTHSIDE BAGEL", -{9: 173.40, 10: 206.95, 11: 261.12}[m], BAGEL, "cost")
    add(m, 28, f"ZELLE TO PIKE RHONDA ON {m:02d}/28 REF # BAC{ref(m + 300)}", -350.00, BAGEL, "cost")
    add(m, 30, "MONTHLY SERVICE FEE", -15.00, BAGEL, "cost")
    # Gusto payroll fee
    add(m, 4 if m != 10 else 2, f"GUSTO DES:FEE {ref(m + 500)} ID:7AJ2K INDN:NORTHSIDE BAGEL CO", -80.00, BAGEL, "cost")

# Gusto payroll, every other Friday: net pay and payroll taxes
PAYDAYS = [(9, 11), (9, 25), (10, 9), (10, 23), (11, 6), (11, 20)]
NET = [2958.14, 2931.76, 3046.29, 3078.52, 2994.61, 2967.08]
TAX = [824.37, 817.02, 851.66, 858.40, 836.95, 829.13]
for (m, d), n, t in zip(PAYDAYS, NET, TAX):
    add(m, d, f"GUSTO DES:NET {m:02d}{d:02d}26 ID:7AJ2K INDN:NORTHSIDE BAGEL CO CCD", -n, BAGEL, "cost")
    add(m, d, f"GUSTO DES:TAX {m:02d}{d:02d}26 ID:7AJ2K INDN:NORTHSIDE BAGEL CO CCD", -t, BAGEL, "cost")

# Sysco every Monday (Tuesday after Labor Day)
for m in MONTHS:
    for d in weekdays(m):
        if d.weekday() == 0:
            day = 8 if d == D(9, 7) else d.day
            amt = 760 + (day * 43) % 140 + ((day * 17) % 100) / 100
            add(m, day, f"SYSCO CHICAGO INC DES:SALE ID:{ref(day + m * 60)} INDN:NORTHSIDE BAGEL CO", -amt, BAGEL, "cost")

# Restaurant Depot and Costco runs on the debit card
for m, d, a in [(9, 10, 312.84), (9, 24, 287.19), (10, 8, 334.50), (10, 22, 298.77),
                (11, 5, 321.06), (11, 19, 346.29)]:
    add(m, d, "POS DEBIT RESTAURANT DEPOT #412 CHICAGO IL", -a, BAGEL, "cost")
for m, d, a in [(9, 17, 186.44), (10, 22, 241.06), (11, 12, 198.73)]:
    add(m, d, "POS DEBIT COSTCO WHSE #0388 CHICAGO IL", -a, BAGEL, "cost")
# UNSURE: Rhonda asks whether the 10/9 Costco run was personal; nobody has answered.
add(10, 9, "POS DEBIT COSTCO WHSE #0388 CHICAGO IL", -212.37, BAGEL, "cost", "unsure-costco")
# a plumber paid by check for the shop's prep-sink drain (the notes say so; a business cost)
add(11, 13, "CHECK 1044", -450.00, BAGEL, "cost", "plumber-check")

# Sam pays himself: transfers to the family's personal checking ...0932 on the 1st and 15th
for m, d in [(9, 1), (9, 15), (10, 1), (10, 15), (11, 2), (11, 16)]:
    add(m, d, f"ONLINE TRANSFER TO CHK ...0932 TRANSACTION#: {11_80_000 + m * 100 + d}", -1500.00, BAGEL, "ownerpay", "sam-pay")
# Personal spending from the shop account (the notes say so)
add(9, 8, "POS DEBIT DELTA AIR 0062349871 ATLANTA GA", -1386.40, BAGEL, "personal", "vacation")
add(9, 10, "AIRBNB * HM4KQ2XZ8 AIRBNB.COM CA", -1142.18, BAGEL, "personal", "vacation")
add(10, 5, "CHECK 1043", -1200.00, BAGEL, "personal", "tuition")
for m in MONTHS:
    add(m, 3, f"ZELLE TO KOWALSKI JERRY ON {m:02d}/03 REF # BAC{ref(m + 700)}", -500.00, BAGEL, "personal", "jerry-loan")
# Shop -> duplex account, to cover the furnace
add(10, 20, "ONLINE TRANSFER TO CHK ...8820 TRANSACTION#: 1194418", -2500.00, BAGEL, "transfer", "shop-to-duplex")

# ====================================================================== Maple Ave Duplex
for m in MONTHS:
    d = 1 if m != 11 else 2
    add(m, d, f"ZELLE FROM GARCIA MARISOL ON {m:02d}/{d:02d} REF # BAC{ref(m + 900)}", 1650.00, DUPLEX, "rev")
    add(m, {9: 4, 10: 5, 11: 4}[m], "REMOTE ONLINE DEPOSIT #          1", 1450.00, DUPLEX, "rev")
    add(m, 10, "STATE FARM RO 27 SFPP DES:CPC-CLIENT ID:3871 INDN:NOWAK SAMUEL", -138.00, DUPLEX, "cost")
    add(m, 16, "COMED DES:UTIL PYMT ID:0432207715 INDN:NOWAK SAMUEL", -{9: 27.84, 10: 31.12, 11: 38.40}[m], DUPLEX, "cost")
    add(m, 30, "MONTHLY SERVICE FEE", -12.00, DUPLEX, "cost")
add(10, 13, "CITY OF CHICAGO DES:UTILITY ID:DWM4410 INDN:NOWAK SAMUEL", -211.62, DUPLEX, "cost")
add(9, 19, "THE HOME DEPOT #1902 CHICAGO IL", -84.12, DUPLEX, "cost")
add(11, 14, "THE HOME DEPOT #1902 CHICAGO IL", -231.50, DUPLEX, "cost")
# Jorge Alvarez, lawn: Venmo shows no payee
add(9, 14, "VENMO PAYMENT 1029384756 WEB ID: 3264681992", -120.00, DUPLEX, "cost", "lawn")
add(10, 12, "VENMO PAYMENT 1029911204 WEB ID: 3264681992", -120.00, DUPLEX, "cost", "lawn")
# UNSURE: gutters (a cost) or Sam paying Jorge back for Bears tickets (personal)?
add(11, 3, "VENMO PAYMENT 1030227751 WEB ID: 3264681992", -350.00, DUPLEX, "cost", "unsure-venmo")
# furnace (October) and roof patch (November) by check
add(10, 22, "CHECK 2205", -2860.00, DUPLEX, "cost", "furnace")
add(11, 10, "CHECK 2206", -3400.00, DUPLEX, "cost", "roof")
# the shop's transfer in, and Sam's own savings put in for the roof
add(10, 20, "ONLINE TRANSFER FROM CHK ...4417 TRANSACTION#: 1194418", 2500.00, DUPLEX, "transfer", "shop-to-duplex")
add(11, 6, f"ZELLE FROM NOWAK SAMUEL ON 11/06 REF # BAC{ref(1106)}", 3000.00, DUPLEX, "contribution", "sam-savings")

# ====================================================================== Nowak Studio
add(9, 4, "HARBORVIEW DENTA DES:ACH PMT ID:HVD0926 INDN:NOWAK STUDIO LLC CCD", 2400.00, STUDIO, "rev")
add(10, 5, "HARBORVIEW DENTA DES:ACH PMT ID:HVD1026 INDN:NOWAK STUDIO LLC CCD", 2400.00, STUDIO, "rev")
add(11, 4, "HARBORVIEW DENTA DES:ACH PMT ID:HVD1126 INDN:NOWAK STUDIO LLC CCD", 2400.00, STUDIO, "rev")
add(9, 9, "LAKESIDE MONTESS DES:VENDOR PAY ID:000418 INDN:NOWAK STUDIO", 1500.00, STUDIO, "rev")
add(10, 8, "LAKESIDE MONTESS DES:VENDOR PAY ID:000452 INDN:NOWAK STUDIO", 1500.00, STUDIO, "rev")
add(11, 9, "LAKESIDE MONTESS DES:VENDOR PAY ID:000487 INDN:NOWAK STUDIO", 1500.00, STUDIO, "rev")
add(9, 11, "KESTREL BREWING DES:PAYMENT ID:KB-2017 INDN:NOWAK STUDIO LLC", 1800.00, STUDIO, "rev")
add(9, 22, "STRIPE DES:TRANSFER ID:ST-Q8R2M4K7 INDN:NOWAK STUDIO LLC CCD", 922.15, STUDIO, "rev")
add(10, 16, "STRIPE DES:TRANSFER ID:ST-W3N6P9T1 INDN:NOWAK STUDIO LLC CCD", 1238.42, STUDIO, "rev")
add(11, 20, "STRIPE DES:TRANSFER ID:ST-H5J7L2C8 INDN:NOWAK STUDIO LLC CCD", 2068.81, STUDIO, "rev")
# Brightline Yoga rebrand deposit, then refunded when the project was cancelled
add(10, 2, f"ZELLE FROM BRIGHTLINE YOGA LLC ON 10/02 REF # BAC{ref(1002)}", 600.00, STUDIO, "rev", "brightline-deposit")
add(11, 12, f"ZELLE TO BRIGHTLINE YOGA LLC ON 11/12 REF # BAC{ref(1112)}", -600.00, STUDIO, "refund", "brightline-refund")

for m in MONTHS:
    add(m, 3, "ADOBE *CREATIVE CLD 800-833-6687 CA", -89.99, STUDIO, "cost")
    add(m, 7, "FIGMA MONTHLY FIGMA.COM CA", -45.00, STUDIO, "cost")
    add(m, 14, "SQSP* WEBSITE #218837 SQUARESPACE.C NY", -33.00, STUDIO, "cost")
    add(m, 2, "INDUSTRIOUS CHICAGO DES:MEMBERSHIP ID:IND7781 INDN:NOWAK STUDIO", -425.00, STUDIO, "cost")
    add(m, 20, "HISCOX INC DES:INS PREM ID:HX09921 INDN:NOWAK STUDIO LLC", -58.00, STUDIO, "cost")
# Kim Le, freelance illustrator
add(9, 25, f"ZELLE TO LE KIM ON 09/25 REF # BAC{ref(925)}", -750.00, STUDIO, "cost", "kim")
add(10, 23, f"ZELLE TO LE KIM ON 10/23 REF # BAC{ref(1023)}", -1100.00, STUDIO, "cost", "kim")
add(11, 24, f"ZELLE TO LE KIM ON 11/24 REF # BAC{ref(1124)}", -900.00, STUDIO, "cost", "kim")
add(9, 23, "AMAZON MKTPL*ZB4TQ81 Amzn.com/bill WA", -64.20, STUDIO, "cost")
# UNSURE: the monitor arm (studio) or Christmas presents (personal)?
add(11, 18, "AMAZON MKTPL*ZX3K91M Amzn.com/bill WA", -189.99, STUDIO, "cost", "unsure-amazon")
# Tess pays herself on the 1st (first bank day) every month
for m, d in [(9, 1), (10, 1), (11, 2)]:
    add(m, d, f"ZELLE TO NOWAK TESS ON {m:02d}/{d:02d} REF # BAC{ref(m * 50 + d)}", -2000.00, STUDIO, "ownerpay", "tess-pay")
# the Nowaks' personal Q3 federal estimate, paid from the studio account
add(9, 15, "IRS USATAXPYMT 270665812345678 CCD", -3400.00, STUDIO, "personal", "irs-estimate")
# Tess's personal Amex paid from the studio account by mistake
add(10, 27, "AMEX EPAYMENT ACH PMT W8842", -1143.27, STUDIO, "personal", "amex-personal")

# ====================================================================== write the CSVs
for biz, (fname, last4, opening) in ACCOUNTS.items():
    mine = sorted((r for r in rows if r[3] == biz), key=lambda r: (r[0], -r[2], r[1]))
    bal = opening
    out = []
    for d, desc, c, b, cls, tag in mine:
        bal += c
        debit = f"{-c / 100:.2f}" if c < 0 else ""
        credit = f"{c / 100:.2f}" if c > 0 else ""
        out.append([d.strftime("%m/%d/%Y"), desc, debit, credit, f"{bal / 100:.2f}", b])
    out.reverse()  # the bank exports newest first
    with open(os.path.join(HERE, fname), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Date", "Description", "Debit", "Credit", "Balance", "Business"])
        w.writerows(out)
    print(f"wrote {len(out)} rows to {fname} (opening {opening / 100:,.2f}, closing {bal / 100:,.2f})")


# ====================================================================== figures
def money(c):
    return f"{c / 100:,.2f}"


def pat(c):
    """Regex for an amount in cents: the whole dollars, truncated or rounded."""
    c = abs(c)
    lo, hi = c // 100, (c + 50) // 100
    alts = []
    for v in sorted({lo, hi}):
        s = f"{v:,}"
        alts.append(s.replace(",", ",?"))
    if len(alts) == 2 and alts[0][:-1] == alts[1][:-1]:
        body = alts[0][:-1] + f"[{alts[0][-1]}{alts[1][-1]}]"
    else:
        body = "(?:" + "|".join(alts) + ")" if len(alts) > 1 else alts[0]
    if max(lo, hi) < 1000:
        return f"(?<![\\d,.]){body}(?!,?\\d)"
    return body


def show(label, c):
    print(f"  {label:62s} {money(c):>12s}   {pat(c)}")


BIZ = (BAGEL, DUPLEX, STUDIO)
rev = defaultdict(int)
cost = defaultdict(int)
other = defaultdict(int)
for d, desc, c, b, cls, tag in rows:
    key = (b, d.month)
    if cls in ("rev", "refund"):
        rev[key] += c
    elif cls == "cost":
        cost[key] -= c
    else:
        other[(b, cls, d.month)] += c


def R(b, ms=MONTHS):
    return sum(rev[(b, m)] for m in ms)


def C(b, ms=MONTHS):
    return sum(cost[(b, m)] for m in ms)


print("\n== CAREFUL P&L (notes applied; unsure rows left as the bank says) ==")
for b in BIZ:
    for m in MONTHS:
        show(f"{b} {MNAME[m]} revenue", R(b, [m]))
        show(f"{b} {MNAME[m]} costs", C(b, [m]))
        show(f"{b} {MNAME[m]} net", R(b, [m]) - C(b, [m]))
    show(f"{b} Sep-Nov revenue", R(b))
    show(f"{b} Sep-Nov costs", C(b))
    show(f"{b} Sep-Nov net", R(b) - C(b))
    print()
GR = sum(R(b) for b in BIZ)
GC = sum(C(b) for b in BIZ)
for m in MONTHS:
    show(f"group {MNAME[m]} revenue", sum(R(b, [m]) for b in BIZ))
    show(f"group {MNAME[m]} costs", sum(C(b, [m]) for b in BIZ))
    show(f"group {MNAME[m]} net", sum(R(b, [m]) - C(b, [m]) for b in BIZ))
show("group Sep-Nov revenue", GR)
show("group Sep-Nov costs", GC)
show("group Sep-Nov net", GR - GC)


def tagged(tag):
    return sum(r[2] for r in rows if r[5] == tag)


def cls_sum(cls, b=None, ms=MONTHS):
    return sum(r[2] for r in rows if r[4] == cls and (b is None or r[3] == b) and r[0].month in ms)


print("\n== detail ==")
sq = sum(r[2] for r in rows if r[1].startswith("SQUARE INC"))
dd = sum(r[2] for r in rows if r[1].startswith("DOORDASH"))
for m in MONTHS:
    show(f"bagel Square deposits {MNAME[m]}", sum(r[2] for r in rows if r[1].startswith("SQUARE INC") and r[0].month == m))
    show(f"bagel DoorDash payouts {MNAME[m]}", sum(r[2] for r in rows if r[1].startswith("DOORDASH") and r[0].month == m))
show("bagel Square deposits Sep-Nov", sq)
show("bagel DoorDash payouts Sep-Nov", dd)
show("bagel payroll (Gusto net + tax + fee) Sep-Nov", -sum(r[2] for r in rows if r[1].startswith("GUSTO")))
show("bagel Sysco Sep-Nov", -sum(r[2] for r in rows if r[1].startswith("SYSCO")))
show("bagel Costco Sep-Nov (incl. the unsure 10/9 run)", -sum(r[2] for r in rows if "COSTCO" in r[1]))
show("duplex rent Sep-Nov (Unit A 1,650 + Unit B 1,450, x3)", R(DUPLEX))
show("duplex furnace (CHECK 2205, 10/22)", -tagged("furnace"))
show("duplex roof (CHECK 2206, 11/10)", -tagged("roof"))
show("studio Brightline deposit (10/2)", tagged("brightline-deposit"))
show("studio Brightline refund (11/12)", -tagged("brightline-refund"))
show("studio revenue Sep-Nov before the refund", R(STUDIO) - tagged("brightline-refund"))
show("studio revenue Sep-Nov without deposit or refund", R(STUDIO) - tagged("brightline-refund") - tagged("brightline-deposit"))
show("studio Nov revenue before the refund", R(STUDIO, [11]) - tagged("brightline-refund"))
show("studio Nov costs with the refund as a cost", C(STUDIO, [11]) - tagged("brightline-refund"))
show("studio Sep-Nov costs with the refund as a cost", C(STUDIO) - tagged("brightline-refund"))
show("studio Kim Le Sep-Nov", -tagged("kim"))
hv = sum(r[2] for r in rows if r[1].startswith("HARBORVIEW"))
show("studio Harborview Dental Sep-Nov", hv)
print(f"  {'Harborview share of studio revenue Sep-Nov':62s} {100 * hv / R(STUDIO):.1f}%")
dep, rf = tagged("brightline-deposit"), -tagged("brightline-refund")
print("  -- the other reading of Brightline: a deposit held and handed back (neither revenue nor refund)")
show("studio Oct revenue without the deposit", R(STUDIO, [10]) - dep)
show("studio Oct net without the deposit", R(STUDIO, [10]) - dep - C(STUDIO, [10]))
show("studio Nov revenue without the refund", R(STUDIO, [11]) + rf)
show("studio Nov net without the refund", R(STUDIO, [11]) + rf - C(STUDIO, [11]))
show("group Oct net without the deposit", sum(R(b, [10]) - C(b, [10]) for b in BIZ) - dep)
show("group Nov net without the refund", sum(R(b, [11]) - C(b, [11]) for b in BIZ) + rf)
show("group Nov revenue without the refund", sum(R(b, [11]) for b in BIZ) + rf)
show("duplex rent roll a month (1,650 + 1,450)", 310000)
show("duplex Nov costs: roof", 340000)

print("\n== costs by business and payee, Sep-Nov (careful) ==")
bypayee = defaultdict(int)
for d, desc, c, b, cls, tag in rows:
    if cls == "cost":
        key = desc.split(" DES:")[0].split(" ON ")[0].split(" REF ")[0]
        key = " ".join(w for w in key.split() if not any(ch.isdigit() for ch in w) or w.startswith("#"))
        if desc.startswith("CHECK"):
            key = desc
        bypayee[(b, key)] -= c
for (b, key), v in sorted(bypayee.items()):
    show(f"{b[:18]:18s} {key[:42]}", v)

print("\n== owner draws (owner pay + personal spending from business accounts) ==")
for tag in ("sam-pay", "tess-pay", "vacation", "tuition", "jerry-loan", "irs-estimate", "amex-personal"):
    show(f"  {tag}", -tagged(tag))
pay = -(cls_sum("ownerpay"))
pers = -(cls_sum("personal"))
show("owner pay (Sam 6 x 1,500 + Tess 3 x 2,000)", pay)
show("personal spending paid by the businesses", pers)
show("OWNER DRAWS TOTAL Sep-Nov (pay + personal)", pay + pers)
for b in BIZ:
    show(f"  draws from {b}", -(cls_sum("ownerpay", b) + cls_sum("personal", b)))
for m in MONTHS:
    show(f"  draws in {MNAME[m]}", -(cls_sum("ownerpay", ms=[m]) + cls_sum("personal", ms=[m])))
contrib = cls_sum("contribution")
show("owner money put in (Zelle from Sam, 11/6)", contrib)
show("draws net of the money put in", pay + pers - contrib)
show("Sam's side: pay + vacation + tuition + Jerry", -(tagged("sam-pay") + tagged("vacation") + tagged("tuition") + tagged("jerry-loan")))
show("Tess's side: pay + Amex", -(tagged("tess-pay") + tagged("amex-personal")))
show("family (not one owner): IRS estimate", -tagged("irs-estimate"))
show("transfer shop -> duplex (10/20), each side", 250000)

print("\n== unsure rows (left as costs, to be asked) ==")
for tag in ("unsure-costco", "unsure-venmo", "unsure-amazon"):
    show(f"  {tag}", -tagged(tag))
uns = -(tagged("unsure-costco") + tagged("unsure-venmo") + tagged("unsure-amazon"))
show("  unsure total", uns)

print("\n== cash ==")
bal = OPENING
month_end = {}
for r in sorted(rows, key=lambda r: r[0]):
    bal += r[2]
    month_end[r[0].month] = bal
show("opening cash 09/01/2026 (three accounts)", OPENING)
for m in MONTHS:
    show(f"cash at end of {MNAME[m]}", month_end[m])
for b, (fname, last4, opening) in ACCOUNTS.items():
    show(f"  {b} ...{last4} at 11/30", opening + sum(r[2] for r in rows if r[3] == b))
show("cash change Sep-Nov", month_end[11] - OPENING)
show("check: operating net - draws + contribution", GR - GC - (pay + pers) + contrib)

print("\n== WRONG figures (for [[absent]]) ==")
W = []


def wrong(label, c):
    W.append((label, c))
    show(label, c)


v, t, j, sp = -tagged("vacation"), -tagged("tuition"), -tagged("jerry-loan"), -tagged("sam-pay")
irs, tp, amex = -tagged("irs-estimate"), -tagged("tess-pay"), -tagged("amex-personal")
xfer, sav = 250000, tagged("sam-savings")
uc, uv, ua = -tagged("unsure-costco"), -tagged("unsure-venmo"), -tagged("unsure-amazon")
refund = -tagged("brightline-refund")
bagel_personal = v + t + j
print(" -- bagel: costs that include the personal spending / owner pay / the transfer")
wrong("bagel Sep-Nov costs + vacation + tuition + Jerry", C(BAGEL) + bagel_personal)
wrong("bagel Sep-Nov costs + personal + Sam's pay", C(BAGEL) + bagel_personal + sp)
wrong("bagel Sep-Nov costs + personal + Sam's pay + transfer", C(BAGEL) + bagel_personal + sp + xfer)
wrong("bagel Sep-Nov costs + personal + transfer", C(BAGEL) + bagel_personal + xfer)
wrong("bagel Sep-Nov net - personal", R(BAGEL) - C(BAGEL) - bagel_personal)
wrong("bagel Sep-Nov net - personal - Sam's pay", R(BAGEL) - C(BAGEL) - bagel_personal - sp)
wrong("bagel Sep-Nov net - personal - Sam's pay - transfer", R(BAGEL) - C(BAGEL) - bagel_personal - sp - xfer)
wrong("bagel Sep costs + vacation + Jerry", C(BAGEL, [9]) + v + 50000)
wrong("bagel Sep net - vacation - Jerry", R(BAGEL, [9]) - C(BAGEL, [9]) - v - 50000)
wrong("bagel Oct costs + tuition + Jerry", C(BAGEL, [10]) + t + 50000)
wrong("bagel Oct costs + tuition + Jerry + transfer", C(BAGEL, [10]) + t + 50000 + xfer)
wrong("bagel Nov costs + Jerry", C(BAGEL, [11]) + 50000)
print(" -- duplex: revenue that includes Sam's savings / the shop's transfer")
wrong("duplex Sep-Nov revenue + Sam's 3,000", R(DUPLEX) + sav)
wrong("duplex Sep-Nov revenue + shop transfer 2,500", R(DUPLEX) + xfer)
wrong("duplex Sep-Nov revenue + both", R(DUPLEX) + sav + xfer)
wrong("duplex Nov revenue + Sam's 3,000", R(DUPLEX, [11]) + sav)
wrong("duplex Oct revenue + shop transfer", R(DUPLEX, [10]) + xfer)
wrong("duplex Sep-Nov net + Sam's 3,000", R(DUPLEX) - C(DUPLEX) + sav)
wrong("duplex Sep-Nov net + both", R(DUPLEX) - C(DUPLEX) + sav + xfer)
wrong("duplex Nov net + Sam's 3,000", R(DUPLEX, [11]) - C(DUPLEX, [11]) + sav)
wrong("duplex Oct net + shop transfer", R(DUPLEX, [10]) - C(DUPLEX, [10]) + xfer)
print(" -- studio: costs that include the IRS estimate / Tess's pay / her Amex")
wrong("studio Sep-Nov costs + IRS", C(STUDIO) + irs)
wrong("studio Sep-Nov costs + Tess's pay", C(STUDIO) + tp)
wrong("studio Sep-Nov costs + IRS + Tess's pay", C(STUDIO) + irs + tp)
wrong("studio Sep-Nov costs + IRS + Tess's pay + Amex", C(STUDIO) + irs + tp + amex)
wrong("studio Sep-Nov costs + IRS + Amex", C(STUDIO) + irs + amex)
wrong("studio Sep-Nov net - IRS", R(STUDIO) - C(STUDIO) - irs)
wrong("studio Sep-Nov net - IRS - Tess's pay", R(STUDIO) - C(STUDIO) - irs - tp)
wrong("studio Sep-Nov net - IRS - Tess's pay - Amex", R(STUDIO) - C(STUDIO) - irs - tp - amex)
wrong("studio Sep-Nov net - Tess's pay", R(STUDIO) - C(STUDIO) - tp)
wrong("studio Sep costs + IRS + Tess's pay", C(STUDIO, [9]) + irs + tp // 3)
wrong("studio Sep net - IRS - Tess's pay", R(STUDIO, [9]) - C(STUDIO, [9]) - irs - tp // 3)
wrong("studio Sep net - IRS", R(STUDIO, [9]) - C(STUDIO, [9]) - irs)
print(" -- group")
wrong("group Sep-Nov revenue + Sam's 3,000", GR + sav)
wrong("group Sep-Nov revenue + Sam's 3,000 + transfer", GR + sav + xfer)
wrong("group Sep-Nov costs + personal spending", GC + pers)
wrong("group Sep-Nov costs + personal + owner pay", GC + pers + pay)
wrong("group Sep-Nov net - personal spending", GR - GC - pers)
wrong("group Sep-Nov net - personal - owner pay", GR - GC - pers - pay)
wrong("group Sep-Nov net + Sam's 3,000", GR - GC + sav)
print(" -- unsure rows treated as decided (personal)")
wrong("bagel Sep-Nov costs without the 10/9 Costco", C(BAGEL) - uc)
wrong("bagel Oct costs without the 10/9 Costco", C(BAGEL, [10]) - uc)
wrong("bagel Sep-Nov net without the 10/9 Costco", R(BAGEL) - C(BAGEL) + uc)
wrong("duplex Sep-Nov costs without the 11/3 Venmo", C(DUPLEX) - uv)
wrong("duplex Nov costs without the 11/3 Venmo", C(DUPLEX, [11]) - uv)
wrong("duplex Sep-Nov net without the 11/3 Venmo", R(DUPLEX) - C(DUPLEX) + uv)
wrong("studio Sep-Nov costs without the 11/18 Amazon", C(STUDIO) - ua)
wrong("studio Nov costs without the 11/18 Amazon", C(STUDIO, [11]) - ua)
wrong("studio Sep-Nov net without the 11/18 Amazon", R(STUDIO) - C(STUDIO) + ua)
wrong("group Sep-Nov costs without all three unsure", GC - uns)
wrong("draws incl. all three unsure", pay + pers + uns)
wrong("draws incl. the Costco", pay + pers + uc)
wrong("draws incl. the Venmo", pay + pers + uv)
wrong("draws incl. the Amazon", pay + pers + ua)
print(" -- refund")
wrong("studio Sep-Nov net with the refund ignored", R(STUDIO) - C(STUDIO) + refund)
print(" -- transfers")
wrong("'transfers' = Sam's pay + the shop-to-duplex transfer", sp + xfer)

# collision check: no wrong figure may share dollars with a figure the careful reading prints
careful = set()
for b in BIZ:
    for ms in ([9], [10], [11], list(MONTHS)):
        careful |= {R(b, ms), C(b, ms), R(b, ms) - C(b, ms)}
for ms in ([9], [10], [11], list(MONTHS)):
    careful |= {sum(R(b, ms) for b in BIZ), sum(C(b, ms) for b in BIZ), sum(R(b, ms) - C(b, ms) for b in BIZ)}
careful |= {-tagged(t) for t in ("sam-pay", "tess-pay", "vacation", "tuition", "jerry-loan", "irs-estimate", "amex-personal")}
careful |= {-(cls_sum("ownerpay", b) + cls_sum("personal", b)) for b in BIZ}
careful |= {-(cls_sum("ownerpay", ms=[m]) + cls_sum("personal", ms=[m])) for m in MONTHS}
careful |= {pay + pers, pay, pers, pay + pers - contrib, OPENING, *month_end.values(),
            R(STUDIO) - tagged("brightline-refund"), C(STUDIO) - tagged("brightline-refund")}


def dollars(c):
    return {abs(c) // 100, (abs(c) + 50) // 100}


bad = [(lbl, c) for lbl, c in W if any(dollars(c) & dollars(k) for k in careful)]
print("\ncollisions between wrong and careful figures:", bad or "none")
