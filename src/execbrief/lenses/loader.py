"""Lens definitions: built-in TOML files plus the workspace's ``lenses/*.toml``.

A user lens whose ``id`` matches a built-in one (or that says ``extends = "cto"``) is laid
over it: top-level keys replace the built-in's, and ``[[sections]]`` replace the section
with the same ``id`` or are added after the others. Any other user lens stands alone.
"""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from ..errors import LensError
from ..model import Lens
from ..vocabulary import Vocabulary, load_vocabulary

__all__ = ["load_lenses", "builtin_lens_data", "lens_to_toml"]


def _read(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LensError(f"lens file {origin} is not valid TOML: {exc}", path=origin) from None
    except RecursionError:  # (tables or arrays nested thousands deep)
        raise LensError(f"lens file {origin} is not valid TOML: it is nested too deeply", path=origin) from None


class _SectionOverlay(BaseModel):
    """What a user's ``[[sections]]`` entry must be before it is laid over a lens: a table with an id."""

    model_config = ConfigDict(extra="allow")
    id: StrictStr


class _LensFile(BaseModel):
    """The keys the loader reads before merging (the full lens is validated after)."""

    model_config = ConfigDict(extra="allow")
    id: StrictStr
    extends: StrictStr | None = None
    sections: list[_SectionOverlay] = []


def _problem(err: Any) -> tuple[str, str]:
    """(key, what is wrong with it) of a pydantic error, in the lens file's own terms."""
    key = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return key, f"unknown key '{key}': remove it or check its spelling"
    if err["type"] == "missing":
        return key, f"missing required key '{key}': add it"
    got = err.get("input")
    shown = "" if isinstance(got, dict) else f" (got {got!r})"
    if err["type"] == "model_type":  # "Input should be a valid dictionary or instance of …"
        return key, f"key '{key}' must be a table: write it as [[sections]] with id, title and directive{shown}"
    return key, f"key '{key}': {err['msg']}{shown}"


def _check_file(data: dict[str, Any], origin: str) -> None:
    try:
        _LensFile.model_validate(data)
    except ValidationError as exc:
        key, message = _problem(exc.errors()[0])
        raise LensError(f"lens file {origin}: {message}", key=key, path=origin) from None


def builtin_lens_data() -> dict[str, dict[str, Any]]:
    """The raw TOML data of every built-in lens, by id."""
    out = {}
    folder = resources.files("execbrief.lenses") / "builtin"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = _read(entry.read_text(encoding="utf-8"), f"builtin/{entry.name}")
            out[data.get("id", entry.name[:-5])] = data
    return out


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = {k: v for k, v in base.items() if k != "sections"}
    merged.update({k: v for k, v in over.items() if k not in ("sections", "extends")})
    sections = {s["id"]: s for s in base.get("sections", []) if "id" in s}
    for section in over.get("sections", []):
        key = section.get("id")
        if key in sections:
            sections[key] = {**sections[key], **section}
        else:
            sections[key] = section
    merged["sections"] = list(sections.values())
    return merged


def _validate(data: dict[str, Any], origin: str, vocabulary: Vocabulary) -> Lens:
    try:
        lens = Lens.model_validate({**data, "origin": origin})
    except ValidationError as exc:
        key, msg = _problem(exc.errors()[0])
        raise LensError(f"lens file {origin}: {msg}", key=key, path=None if origin == "builtin" else origin) from None
    wanted = [("focus", lens.focus)] + [
        (f"sections.{s.id}.select.{field}", getattr(s.select, field))
        for s in lens.sections for field in ("topics", "exclude_topics", "unless_topics")
    ]
    for key, topics in wanted:
        unknown = vocabulary.unknown(topics)
        if unknown:  # a misspelt topic would silently select nothing
            raise LensError(
                f"lens file {origin}: key '{key}' names unknown topic {unknown[0]!r} "
                f"(known: {', '.join(sorted(vocabulary.names))}): fix it, or add the topic "
                "to lenses/topics.toml", key=key, path=None if origin == "builtin" else origin,
            )
    return lens


def load_lenses(workspace: Path | None = None, vocabulary: Vocabulary | None = None) -> dict[str, Lens]:
    """Every lens available in a workspace, by id: built-ins overlaid with user lenses.

    A section or focus naming a topic the vocabulary (``vocabulary``, else the built-in one
    extended by the workspace's ``lenses/topics.toml``) does not know is an error.
    """
    vocabulary = vocabulary or load_vocabulary(workspace)
    raw = builtin_lens_data()
    origins = {lens_id: "builtin" for lens_id in raw}
    user: dict[str, tuple[dict[str, Any], str]] = {}  # lens id → (its file's data, the file)
    folder = workspace / "lenses" if workspace else None
    if folder and folder.is_dir():
        for path in sorted(p for p in folder.glob("*.toml") if p.name != "topics.toml"):
            origin = str(path)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise LensError(f"cannot read lens file {path}: {exc}", path=path) from None
            data = _read(text, origin)
            data.setdefault("id", path.stem)
            _check_file(data, origin)
            if data["id"] in user:
                raise LensError(f"lens files {user[data['id']][1]} and {origin} both define lens {data['id']!r}: "
                                "rename one (its id, or its file when it has no id)", key="id", path=origin)
            user[data["id"]] = (data, origin)
    for lens_id in user:
        raw[lens_id] = _resolve(lens_id, user, raw, ())
        origins[lens_id] = user[lens_id][1]
    return {lens_id: _validate(data, origins[lens_id], vocabulary) for lens_id, data in sorted(raw.items())}


def _resolve(lens_id: str, user: dict[str, tuple[dict[str, Any], str]], builtin: dict[str, dict[str, Any]],
             chain: tuple[str, ...]) -> dict[str, Any]:
    """A user lens laid over what it extends (a built-in, or another user lens, resolved first)."""
    data, origin = user[lens_id]
    base_id = data.get("extends", lens_id if lens_id in builtin else None)
    if base_id is None:
        return data
    if base_id in chain or base_id == lens_id and base_id not in builtin:
        cycle = " → ".join((*chain, lens_id, base_id))
        raise LensError(f"lens file {origin}: extends makes a cycle ({cycle}): end it at a built-in lens "
                        "or at a lens that extends none", key="extends", path=origin)
    if base_id != lens_id and base_id in user:
        base = _resolve(base_id, user, builtin, (*chain, lens_id))
    elif base_id in builtin:
        base = builtin[base_id]
    else:
        known = ", ".join(sorted({*builtin, *user}))
        raise LensError(f"lens file {origin}: extends unknown lens {base_id!r} (known: {known})",
                        key="extends", path=origin)
    return _merge(base, data)


def lens_to_toml(lens: Lens) -> str:
    """The effective lens as TOML a user can copy into ``lenses/NAME.toml``."""
    def val(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return str(v)
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(val(x) for x in v) + "]"
        return json.dumps(str(v), ensure_ascii=False)  # JSON escapes are valid TOML

    data = lens.model_dump(exclude={"sections", "origin"}, exclude_none=True)
    lines = [f"# effective lens {lens.id!r} (from {lens.origin})"]
    lines += [f"{k} = {val(v)}" for k, v in data.items()]
    for section in lens.sections:
        lines += ["", "[[sections]]"]
        sec = section.model_dump(exclude={"select"}, exclude_none=True)
        lines += [f"{k} = {val(v)}" for k, v in sec.items()]
        sel = section.select.model_dump(exclude_none=True)
        sel = {k: v for k, v in sel.items() if v not in ((), [])}
        if sel:
            lines.append("[sections.select]")
            lines += [f"{k} = {val(v)}" for k, v in sel.items()]
    return "\n".join(lines) + "\n"
