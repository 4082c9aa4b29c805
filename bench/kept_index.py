"""The selection index kept with a fact base, and told beside the next (``execbrief.lenses.kept``).

    python bench/kept_index.py [--facts 1000000] [--apart 50] [--seed 1]

Makes ``--facts`` facts whose values are shared as a run's are (a few thousand names, topic
sets and periods; a fifth with money, a tenth with a due date), then times: the index made
from the facts, keeping it (``_keep``), loading it (``_header``, ``_body``), and telling the same facts
beside it with ``--apart`` ids said to differ (``_beside``). It checks that the told index is
the made one.
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from execbrief.analyzers.build import fact
from execbrief.lenses import kept
from execbrief.lenses.select import FactIndex
from execbrief.model import SEVERITIES, FactBase


def facts(count: int, seed: int) -> FactBase:
    rng = random.Random(seed)
    names = [f"name{n}" for n in range(3000)]
    topics = [f"t{n}" for n in range(60)]
    topic_sets = [tuple(sorted(rng.sample(topics, 2))) for _ in range(2000)]
    periods = [f"2026-{m:02d}" for m in range(1, 12)]
    entities = [None] + [f"biz-{n:02d}" for n in range(30)]
    by_id = {}
    for _ in range(count):
        fact_id = f"f-{rng.getrandbits(48):012x}"
        by_id[fact_id] = fact(
            id=fact_id, kind=rng.choice(("note", "finding", "metric", "action")), name=rng.choice(names),
            entity=rng.choice(entities), topics=rng.choice(topic_sets), severity=rng.choice((None, None, *SEVERITIES)),
            value=Decimal(rng.randint(1, 9999)) if rng.random() < 0.2 else None,
            unit="USD" if rng.random() < 0.2 else None,
            due=date(2026, 12, 1) + timedelta(days=rng.randint(0, 90)) if rng.random() < 0.1 else None,
            period=rng.choice(periods), statement="x")
    return FactBase(by_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--apart", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    gc.disable()  # (as a run's stages do around their million objects: execbrief.gcpolicy)
    base = facts(args.facts, args.seed)

    def timed(label: str, fn):
        started = time.perf_counter()
        out = fn()
        print(f"{label:<40} {time.perf_counter() - started:6.2f} s")
        return out

    made = FactIndex(base)
    timed("index made from the facts", made.parts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fact-index"
        timed("kept", lambda: kept._keep(path, "bench", "base", made))
        print(f"{'  file':<40} {path.stat().st_size / 1e6:6.1f} MB")
        with open(path, "rb") as handle:
            loaded = timed("loaded", lambda: kept._body(handle, kept._header(handle, "bench")))
        apart = set(random.Random(args.seed).sample(base.ids, min(args.apart, len(base))))
        told = timed(f"told beside it ({len(apart)} ids apart)", lambda: kept._beside(loaded, base, apart))
    assert told is not None, "the facts are not what the kept index and the ids apart say"
    (mine, columns), (theirs, their_columns) = told.parts(), made.parts()
    assert columns == their_columns and all(
        {value: list(at) for value, at in mine[field].items()} == {value: list(at) for value, at in theirs[field].items()}
        for field in theirs if field != "dated") and mine["dated"] == theirs["dated"], "the told index is not the made one"


if __name__ == "__main__":
    main()
