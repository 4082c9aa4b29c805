"""Characters a token in the LLM writer's prompts, counted by a real tokenizer.

    python bench/prompt_tokens.py MODEL.gguf [--json]

Builds the demo's prompts (the shared prefix of all eight reports and each report's own
part) as the writer does, and counts their tokens with the tokenizer stored in a GGUF model
file (read from its header: the file may be only the first part of a split model), through
the ``tokenizers`` library (pip install tokenizers). Prints, per prompt, bytes, the writer's
estimate and the real count, so the estimate can be checked to be conservative (never below
the real count). The same prompts with the old 12-character hex fact ids show what short
handles (F12) save.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from llm_helpers import settings_for, views_for  # noqa: E402

from execbrief.writers.prompts import PromptBuilder, estimate_tokens  # noqa: E402

DEMO = ROOT / "src" / "execbrief" / "demo" / "workspace"
_TYPES = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
# the pre-tokenizer pattern of Qwen2 (llama.cpp's "qwen2" pre); GPT-2's for other gpt2-style models
PATTERNS = {
    "qwen2": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    "gpt2": r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
}


def gguf_header(path: Path) -> dict:
    """The key-value header of a GGUF file (the tokenizer is there, before any tensor)."""
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise SystemExit(f"{path} is not a GGUF file")
        f.read(4 + 8)  # version, tensor count
        (n_kv,) = struct.unpack("<Q", f.read(8))

        def text() -> str:
            (n,) = struct.unpack("<Q", f.read(8))
            return f.read(n).decode("utf-8", "replace")

        def value(kind: int):
            if kind == 8:
                return text()
            if kind == 9:
                inner, n = struct.unpack("<IQ", f.read(12))
                return [value(inner) for _ in range(n)]
            fmt = "<" + _TYPES[kind]
            return struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]

        header = {}
        for _ in range(n_kv):
            key = text()
            (kind,) = struct.unpack("<I", f.read(4))
            header[key] = value(kind)
    return header


def tokenizer_of(header: dict):
    """A byte-level BPE tokenizer from a GGUF header (tokenizer.ggml.model = gpt2)."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers

    if header.get("tokenizer.ggml.model") != "gpt2":
        raise SystemExit(f"only byte-level BPE (gpt2) tokenizers are read, not {header.get('tokenizer.ggml.model')}")
    vocab = {token: n for n, token in enumerate(header["tokenizer.ggml.tokens"])}
    merges = [tuple(m.split(" ", 1)) for m in header["tokenizer.ggml.merges"]]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    pattern = PATTERNS.get(header.get("tokenizer.ggml.pre", "gpt2"), PATTERNS["gpt2"])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    return tokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gguf", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    header = gguf_header(args.gguf)
    tokenizer = tokenizer_of(header)
    count = lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)  # noqa: E731

    with tempfile.TemporaryDirectory() as tmp:
        import shutil

        root = Path(tmp) / "demo"
        shutil.copytree(DEMO, root)
        ws = type("Ws", (), {"root": root})()
        settings = settings_for(ws, "openai", type("S", (), {"url": "http://127.0.0.1:9"})())
        views, _ = views_for(settings, only=())
        builder = PromptBuilder(views, Path(tmp) / "state")
        texts = {"shared prefix": builder.system}
        texts.update({f"{v.key} (own part)": builder.prompt(v).user for v in views})
        texts.update({f"{v.key} (own prefix)": builder.prompt(v, list(v.facts)).system for v in views})
        hexed = re.sub(r"\[F(\d+)\]", lambda m: "[" + builder.ids[f"F{m.group(1)}"] + "]", builder.system)
        texts["shared prefix, hex ids"] = hexed

    rows = []
    for name, text in texts.items():
        real = count(text)
        size = len(text.encode("utf-8"))
        rows.append({"prompt": name, "bytes": size, "tokens": real, "bytes_per_token": round(size / real, 2),
                     "estimate": estimate_tokens(text), "estimate_over_real": round(estimate_tokens(text) / real, 3)})
    if args.json:
        print(json.dumps({"model": header.get("general.name"), "rows": rows}, indent=2))
        return
    print(f"tokenizer: {header.get('general.name')} ({header.get('tokenizer.ggml.pre')})")
    print(f"{'prompt':34} {'bytes':>7} {'tokens':>7} {'B/tok':>6} {'estimate':>8} {'est/real':>8}")
    for r in rows:
        print(f"{r['prompt']:34} {r['bytes']:7} {r['tokens']:7} {r['bytes_per_token']:6} {r['estimate']:8} {r['estimate_over_real']:8}")
    low = min(r["estimate_over_real"] for r in rows)
    print(f"lowest estimate/real: {low} ({'conservative' if low >= 1 else 'UNDER the real count'})")


if __name__ == "__main__":
    main()
