"""Generate a workspace of any size: N markdown notes, M ledger rows, optionally R repos.

    python bench/gen_workspace.py --out /tmp/bench-ws --notes 20000 --ledger-rows 1000000 [--repos 50 --files 2000]

Notes average about 8 KB and look like the demo's: YAML front matter (title, updated,
tags, status, sometimes kpis), headings, prose, bullets, risk bullets with severities and
dates, checkbox tasks with due dates, a pipe table (client roster, units, fleet or
maintenance log, with money and dates in its cells), a dated log, now and then a fenced
code block. About 5% are archived, some carry no ``updated`` (their dated log lines or
mtime decide). The ledger is split into CSV files of 100,000 rows over 24 months, with
revenue, cost-of-sales and fixed-cost accounts per business. With ``--repos``, the
repositories come from ``bench/gen_repos.py`` (the repositories engineer's generator).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

KINDS = ("rental", "delivery", "agency")
AS_OF = date(2026, 11, 27)
WORDS = (
    "tenant lease boiler invoice retainer client driver route van schedule booking listing "
    "insurance renewal payment supplier quote repair inspection review campaign pipeline "
    "margin cost revenue forecast payroll bookkeeper reconciliation receipts dispatch order "
    "customer contract proposal website traffic referral pricing discount deposit utilities"
).split()
FIRST = ("Coastal", "Harbor", "Pine", "Salt", "Keel", "North", "Bay", "Gull", "Tern", "Dock", "Marl", "Lark")
SECOND = ("Dental", "Law", "Brewing", "Outfitters", "Realty", "Veterinary", "Fitness", "Pharmacy",
          "Florist", "Print", "Bakery", "Yoga")


def sentence_pool(rng: random.Random, n: int = 4000) -> list[str]:
    """Reusable sentences: generating 200 MB word by word would take minutes."""
    out = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), f"${rng.randint(1, 90) * 50:,}")
        out.append(" ".join(words).capitalize() + ".")
    return out


def client(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}{rng.choice(('', 'view', 'gate', 'wood'))} {rng.choice(SECOND)}"


def day(rng: random.Random, lo: int, hi: int) -> date:
    return AS_OF + timedelta(days=rng.randint(lo, hi))


def table(rng: random.Random, kind: str) -> list[str]:
    rows = rng.randint(8, 20)
    if kind == "agency":
        out = ["## Clients", "", "| Client | Monthly fee | Contract end | Last paid |", "|---|---|---|---|"]
        for _ in range(rows):
            out.append(f"| {client(rng)} | ${rng.randint(8, 40) * 100:,} | {day(rng, -60, 400)} | {day(rng, -100, -1)} |")
    elif kind == "rental":
        out = ["## Units", "", "| Unit | Status | Rent | Lease end |", "|---|---|---|---|"]
        for n in range(rows):
            status = rng.choice(("Let", "Let", "Let", "Short-term rental", f"Vacant since {day(rng, -90, -5)}",
                                 "Maintenance (repair)"))
            out.append(f"| {n // 4 + 1}{'ABCD'[n % 4]} | {status} | ${rng.randint(9, 18) * 100:,}/month | "
                       f"{day(rng, -30, 500) if status == 'Let' else '—'} |")
    else:
        out = ["## Vans", "", "| Van | Mileage | Last service | Status |", "|---|---|---|---|"]
        for n in range(rows):
            out.append(f"| Van {n + 1} | {rng.randint(5, 150) * 1000:,} | {day(rng, -300, -1)} | "
                       f"{rng.choice(('In service', 'In service', 'Service overdue', 'Brake warning light'))} |")
    return out


def note(rng: random.Random, pool: list[str], entity: str, kind: str, n: int, target: int = 8000) -> str:
    """One note of about ``target`` bytes."""
    updated = day(rng, -200, -1)
    status = "archived" if rng.random() < 0.05 else "active"
    front = ["---", f"title: {kind.capitalize()} note {n}", f"entity: {entity}", f"tags: [{rng.choice(WORDS)}, {kind}]",
             f"status: {status}"]
    if rng.random() < 0.85:
        front.append(f"updated: {updated}")
    if rng.random() < 0.3:
        front += ["kpis:", f'  occupancy_rate: "{rng.randint(50, 99)}%"', f'  cost_per_delivery: "${rng.randint(5, 12)}.{rng.randint(0, 99):02d}"']
    lines = front + ["---", "", f"# {kind.capitalize()} note {n}", "", " ".join(rng.sample(pool, 4)), ""]
    lines += ["## This month", ""] + [f"- {rng.choice(pool)}" for _ in range(rng.randint(4, 8))] + [""]
    lines += table(rng, kind) + [""]
    lines += ["## Risks", ""] + [
        f"- [{rng.choice(('critical', 'high', 'medium', 'low'))}] {rng.choice(pool)[:-1]} by {day(rng, -20, 90).strftime('%d %B')}."
        for _ in range(rng.randint(2, 5))] + [""]
    lines += ["## Actions", ""] + [
        f"- [{rng.choice((' ', ' ', 'x'))}] {rng.choice(pool)[:-1]} (due {day(rng, -30, 60)})" for _ in range(rng.randint(2, 6))
    ] + [""]
    if rng.random() < 0.2:
        lines += ["```sh", "# not a heading", "- [ ] not a task", "```", ""]
    lines += ["## Log", ""]
    size = sum(len(x) + 1 for x in lines)
    when = updated - timedelta(days=120)
    while size < target:
        if rng.random() < 0.5:
            text = f"{when}: {rng.choice(pool)}"
            when += timedelta(days=rng.randint(1, 4))
        elif rng.random() < 0.5:
            text = f"- {rng.choice(pool)} {rng.choice(pool)}"
        else:
            text = " ".join(rng.sample(pool, 3))
        lines.append(text)
        size += len(text) + 1
    return "\n".join(lines) + "\n"


def ledger_rows(rng: random.Random, entities: list[tuple[str, str]], count: int):
    """``count`` rows as CSV lines, spread over the 24 months before the as-of date."""
    accounts = {
        "rental": (("Rental income", "revenue", 1), ("Cleaning", "cost_of_sales", -1), ("Repairs", "operating", -1),
                   ("Insurance", "operating", -1), ("Utilities", "operating", -1)),
        "delivery": (("Delivery revenue", "revenue", 1), ("Fuel", "cost_of_sales", -1), ("Van lease", "operating", -1),
                     ("Driver wages", "payroll", -1), ("Software", "tech", -1)),
        "agency": (("Retainer revenue", "revenue", 1), ("Contractor fees", "cost_of_sales", -1),
                   ("Staff wages", "payroll", -1), ("Hosting", "tech", -1), ("Advertising", "marketing", -1)),
    }
    start = AS_OF - timedelta(days=730)
    for _ in range(count):
        entity, kind = rng.choice(entities)
        account, category, sign = rng.choices(accounts[kind], weights=(5, 2, 1, 1, 1))[0]
        when = start + timedelta(days=rng.randint(0, 729))
        amount = rng.randint(20, 3000) + rng.randint(0, 99) / 100
        memo = f"{client(rng)} - {when:%b} invoice" if sign > 0 else f"{account} - {rng.choice(WORDS)} {rng.randint(1, 999)}"
        yield f"{when},{sign * amount:.2f},{entity},{account},{category},\"{memo}\"\n"


CONFIG = """\
[organization]
name = "Benchmark Org"

