"""Cloud cost: spend by service and month, changes, movers, spikes and savings estimates."""

from __future__ import annotations

from decimal import Decimal

from aws_helpers import context, costs, evidence, inventory, res
from execbrief.analyzers import cost


def facts_of(months=None, *resources):
    return cost.analyze(evidence(inventory(*resources, cost=costs(months) if months else None)), context())


def named(facts, name):
    return [f for f in facts if f.name == name]


THREE_MONTHS = {
    "2026-08": {"Amazon Simple Storage Service": "131.40", "AWS Lambda": "4.90", "Amazon CloudFront": "24.60"},
    "2026-09": {"Amazon Simple Storage Service": "133.80", "AWS Lambda": "5.05", "Amazon CloudFront": "26.20"},
    "2026-10": {"Amazon Simple Storage Service": "136.10", "AWS Lambda": "11.20", "Amazon CloudFront": "44.80"},
}


def test_spend_by_service_per_month_is_a_decimal_metric_with_its_change():
    facts = facts_of(THREE_MONTHS)
    by_key = {(f.period, f.statement.split(" cost ")[0]): f for f in named(facts, "cloud_cost_service")}
    assert len(by_key) == 9
    lambda_oct = by_key[("2026-10", "AWS Lambda")]
    assert lambda_oct.value == Decimal("11.20") and lambda_oct.unit == "USD" and lambda_oct.kind == "metric"
    assert lambda_oct.statement == "AWS Lambda cost $11.20 in October 2026, up $6.15 (121.8%) from September 2026."
    assert set(lambda_oct.topics) == {"cost", "tech", "cloud"}
    assert lambda_oct.sources == ("aws:ce:global:111122223333/2026-10",)


def test_monthly_totals_and_total_change():
    facts = facts_of(THREE_MONTHS)
    totals = {f.period: f.value for f in named(facts, "cloud_cost_total")}
    assert totals == {"2026-08": Decimal("160.90"), "2026-09": Decimal("165.05"), "2026-10": Decimal("192.10")}
    [change] = named(facts, "cloud_cost_total_change")
    assert change.value == Decimal("27.05") and change.period == "2026-10"
    assert "from September 2026 to October 2026" in change.statement


def test_month_over_month_change_per_service_and_top_movers_largest_first():
    facts = facts_of(THREE_MONTHS)
    changes = {f.statement.split(" cost ")[0]: f.value for f in named(facts, "cloud_cost_change")}
    assert changes == {"Amazon CloudFront": Decimal("18.60"), "AWS Lambda": Decimal("6.15"),
                       "Amazon Simple Storage Service": Decimal("2.30")}
    [movers] = named(facts, "cloud_cost_top_movers")
    assert movers.statement.endswith(
        "Amazon CloudFront +$18.60, AWS Lambda +$6.15, Amazon Simple Storage Service +$2.30.")
    [top] = named(facts, "cloud_cost_top_services")
    assert top.statement.startswith("The largest AWS costs in October 2026 were Amazon Simple Storage Service $136 (70.8%)")


def test_service_up_more_than_30_percent_and_5_dollars_is_a_spike_finding():
    spikes = {f.statement.split(" cost ")[0]: f for f in named(facts_of(THREE_MONTHS), "cloud_cost_spike")}
    assert set(spikes) == {"Amazon CloudFront", "AWS Lambda"}  # S3 rose 1.7%
    cf = spikes["Amazon CloudFront"]
    assert cf.kind == "finding" and cf.severity == "medium" and cf.value == Decimal("18.60")
    assert "71.0%" in cf.statement and "AWS Budgets alert at $45.00" in cf.recommendation


def test_small_or_slow_rises_are_not_spikes():
    months = {"2026-09": {"A": "4.00", "B": "100.00", "C": "0"}, "2026-10": {"A": "8.00", "B": "125.00", "C": "50"}}
    # A doubled but by $4; B rose 25%; C is new (no base to compare)
    assert named(facts_of(months), "cloud_cost_spike") == []


def test_one_month_gives_spend_but_no_changes():
    facts = facts_of({"2026-10": {"AWS Lambda": "3"}})
    assert named(facts, "cloud_cost_total") and named(facts, "cloud_cost_top_services")
    assert not named(facts, "cloud_cost_change") and not named(facts, "cloud_cost_top_movers")


def test_idle_resources_are_savings_findings_with_a_total():
    facts = facts_of(None,
                     res("elastic_ip", "eipalloc-1", associated=False),
                     res("volume", "vol-1", size_gb=50, volume_type="gp2", state="available"),
                     res("volume", "vol-2", size_gb=500, volume_type="gp3", state="available"),
                     res("load_balancer", "old", name="old", lb_type="application", target_groups=0))
    values = {f.name + ":" + f.sources[0].rsplit("/", 1)[-1]: (f.value, f.severity) for f in facts if f.kind == "finding"}
    assert values == {
        "idle_elastic_ip:eipalloc-1": (Decimal("3.65"), "low"),
        "unattached_ebs_volume:vol-1": (Decimal("5.00"), "low"),
        "unattached_ebs_volume:vol-2": (Decimal("40.00"), "medium"),
        "idle_load_balancer:0123456789abcdef": (Decimal("16.43"), "low"),
    }
    [total] = named(facts, "cloud_savings_total")
    assert total.value == Decimal("65.08") and "$781 a year" in total.statement
    assert all("savings" in f.topics and f.recommendation for f in facts if f.kind == "finding")


def test_resources_in_use_give_no_savings():
    facts = facts_of(None, res("elastic_ip", "eipalloc-1", associated=True),
                     res("load_balancer", "web", name="web", lb_type="application", target_groups=2),
                     res("load_balancer", "unknown", name="unknown", lb_type="application", target_groups=None))
    assert facts == []


def test_no_aws_evidence_gives_no_cost_facts():
    assert cost.analyze([], context()) == []
