"""A pydantic validation error said the way a user reads a JSON document: the field's path
(``resources[3].attributes.stages[0]``) and what is wrong with it, in plain words."""

from __future__ import annotations

import re

from pydantic import ValidationError

__all__ = ["json_problem"]


def json_problem(exc: ValidationError, where: str = "") -> str:
    """``where.field[0].key: what is wrong`` for the first problem of ``exc``."""
    err = exc.errors()[0]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"] if p != "function-before")
    path = (where + loc) if where else loc.lstrip(".") or "(document)"
    got = err.get("input")
    if err["type"] == "missing":
        message = "is missing"
    elif err["type"] == "string_pattern_mismatch":
        message = f"should be YYYY-MM (got {str(got)[:24]!r})"
    else:
        message = re.sub(r" or instance of \w+", "", err["msg"].removeprefix("Value error, "))
        message = message.replace("Input should be a valid dictionary", "should be an object").replace("Input ", "")
    return f"{path}: {message}"