{entities}
[sources.notes]
paths = ["notes"]

[sources.ledger]
paths = ["ledger"]
opening_cash = 250000
opening_cash_date = 2024-11-28
{repos}
[delivery]
sender = "briefings@example.com"

[run]
as_of = {as_of}
"""


def generate(out: Path, notes: int, rows: int, repos: int, files: int, seed: int) -> dict:
    """Write the workspace; return what was written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    entities = [(f"biz-{i:02d}", KINDS[i % 3]) for i in range(30)]
    manifest: dict = {"notes": notes, "ledger_rows": rows, "repos": repos}
    if repos:
        sys.path.insert(0, str(Path(__file__).parent))
        import gen_repos  # the repositories engineer's generator: same files as their benchmark

        manifest["repos_manifest"] = gen_repos.generate(out, repos, files, seed, use_git=False)
    pool = sentence_pool(rng)
    size = 0
    for n in range(notes):
        entity, kind = entities[n % len(entities)]
        path = out / "notes" / entity / f"note-{n:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = note(rng, pool, entity, kind, n)
        path.write_text(text, encoding="utf-8")
        size += len(text)
    manifest["notes_bytes"] = size
    ledger = out / "ledger"
    ledger.mkdir(exist_ok=True)
    chunk = 100_000
    for k in range(0, rows, chunk):
        with open(ledger / f"transactions-{k // chunk:03d}.csv", "w", encoding="utf-8") as fh:
            fh.write("date,amount,entity,account,category,memo\n")
            fh.writelines(ledger_rows(rng, entities, min(chunk, rows - k)))
    blocks = "".join(f'[[entities]]\nid = "{e}"\nname = "Business {e[-2:]}"\nkind = "{k}"\n\n' for e, k in entities)
    repo_block = '\n[sources.repos]\npaths = ["repos/*"]\n' if repos else ""
    (out / "execbrief.toml").write_text(
        CONFIG.format(entities=blocks, repos=repo_block, as_of=AS_OF.isoformat()), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main() -> None:
    """Parse arguments and generate."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--repos", type=int, default=0, help="repositories (from bench/gen_repos.py); 0 for none")
    parser.add_argument("--files", type=int, default=2000, help="files per repository")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    manifest = generate(args.out, args.notes, args.ledger_rows, args.repos, args.files, args.seed)
    print(json.dumps({"out": str(args.out), "seconds": round(time.monotonic() - started, 1),
                      "notes": args.notes, "notes_mb": round(manifest["notes_bytes"] / 1e6, 1),
                      "ledger_rows": args.ledger_rows, "repos": args.repos}))


if __name__ == "__main__":
    main()
