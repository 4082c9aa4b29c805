#!/usr/bin/env python3
"""Generate ledger/bank-export-2026-09-11.csv for the Polder & Co judgement workspace.

A Dutch-style bank/bookkeeping export as Sanne keeps it: semicolon separated, day-first
dates (dd-mm-yyyy), amounts with a decimal comma and a dot for thousands ("1.234,56"),
inflow positive. Each guest payment is split by Sanne into room revenue (ex BTW), BTW 9%,
toeristenbelasting 7% and the platform commission, all on the payout date.

Deterministic: run `python3 make_ledger.py` and it rewrites the CSV and prints every
figure the expectations rest on. Revenue = rows of the revenue categories (minus refunds
for "net"); costs = every operating cost row (commission, wages, repairs, the renovation,
interest ...), never draws, loans, loan principal, transfers, BTW, tourist tax or the
insurance payout.
"""
import csv
import os
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bank-export-2026-09-11.csv")

BNB = "Grachtzicht B&B"
KOERIER = "Fietskoerier Utrecht"
HOEK = "De Boekhoudhoek"
IBAN = {BNB: "NL24RABO0312456789", KOERIER: "NL61RABO0398765432", HOEK: "NL08INGB0006543210"}

# category -> kind used by this script (mirrors [sources.ledger.types] in execbrief.toml)
KIND = {
    "Omzet kamers": "revenue",
    "Omzet bezorging": "revenue",
    "Omzet administratie": "revenue",
    "Terugbetaling gast": "refund",
    "BTW ontvangen": "tax_held",
    "BTW afdracht": "tax_held",
    "Toeristenbelasting ontvangen": "tax_held",
    "Toeristenbelasting afdracht": "tax_held",
    "Privé-opname": "draw",
    "Lening Qredits": "loan_in",
    "Aflossing lening": "loan_principal",
    "Overboeking eigen rekening": "transfer",
    "Verzekeringsuitkering": "insurance_payout",
}  # everything else: operating cost (incl. "Rente lening", "Verbouwing", "Commissie platforms")

D = lambda x: Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
rows = []  # (date, entity_cell, account, memo, category, amount)


def add(d, ent, memo, cat, amt, ent_cell=None, account=None):
    rows.append((d, ent if ent_cell is None else ent_cell, account or IBAN.get(ent, ""), memo, cat, D(amt), ent))


START, END = date(2026, 9, 1), date(2026, 11, 30)
rng = random.Random(2026)

# ---------------------------------------------------------------- Grachtzicht B&B
ROOMS = {1: ("De Gracht", 118), 2: ("De Tuin", 104), 3: ("De Zolder", 132)}
P_START = {9: 0.80, 10: 0.62, 11: 0.40}
stays = []
for room, (rname, rate) in ROOMS.items():
    d = date(2026, 8, 29)
    while d <= END:
        if room == 3 and d >= date(2026, 11, 13):
            break  # room 3 closed from 16 Nov for the renovation (last stay ends by the 15th)
        if rng.random() < P_START.get(d.month, 0.8):
            nights = rng.choice([1, 2, 2, 2, 3, 3, 4])
            if room == 3 and d + timedelta(days=nights) > date(2026, 11, 16):
                nights = (date(2026, 11, 16) - d).days
            channel = rng.choices(["airbnb", "booking", "direct"], [45, 35, 20])[0]
            stays.append((room, d, nights, channel))
            d += timedelta(days=nights)
        else:
            d += timedelta(days=1)
stays.sort(key=lambda s: (s[1], s[0]))

REFUND_STAY = (1, date(2026, 10, 10), 2, "direct")  # paid 22-09, cancelled and refunded 07-10
stays.append(REFUND_STAY)

