"""``execbrief deploy aws``: write a SAM application that runs the workspace on AWS Lambda."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import load_settings
from ..errors import UsageError

__all__ = ["deploy"]


@click.group()
def deploy() -> None:
    """Write what it takes to run execbrief unattended somewhere else (AWS)."""


@deploy.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="The workspace whose time zone, sender and schedules shape the application.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write template.yaml, Dockerfile, requirements.txt and app/ into.")
@click.option("--organization", "organizations", multiple=True, metavar="ID",
              help="An organisation id (repeatable). More than one: a Step Functions Distributed Map runs them "
                   "all, each from s3://BUCKET/orgs/ID/. Default: one, named after the workspace's organisation.")
@click.option("--many", is_flag=True, help="Use the Step Functions fan-out even for one organisation.")
@click.option("--sender-identity", "identities", multiple=True, metavar="IDENTITY",
              help="An SES identity (domain or address) the function may send as (repeatable). "
                   "Default: the domain of [delivery] sender.")
@click.option("--every", type=click.IntRange(0, 60), default=15, show_default=True,
              help="Minutes between `run --due` checks (due briefings and alerts); 0 with --per-report: none.")
@click.option("--per-report", is_flag=True,
              help="Also one EventBridge schedule per scheduled report, at its cron times in its time zone.")
@click.option("--max-concurrency", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Many organisations: how many run at once (and the function's reserved concurrency).")
@click.option("--read-aws-account", is_flag=True,
              help="Grant the function the AWS source's read-only calls ([sources.aws] on the account it runs in).")
@click.option("--extra", "extras", multiple=True, type=click.Choice(["anthropic", "openai", "charts"]),
              help="Install this optional extra in the image (repeatable).")
def aws(workspace: Path, out: Path, organizations: tuple[str, ...], many: bool, identities: tuple[str, ...],
        every: int, per_report: bool, max_concurrency: int, read_aws_account: bool, extras: tuple[str, ...]) -> None:
    """Write a deployable SAM application: Lambda (container image), EventBridge Scheduler, S3, SES, SNS.

    Deploy it with `sam build && sam deploy --guided` (see the README written beside it,
    and "Deploy on AWS" in execbrief's README).
    """
    from ..deploy.aws import app_for, write_app

    settings = load_settings(workspace)
    if every == 0 and not per_report:
        raise UsageError("--every 0 leaves nothing to start the function: add --per-report, or check every N minutes")
    if every and 60 % every:
        raise UsageError(f"--every {every} does not divide an hour: use 5, 10, 15, 20, 30 or 60")
    try:
        app = app_for(settings, organizations, many=many, every=every, per_report=per_report,
                      max_concurrency=max_concurrency, read_aws_account=read_aws_account)
    except ValueError as exc:
        raise UsageError(f"--per-report: {exc}") from None
    if identities:
        from dataclasses import replace

        app = replace(app, sender_identities=identities)
    write_app(app, out, extras=extras)
    click.echo(f"wrote {out}/template.yaml, Dockerfile, requirements.txt and app/ "
               f"({'Step Functions fan-out over ' + str(len(app.organizations)) + ' organisations' if app.is_many else 'one organisation'})",
               err=True)
    click.echo("next: cd " + str(out) + " && sam build && sam deploy --guided   (then see README.md there)", err=True)
