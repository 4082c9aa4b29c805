"""A secret found in a repository never leaves the scanner: not in evidence, facts, ledger or email."""

from __future__ import annotations

import email
import json
from email import policy

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers import analyze as analyze_all
from execbrief.pipeline import run
from execbrief.sources.repos import ReposSource
from repo_helpers import aws_key_id, aws_secret, git_repo, private_key, stripe_key, token


def _eml_texts(data: bytes) -> str:
    """The decoded text of every part: quoted-printable could split a value across lines."""
    message = email.message_from_bytes(data, policy=policy.default)
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )


def test_planted_secrets_never_reach_evidence_facts_ledger_or_rendered_reports(demo_workspace):
    ws = demo_workspace
    live, restricted = stripe_key(), stripe_key("live", "rk")
    key_id, secret = aws_key_id(), aws_secret()
    pem, pem_body = private_key()
    entropy, password = token(32), "pw-" + token(9)
    git_repo(ws.root / "repos" / "harbor-flats-ops", {
        "config/payments.js": f"module.exports = {{ stripe: '{live}' }};\n",
        "deploy/aws.py": f"KEY_ID = '{key_id}'\nAWS_SECRET = '{secret}'\n",
        "deploy/id_rsa": pem,
        "config/app.yaml": f"signing_key: {entropy}\n",
        ".env": f"STRIPE_RESTRICTED={restricted}\nADMIN_PASSWORD={password}\n",
    })
    secrets = [live, restricted, key_id, secret, entropy, password, *pem_body.splitlines()]
    settings = ws.settings()

    evidence = ReposSource(settings).collect().evidence
    context = AnalysisContext(as_of=settings.run.as_of, entities={e.id: (e.name, e.kind) for e in settings.entities})
    facts, _ = analyze_all(evidence, context)
    result = run(settings)
    cto_outcome = next(r for r in result.reports if r.key == "cto")
    assert cto_outcome.status == "verified", cto_outcome.problems

    produced = {
        "evidence": json.dumps([ev.model_dump(mode="json") for ev in evidence]),
        "facts": json.dumps([f.model_dump(mode="json") for f in facts]),
    }
    for path in sorted((ws.root / ".execbrief").rglob("*")) + sorted((ws.root / "outbox").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            produced[str(path)] = data.decode("latin-1")
            if path.suffix == ".eml":
                produced[f"{path} (decoded)"] = _eml_texts(data)
    assert any(p.endswith("ledger.db") for p in produced)
    for where, text in produced.items():
        for value in secrets:
            assert value not in text, f"a planted secret reached {where}"

    # the findings were reported, by their masked previews
    cto = next((ws.root / ".execbrief" / "runs" / result.run_id).glob("cto.txt")).read_text()
    assert "sk_live_…" + live[-4:] in cto and "harbor-flats-ops" in cto
    assert {"committed_live_payment_key", "cloud_key_in_code", "private_key_in_code", "high_entropy_secret",
            "plaintext_credential_file"} <= {f.name for f in facts}