code = 0
for room, ci, nights, ch in stays:
    rname, rate = ROOMS[room]
    rev = nights * rate
    btw = D(rev * Decimal("0.09"))
    tt = D(rev * Decimal("0.07"))
    code += 1
    if (room, ci, nights, ch) == REFUND_STAY:
        pay = date(2026, 9, 22)
    elif ch == "airbnb":
        pay = ci + timedelta(days=1)
    elif ch == "booking":
        pay = ci + timedelta(days=nights + 2)
    else:
        pay = ci - timedelta(days=3)
    if pay < START or pay > END:
        continue
    if ch == "airbnb":
        who, ref = "Airbnb Payments UK Ltd", f"uitbetaling HM{4100 + code * 7}"
    elif ch == "booking":
        who, ref = "Booking.com BV", f"payout res {3811000 + code * 13}"
    else:
        who, ref = "Mollie Payments", f"directe boeking GZ-{200 + code}"
    memo = f"{who} - {ref} kamer {room} {ci.strftime('%d-%m')} {nights}n"
    add(pay, BNB, memo, "Omzet kamers", rev)
    add(pay, BNB, memo + " BTW 9%", "BTW ontvangen", btw)
    add(pay, BNB, memo + " toeristenbelasting 7%", "Toeristenbelasting ontvangen", tt)
    if ch != "direct":
        com = (rev + btw + tt) * Decimal("0.15")
        add(pay, BNB, memo + " commissie", "Commissie platforms", -com.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

# the refund of the cancelled direct booking (room 1, 10-10, 2 nights)
rv = 2 * 118
add(date(2026, 10, 7), BNB, "Terugbetaling M. Okafor - annulering GZ kamer 1 10-10 2n", "Terugbetaling gast", -rv)
add(date(2026, 10, 7), BNB, "Terugbetaling M. Okafor - BTW 9% annulering", "BTW ontvangen", -D(rv * Decimal("0.09")))
add(date(2026, 10, 7), BNB, "Terugbetaling M. Okafor - toeristenbelasting annulering", "Toeristenbelasting ontvangen", -D(rv * Decimal("0.07")))

# monthly and weekly costs of the B&B
for m in (9, 10, 11):
    n_stays = sum(1 for s in stays if s[1].month == m and s != REFUND_STAY)
    add(date(2026, m, 3), BNB, "Eneco - energie voorschot", "Energie", -310)
    add(date(2026, m, 5), BNB, "Ziggo Zakelijk - internet", "Internet", -55)
    add(date(2026, m, 6), BNB, "Smoobu - channel manager", "Software", -39)
    add(date(2026, m, 8), BNB, "Interpolis - opstal/aansprakelijkheid B&B", "Verzekering", -64)
    add(date(2026, m, 28), BNB, f"H. de Groot - schoonmaak {n_stays} wissels", "Schoonmaak", -35 * n_stays)
    add(date(2026, m, 27), BNB, "Linnenservice Utrecht - huur linnen", "Linnen", -{9: 268, 10: 232, 11: 164}[m])
    add(date(2026, m, 25), BNB, "Mollie Payments - transactiekosten", "Transactiekosten", -{9: 9, 10: 8, 11: 6}[m])
    add(date(2026, m, 25), BNB, "Privé-opname Joris", "Privé-opname", -1500)
d = date(2026, 9, 4)
while d <= END:
    add(d, BNB, "Albert Heijn 1421 - ontbijt inkopen", "Ontbijt", -{9: 84, 10: 71, 11: 46}[d.month])
    d += timedelta(days=7)
add(date(2026, 11, 9), BNB, "Hermans Installatietechniek - lekkage douche kamer 2", "Reparaties", -185)
# loan for the renovation of room 3, repaid monthly from October
add(date(2026, 9, 15), BNB, "Qredits Microfinanciering - uitbetaling lening 26-0412", "Lening Qredits", 20000)
for m, interest in ((10, 125), (11, 123)):
    add(date(2026, m, 1), BNB, "Qredits - aflossing lening 26-0412", "Aflossing lening", -350)
    add(date(2026, m, 1), BNB, "Qredits - rente lening 26-0412", "Rente lening", -interest)
add(date(2026, 11, 18), BNB, "Aannemersbedrijf Van Rijn - 1e termijn verbouwing badkamer zolder", "Verbouwing", -12400)
# taxes held for others, paid over
add(date(2026, 10, 28), BNB, "Gemeente Utrecht - toeristenbelasting Q3 aanslag", "Toeristenbelasting afdracht", D("-1184.30"))
add(date(2026, 10, 30), BNB, "Belastingdienst - BTW Q3 2026", "BTW afdracht", -2310)

# ---------------------------------------------------------------- Fietskoerier Utrecht
CLIENTS = [  # (name, {paid month: invoice ex BTW}, pay day)
    ("Apotheek Lombok", {9: 2860, 10: 2945, 11: 3010}, 8),
    ("Drukkerij Oudegracht", {9: 1150, 10: 1095, 11: 1180}, 12),
    ("Eetcafé Wilhelmina", {9: 720, 10: 760, 11: 705}, 15),
    ("Bistro Tolsteeg", {9: 640, 10: 615, 11: 590}, 19),
]
INV_MONTH = {9: "aug", 10: "sep", 11: "okt"}
inv = 40
for name, fees, day in CLIENTS:
    for m, fee in fees.items():
        inv += 1
        memo = f"{name} - factuur 2026-0{inv} {INV_MONTH[m]}"
        add(date(2026, m, day), KOERIER, memo, "Omzet bezorging", fee)
        add(date(2026, m, day), KOERIER, memo + " BTW 21%", "BTW ontvangen", D(fee * Decimal("0.21")))
for d_, amt in ((date(2026, 9, 24), 185), (date(2026, 10, 22), 240), (date(2026, 11, 20), 160)):
    add(d_, KOERIER, "Mollie Payments - losse ritten particulieren", "Omzet bezorging", amt)
    add(d_, KOERIER, "Mollie Payments - losse ritten BTW 21%", "BTW ontvangen", D(amt * Decimal("0.21")))
for m in (9, 10, 11):
    add(date(2026, m, 2), KOERIER, f"Mehmet Yilmaz - factuur ritten {INV_MONTH[m]}", "Inhuur riders", -{9: 1480, 10: 1520, 11: 1450}[m])
    add(date(2026, m, 2), KOERIER, f"Lotte Jansen - factuur ritten {INV_MONTH[m]}", "Inhuur riders", -{9: 1320, 10: 1290, 11: 1360}[m])
    add(date(2026, m, 10), KOERIER, "ASR - bedrijfsverzekering bakfietsen", "Verzekering", -96)
    add(date(2026, m, 14), KOERIER, "Routific - route planning", "Software", -49)
    add(date(2026, m, 21), KOERIER, "KPN Zakelijk - telefoons riders", "Telefoon", -38)
add(date(2026, 9, 17), KOERIER, "Fietsmaker Lombok - banden en remblokken", "Onderhoud fietsen", -212)
add(date(2026, 10, 9), KOERIER, "Fietsmaker Lombok - onderhoud bakfiets 1", "Onderhoud fietsen", -134)
add(date(2026, 11, 3), KOERIER, "Fietsmaker Lombok - naaf bakfiets 2 gerepareerd", "Onderhoud fietsen", -145)
add(date(2026, 10, 31), KOERIER, "Bakfietsverhuur Utrecht - huurfiets 15-31 okt", "Huur bakfiets", -544)
add(date(2026, 11, 30), KOERIER, "Bakfietsverhuur Utrecht - huurfiets nov", "Huur bakfiets", -960)
add(date(2026, 11, 24), KOERIER, "ASR Schadeverzekering - uitkering diefstal bakfiets 3 schade 88213", "Verzekeringsuitkering", 4250)
add(date(2026, 10, 30), KOERIER, "Belastingdienst - BTW Q3 2026", "BTW afdracht", -3620)
add(date(2026, 11, 5), KOERIER, "Overboeking van De Boekhoudhoek - overbrugging huurfiets", "Overboeking eigen rekening", 2000)
# the misspelt business cell: a parts order for the courier
add(date(2026, 11, 12), KOERIER, "Bike Totaal Utrecht - kettingen en binnenbanden", "Onderhoud fietsen", D("-89.50"),
    ent_cell="Fietskoerier Utrect", account=IBAN[KOERIER])

# ---------------------------------------------------------------- De Boekhoudhoek (KOR: no BTW)
RET = [  # client, fee, paid in months
    ("Bakkerij Van Dam", 450, (9, 10, 11)),
    ("Kapsalon Knip", 275, (9,)),  # late payer: October and November not paid
    ("Yoga Oost", 325, (9, 10, 11)),  # leaving at 31-12
    ("Hermans Installatietechniek", 600, (9, 10, 11)),
    ("Café De Poort", 395, (9, 10, 11)),
    ("Studio Mees", 250, (9, 10, 11)),
]
MN = {9: "september", 10: "oktober", 11: "november"}
for i, (client, fee, months) in enumerate(RET):
    for m in months:
        add(date(2026, m, 2 + i), HOEK, f"{client} - fee {MN[m]}", "Omzet administratie", fee)
add(date(2026, 10, 20), HOEK, "Hermans Installatietechniek - extra werk jaarrekening 2025", "Omzet administratie", 600)
for m in (9, 10, 11):
    add(date(2026, m, 1), HOEK, "De Stadstuin - flexplek", "Werkplek", -185)
    add(date(2026, m, 4), HOEK, "Moneybird - abonnement", "Software", -39)
    add(date(2026, m, 11), HOEK, "Centraal Beheer - beroepsaansprakelijkheid", "Verzekering", -52)
    add(date(2026, m, 21), HOEK, "Lebara - telefoon", "Telefoon", -25)
    add(date(2026, m, 26), HOEK, "Privé-opname Sanne", "Privé-opname", -1200)
add(date(2026, 10, 13), HOEK, "NOAB - cursus PE-uren", "Opleiding", -295)
add(date(2026, 11, 5), HOEK, "Overboeking naar Fietskoerier Utrecht - overbrugging huurfiets", "Overboeking eigen rekening", -2000)

# ---------------------------------------------------------------- the blank business cell
# a bank fee on the B&B's account with no business filled in; amount chosen so that group
# cash ends on whole euros
tot = sum(r[5] for r in rows)
cents = (tot * 100) % 100
fee = Decimal("12") + cents / 100
add(date(2026, 11, 30), BNB, "Rabobank - kosten betaalpakket nov", "Bankkosten", -fee, ent_cell="", account=IBAN[BNB])

rows.sort(key=lambda r: (r[0], r[2], r[3]))


def nl(a):
    s = f"{abs(a):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if a < 0 else "") + s


with open(OUT, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["Datum", "Rekening", "Bedrijf", "Omschrijving", "Categorie", "Bedrag"])
    for d_, ent, acc, memo, cat, amt, _true in rows:
        w.writerow([d_.strftime("%d-%m-%Y"), acc, ent, memo, cat, nl(amt)])

# ---------------------------------------------------------------- figures
OPENING = Decimal("16500")
fig = defaultdict(lambda: defaultdict(Decimal))  # (ent, month) -> kind -> sum
for d_, ent_cell, acc, memo, cat, amt, true_ent in rows:
    kind = KIND.get(cat, "cost")
    key = (ent_cell if ent_cell in IBAN else f"<{ent_cell or 'blank'}>", d_.month)
    fig[key][kind] += amt
    fig[key]["rows"] += 1
    fig[(true_ent, d_.month)]["true_" + kind] += amt
    if cat.startswith("Toeristen"):
        fig[key]["tt_in" if amt > 0 or "Terugbetaling" in memo else "tt_out"] += amt
    if cat.startswith("BTW"):
        fig[key]["btw_in" if cat == "BTW ontvangen" else "btw_out"] += amt
    if cat == "Verbouwing":
        fig[key]["renovation"] += amt

e = lambda x: nl(x)
print(f"rows: {len(rows)}  file: {os.path.relpath(OUT, HERE)}")
print("Per business and month (revenue = revenue rows; net revenue = less refunds; costs = operating costs incl. interest):")
tot3 = defaultdict(Decimal)
for ent in (BNB, KOERIER, HOEK):
    for m in (9, 10, 11):
        f_ = fig[(ent, m)]
        rev, ref, cost = f_["revenue"], f_["refund"], -f_["cost"]
        net = rev + ref - cost
        tot3[(ent, "rev")] += rev
        tot3[(ent, "netrev")] += rev + ref
        tot3[(ent, "cost")] += cost
        tot3[(ent, "net")] += net
        tot3[(ent, "draw")] += -f_["draw"]
        extra = ""
        if f_["refund"]:
            extra += f" refund {e(-ref)}"
        if f_["renovation"]:
            extra += f" (renovation {e(-f_['renovation'])}; net without it {e(net - f_['renovation'])})"
        print(f"  {ent:22s} {MN[m]:9s} revenue {e(rev):>10s}  net revenue {e(rev + ref):>10s}  costs {e(cost):>10s}  net {e(net):>10s}{extra}")
        print(f"  {'':22s} {'':9s} BTW in {e(f_['btw_in'])} out {e(-f_['btw_out'])}; tourist tax in {e(f_['tt_in'])} out {e(-f_['tt_out'])}; "
              f"draws {e(-f_['draw'])}; loan in {e(f_['loan_in'])} principal {e(-f_['loan_principal'])}; transfer {e(f_['transfer'])}; insurance payout {e(f_['insurance_payout'])}")
    print(f"  {ent:22s} Sep-Nov   revenue {e(tot3[(ent, 'rev')])}  net revenue {e(tot3[(ent, 'netrev')])}  costs {e(tot3[(ent, 'cost')])}  net {e(tot3[(ent, 'net')])}  draws {e(tot3[(ent, 'draw')])}")
print("Rows of no configured business:")
for k in sorted(fig):
    if k[0].startswith("<"):
        print(f"  {k[0]} {MN[k[1]]}: {fig[k]['rows']} row(s), costs {e(-fig[k]['cost'])}")
print("Group per month (configured businesses + unassigned rows):")
for m in (9, 10, 11):
    rev = sum(fig[k]["revenue"] + fig[k]["refund"] for k in fig if k[1] == m)
    cost = -sum(fig[k]["cost"] for k in fig if k[1] == m)
    print(f"  {MN[m]:9s} net revenue {e(rev)}  costs {e(cost)}  net {e(rev - cost)}")
cash = OPENING + sum(r[5] for r in rows)
print(f"Opening cash 01-09-2026 {e(OPENING)}; cash 30-11-2026 {e(cash)} (movement {e(cash - OPENING)})")
bnb = lambda m, k: fig[(BNB, m)][k]
print("Wrong figures a careless tool would print:")
for m in (9, 10, 11):
    r = bnb(m, "revenue") + bnb(m, "refund")
    print(f"  B&B {MN[m]} revenue + BTW + tourist tax collected = {e(r + bnb(m, 'btw_in') + bnb(m, 'tt_in'))}; + tourist tax only = {e(r + bnb(m, 'tt_in'))}")
k11 = fig[(KOERIER, 11)]
print(f"  Koerier november revenue + insurance payout = {e(k11['revenue'] + k11['insurance_payout'])}; + transfer too = {e(k11['revenue'] + k11['insurance_payout'] + k11['transfer'])}")
print(f"  B&B september revenue + loan = {e(bnb(9, 'revenue') + bnb(9, 'loan_in'))}")
for ent in (BNB, HOEK):
    for m in (11,):
        f_ = fig[(ent, m)]
        print(f"  {ent} november costs + draws = {e(-f_['cost'] - f_['draw'])}; Sep-Nov costs + draws = {e(tot3[(ent, 'cost')] + tot3[(ent, 'draw')])}")
print(f"  B&B november costs + principal = {e(-bnb(11, 'cost') - bnb(11, 'loan_principal'))}")
print(f"  B&B tourist tax collected Sep-Nov = {e(sum(bnb(m, 'tt_in') for m in (9, 10, 11)))}; BTW collected Sep-Nov = {e(sum(bnb(m, 'btw_in') for m in (9, 10, 11)))}")
print(f"  Koerier BTW collected Sep-Nov = {e(sum(fig[(KOERIER, m)]['btw_in'] for m in (9, 10, 11)))}")
share = {m: fig[(KOERIER, m)]['revenue'] for m in (9, 10, 11)}
apo = {9: 2860, 10: 2945, 11: 3010}
print("  Apotheek Lombok share of courier revenue: " + ", ".join(f"{MN[m]} {100 * apo[m] / share[m]:.1f}%" for m in (9, 10, 11))
      + f"; Sep-Nov {100 * sum(apo.values()) / sum(share.values()):.1f}%")
print(f"  B&B stays by check-in month: " + ", ".join(f"{MN[m]} {sum(1 for s in stays if s[1].month == m and s != REFUND_STAY)}" for m in (9, 10, 11)))
