"""Generate a workspace of N repositories × M files, with some planted (fake) secrets.

    python bench/gen_repos.py --out /tmp/bench-repos --repos 50 --files 2000 [--git [--commits 200]]

Files are a mix of source, config, docs, lock files and a few binaries, about 3 KB on
average, plus a node_modules folder per repo (which the scanner must skip). Planted
secrets are fake and format-valid; ``manifest.json`` lists what was planted, so
``bench/scan_repos.py`` can check that the scan found all of it.

With ``--git``, each repo is a git repository whose last commit is its working tree (less
what its .gitignore excludes). ``--commits N`` gives it a history of N commits, written
with ``git fast-import``: the first holds about 70% of the files, in an earlier version
where a file is edited later; each later commit adds a few files and edits a few others
(their earlier versions are the final text cut short), so the last commit is the working
tree. Some repos also get secrets that a commit added and a later one removed (a Stripe
key file deleted, an AWS key pair rewritten to read the environment, a committed
``.env.production``, a private key): they are in the history only, and ``manifest.json``
counts them under ``history_planted``. The working tree is the same with or without a
history, so the scan of it can be compared.
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


GIT_ENV = ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
START = 1_700_000_000  # the first commit's time (2023-11-14); each later one an hour on


def tracked_files(root: Path) -> dict[str, bytes]:
    """The files a commit of the working tree would hold (the generator's .gitignore: node_modules/, .env)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(("node_modules/", ".git/")) and rel != ".env":
            out[rel] = path.read_bytes()
    return out


def history_secrets(rng: random.Random, i: int, commits: int) -> list[tuple[int, int, str, bytes, bytes | None, str, int]]:
    """Secrets only the history holds: (commit that adds, commit that removes, path, text, text after, rule, count)."""
    def at(fraction: float) -> int:
        return max(1, min(commits - 1, round(commits * fraction)))

    out = []
    if i % 6 == 1:
        out.append((at(0.25), at(0.5), "config/legacy_billing.js",
                    ("module.exports = { stripe: 'sk" + "_live_" + tok(rng, 32) + "' };\n").encode(), None,
                    "stripe_live_secret", 1))
    if i % 9 == 4:
        before = ("KEY_ID = 'AK" + "IA" + tok(rng, 16, B32) + "'\n" + f"AWS_SECRET = '{tok(rng, 40, B64)}'\n").encode()
        out.append((at(0.3), at(0.7), "scripts/deploy_old.py", before,
                    b"import os\nKEY_ID = os.environ['AWS_ACCESS_KEY_ID']\n", "aws_access_key_pair", 1))
    if i % 8 == 5:
        out.append((at(0.2), at(0.4), ".env.production",
                    f"API_KEY={tok(rng, 32)}\nDB_PASSWORD=pw{tok(rng, 10)}\n".encode(), None, "env_credential", 2))
    if i % 13 == 6:
        body = "\n".join(tok(rng, 64, B64) for _ in range(20))
        out.append((at(0.6), at(0.8), "keys/old_deploy_key",
                    ("-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n").encode(), None,
                    "private_key", 1))
    return out


def write_history(root: Path, rng: random.Random, i: int, commits: int, manifest: dict) -> None:
    """Make ``root`` a git repository whose history of ``commits`` commits ends in its working tree."""
    final = tracked_files(root)
    names = list(final)
    rng.shuffle(names)
    late = names[: len(names) * 3 // 10]  # files added after the first commit
    edited = [n for n in names[len(late): len(late) + len(names) // 5] if b"\0" not in final[n]]
    changes: list[dict[str, bytes | None]] = [{} for _ in range(commits)]
    first = changes[0]
    for name in names[len(late):]:
        first[name] = final[name]
    for name in late:
        changes[rng.randrange(1, commits) if commits > 1 else 0][name] = final[name]
    for name in edited:  # an earlier version first, the final text in a later commit
        lines = final[name].split(b"\n")
        first[name] = b"\n".join(lines[: max(1, len(lines) // 2)]) + b"\n"
        changes[rng.randrange(1, commits) if commits > 1 else 0][name] = final[name]
    if commits > 1:
        for add, remove, path, text, after, rule, count in history_secrets(rng, i, commits):
            changes[add][path] = text
            changes[remove][path] = after
            manifest["history_planted"][rule] = manifest["history_planted"].get(rule, 0) + count
    stream = bytearray()
    for n, change in enumerate(changes):
        when = START + n * 3600
        message = b"initial import" if n == 0 else f"change {n}".encode()
        stream += (f"commit refs/heads/main\nmark :{n + 1}\n"
                   f"author bench <bench@example.com> {when} +0000\n"
                   f"committer bench <bench@example.com> {when} +0000\n").encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        for path, data in sorted(change.items()):
            if data is None:
                stream += b"D %s\n" % path.encode()
            else:
                stream += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)
        stream += b"\n"
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True)
    subprocess.run(["git", *GIT_ENV, "reset", "-q"], cwd=root, check=True)  # the index from the last commit
    manifest["commits"] += commits


def generate(out: Path, repos: int, files: int, seed: int, use_git: bool, commits: int = 1) -> dict:
    """Write the workspace and return its manifest."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "execbrief.toml").write_text(CONFIG, encoding="utf-8")
    manifest: dict = {"repos": repos, "files_per_repo": files, "planted": {}, "bytes": 0, "text_files": 0,
                      "commits": 0, "history_planted": {}}
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
        if use_git and commits > 1:
            # a generator of its own, so the working tree is the same with or without a history
            write_history(root, random.Random(f"{seed}-{i}-history"), i, commits, manifest)
        elif use_git:
            subprocess.run(["git", "init", "-q"], cwd=root, check=True)
            subprocess.run(["git", *GIT_ENV, "add", "-A"], cwd=root, check=True)
            subprocess.run(["git", *GIT_ENV, "commit", "-q", "-m", "bench"], cwd=root, check=True)
            manifest["commits"] += 1
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
    parser.add_argument("--commits", type=int, default=1,
                        help="with --git: commits in each repo's history (default 1: the working tree alone)")
    args = parser.parse_args()
    started = time.monotonic()
    manifest = generate(args.out, args.repos, args.files, args.seed, args.git, args.commits)
    print(json.dumps({"out": str(args.out), "seconds": round(time.monotonic() - started, 1),
                      "text_files": manifest["text_files"], "mb": round(manifest["bytes"] / 1e6, 1),
                      "planted": manifest["planted"], "commits": manifest["commits"],
                      "history_planted": manifest["history_planted"]}))


if __name__ == "__main__":
    main()
