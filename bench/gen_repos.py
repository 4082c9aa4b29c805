"""Generate a workspace of N repositories × M files, with some planted (fake) secrets.

    python bench/gen_repos.py --out /tmp/bench-repos --repos 50 --files 2000 [--git]

Files are a mix of source, config, docs, lock files and a few binaries, about 3 KB on
average, plus a node_modules folder per repo (which the scanner must skip). Planted
secrets are fake and format-valid; ``manifest.json`` lists what was planted, so
``bench/scan_repos.py`` can check that the scan found all of it.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import subprocess
import time
from pathlib import Path

B62 = string.ascii_letters + string.digits
B64 = B62 + "+/"
B32 = string.ascii_uppercase + "234567"

CONFIG = """\
[organization]
name = "Benchmark Org"

[[entities]]
id = "acme"
name = "Acme"

[delivery]
sender = "briefings@example.com"

[sources.notes]
paths = []

[sources.ledger]
paths = []

[sources.repos]
paths = ["repos/*"]
"""

WORDS = ("order", "driver", "route", "invoice", "client", "booking", "unit", "payment", "report", "sheet",
         "customer", "vehicle", "schedule", "price", "tenant", "lease", "ticket", "config", "cache", "user")


def tok(rng: random.Random, n: int, alphabet: str = B62) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def ident(rng: random.Random) -> str:
    return rng.choice(WORDS) + rng.choice(WORDS).capitalize() + str(rng.randint(1, 99))


def js_file(rng: random.Random, lines: int) -> str:
    out = [f"// {ident(rng)} module", "import { api } from './api';", ""]
    for _ in range(lines):
        name = ident(rng)
        out.append(f"export function {name}(input) {{\n  const value = input.{ident(rng)} ?? {rng.randint(0, 999)};\n"
                   f"  return api.post('/{rng.choice(WORDS)}', {{ value, key: '{rng.choice(WORDS)}' }});\n}}\n")
    return "\n".join(out)


def py_file(rng: random.Random, lines: int) -> str:
    out = ['"""Module docstring."""', "import os", ""]
    for _ in range(lines):
        out.append(f"def {ident(rng).lower()}(value):\n    token = os.environ.get('{rng.choice(WORDS).upper()}_TOKEN')\n"
                   f"    return value * {rng.randint(1, 50)} if token else None\n")
    return "\n".join(out)


def yaml_file(rng: random.Random, lines: int) -> str:
    out = []
    for _ in range(lines * 3):
        key = rng.choice(("name", "timeout", "retries", "region", "api_key", "secret_name", "password_env", "url"))
        value = rng.choice(("${" + rng.choice(WORDS).upper() + "}", "us-east-1", str(rng.randint(1, 60)),
                            "https://api.example.com/v1/" + rng.choice(WORDS), "changeme"))
        out.append(f"{key}: {value}")
    return "\n".join(out) + "\n"


def md_file(rng: random.Random, lines: int) -> str:
    return "\n".join(f"- The {rng.choice(WORDS)} {rng.choice(WORDS)} is handled by {ident(rng)}." for _ in range(lines * 4))


def lock_file(rng: random.Random, lines: int) -> str:
    # integrity hashes: high entropy, but under keys no secret rule looks at
    return json.dumps({f"{ident(rng)}@{rng.randint(1, 9)}.0.0": {"integrity": "sha512-" + tok(rng, 86, B64)}
                       for _ in range(lines * 2)}, indent=2)


KINDS = ((".js", js_file, 30), (".py", py_file, 15), (".yaml", yaml_file, 10), (".md", md_file, 15),
         (".json", lock_file, 5), (".css", md_file, 10), (".html", md_file, 10))


def plant(rng: random.Random, i: int, root: Path, manifest: dict[str, int]) -> None:
    """Fake secrets, chosen by the repo's number so every kind appears across 50 repos."""
    def put(rel: str, text: str, rule: str, count: int = 1) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        manifest[rule] = manifest.get(rule, 0) + count

    if i % 5 == 0:
        put("config/payments.js", "module.exports = { stripe: 'sk" + "_live_" + tok(rng, 32) + "' };\n",
            "stripe_live_secret")
    if i % 7 == 0:
        put("deploy/aws.py", "KEY_ID = 'AK" + "IA" + tok(rng, 16, B32) + "'\n" + f"AWS_SECRET = '{tok(rng, 40, B64)}'\n",
            "aws_access_key_pair")
    if i % 3 == 0:
        put(".env", f"API_KEY={tok(rng, 32)}\nDB_PASSWORD=pw{tok(rng, 10)}\nREGION=us-east-1\n", "env_credential", 2)
    if i % 10 == 0:
        put("apps/Code.gs", "function doPost(e) {\n  SpreadsheetApp.getActive().appendRow([e.parameter.x]);\n}\n",
            "apps_script_no_auth")
    if i % 11 == 0:
        body = "\n".join(tok(rng, 64, B64) for _ in range(20))
        put("keys/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n",
            "private_key")
    if i % 4 == 0:
        put("settings.json", json.dumps({"client_secret": tok(rng, 32)}) + "\n", "high_entropy_assignment")


def generate(out: Path, repos: int, files: int, seed: int, use_git: bool) -> dict:
    """Write the workspace and return its manifest."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "execbrief.toml").write_text(CONFIG, encoding="utf-8")
    manifest: dict = {"repos": repos, "files_per_repo": files, "planted": {}, "bytes": 0, "text_files": 0}
    for i in range(repos):
        root = out / "repos" / f"repo-{i:03d}"
        for n in range(files):
            folder = root / f"src/{rng.choice(WORDS)}/{rng.choice(WORDS)}"
            folder.mkdir(parents=True, exist_ok=True)
            if n % 200 == 199:
                (folder / f"img{n}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(4000))
                continue
            suffix, make, _ = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
            text = make(rng, rng.randint(4, 24))
            (folder / f"f{n}{suffix}").write_text(text, encoding="utf-8")
            manifest["bytes"] += len(text.encode())
            manifest["text_files"] += 1
        vendored = root / "node_modules" / "left-pad"
        vendored.mkdir(parents=True, exist_ok=True)
        (vendored / "index.js").write_text("module.exports = 'sk" + "_live_" + tok(rng, 32) + "';\n")
        (root / ".gitignore").write_text("node_modules/\n.env\n", encoding="utf-8")
        plant(rng, i, root, manifest["planted"])
        if use_git:
            env = ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
            subprocess.run(["git", "init", "-q"], cwd=root, check=True)
            subprocess.run(["git", *env, "add", "-A"], cwd=root, check=True)
            subprocess.run(["git", *env, "commit", "-q", "-m", "bench"], cwd=root, check=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main() -> None:
    """Parse arguments and generate."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--git", action="store_true", help="make each repo a git repository with one commit")
    args = parser.parse_args()
    started = time.monotonic()
    manifest = generate(args.out, args.repos, args.files, args.seed, args.git)
    print(json.dumps({"out": str(args.out), "seconds": round(time.monotonic() - started, 1),
                      "text_files": manifest["text_files"], "mb": round(manifest["bytes"] / 1e6, 1),
                      "planted": manifest["planted"]}))


if __name__ == "__main__":
    main()
