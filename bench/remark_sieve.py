"""What the notes source pays to find the lines that say what a bank row is.

    .venv/bin/python bench/remark_sieve.py /tmp/bench-ws/notes --notes 2000

Parses the first ``--notes`` notes of a folder (the generated scale workspace's, by default),
then times ``sources.notes._remark_texts`` over their parses (what a cold parse adds, in the
parse workers), and a single regular expression of the same words for comparison. Prints one
JSON document with the seconds, the lines found, and the figure scaled to 20,000 notes.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from execbrief.sources.notes import _REMARK_WORDS, _remark_texts, parse_note  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a notes folder (the scale workspace's: /tmp/bench-ws/notes)")
    parser.add_argument("--notes", type=int, default=2000, help="how many notes to read (default 2000)")
    args = parser.parse_args()
    files = sorted(args.folder.rglob("*.md"))[: args.notes]
    bodies = [p["scan"] for p in (parse_note(f.read_bytes()) for f in files) if "scan" in p]

    started = time.perf_counter()
    found = sum(len(_remark_texts(body)) for body in bodies)
    sieve = time.perf_counter() - started

    words = re.compile("|".join(map(re.escape, _REMARK_WORDS)))
    wholes = ["\n".join(s.get("text") or "" for s in body["sections"]).lower() for body in bodies]
    started = time.perf_counter()
    regex_hits = sum(1 for text in wholes if words.search(text))
    regex = time.perf_counter() - started

    scale = 20_000 / max(len(bodies), 1)
    print(json.dumps({
        "machine": f"{platform.machine()}, python {platform.python_version()}",
        "notes": len(bodies),
        "lines_found": found,
        "sieve_s": round(sieve, 3),
        "sieve_s_per_20k_notes": round(sieve * scale, 2),
        "one_regex_s": round(regex, 3),
        "one_regex_notes_hit": regex_hits,
    }, indent=2))


if __name__ == "__main__":
    main()
