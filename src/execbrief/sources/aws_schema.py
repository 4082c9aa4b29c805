"""The shape of an AWS inventory (a snapshot file, or what ``aws_gather`` read live).

Each part is checked on its own (strict JSON types, no coercion: ``"false"`` is not
false), so a malformed resource or cost line costs that item, with a warning naming the
field, and never the analyzers that read the rest. The attribute models list what the
rules read; a resource may carry other attributes, which pass through untouched.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Callable

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..problems import json_problem
from .values import implausible

__all__ = ["Inventory", "Resource", "CostMonth", "CostLine", "checked_inventory"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


def _amount(value: Any) -> Decimal:
    """A cost amount: a decimal string or a JSON number, finite and of a plausible size."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("should be a number or a decimal string")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("is not a finite number")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{str(value)[:24]!r} is not a number") from None
    why = implausible(amount)
    if why:
        raise ValueError(why)
    return amount


Amount = Annotated[Decimal, BeforeValidator(_amount)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Statement(_Open):
    """A public statement of a Lambda function's resource policy."""

    sid: str | None = None
    actions: list[str] = []
    condition_keys: list[str] = []


class Method(_Open):
    """An open method of an API Gateway REST API."""

    method: str | None = None
    api_key_required: bool = False


class Stage(_Open):
    """An API Gateway stage and its web ACL."""

    name: str
    waf_checked: bool = False
    web_acl: str | None = None


class Attributes(_Open):
    """The attributes the cloud and cost rules read, each of its JSON type when present."""

    name: str | None = None
    aliases: list[str] = []
    domain: str | None = None
    dns_name: str | None = None
    runtime: str | None = None
    url_auth_type: str | None = None
    public_statements: list[Statement] = []
    open_methods: list[Method] = []
    open_routes: list[str] = []
    endpoint_types: list[str] = []
    stages: list[Stage] = []
    env_var_names: list[str] = []
    execute_api_disabled: bool | None = None
    enabled: bool | None = None
    waf_checked: bool | None = None
    web_acl: str | None = None
    lb_type: str | None = None
    scheme: str | None = None
    block: dict[str, bool] | None = None
    block_checked: bool | None = None
    policy_public: bool | None = None
    acl_public: bool | None = None
    is_logging: bool | None = None
    associated: bool | None = None
    volume_type: str | None = None
    size_gb: int | None = Field(default=None, ge=0, le=10_000_000)
    target_groups: int | None = Field(default=None, ge=0)


class Resource(_Open):
    """One resource: what identifies it, and its attributes."""

    service: NonEmpty
    type: NonEmpty
    id: NonEmpty
    arn: NonEmpty
    region: NonEmpty
    attributes: Attributes


class CostLine(_Open):
    """One service's cost in a month."""

    service: NonEmpty
    amount: Amount
    unit: str | None = None


class CostMonth(_Open):
    """One month of Cost Explorer's answer (its lines are checked one by one)."""

    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    estimated: bool = False
    services: list[Any] = []


class Costs(_Open):
    """Cost Explorer's answer (its months are checked one by one)."""

    metric: str | None = None
    months: list[Any] = []


class Inventory(_Open):
    """The inventory around its parts (each resource and month is checked on its own)."""

    account: NonEmpty
    taken_at: str | None = None
    caller_arn: str | None = None
    regions: list[str] = []
    scanned: list[str] = []
    resources: list[Any] = []
    costs: Costs | None = None
    warnings: list[Any] = []


def checked_inventory(data: dict[str, Any], warn: Callable[[str], None]) -> Inventory | None:
    """The inventory, its malformed optional parts dropped with a warning each; None without an account."""
    data = dict(data)
    for _ in range(len(Inventory.model_fields) + 1):
        try:
            return Inventory.model_validate(data)
        except ValidationError as exc:
            field = exc.errors()[0]["loc"][0]
            if field == "account" or field not in data:
                warn(f"{json_problem(exc, 'snapshot')}: it holds no usable inventory; write it again with "
                     "`execbrief snapshot aws --out FILE`")
                return None
            warn(f"{json_problem(exc, 'snapshot')}: ignored, the rest is read")
            del data[field]
    return None
