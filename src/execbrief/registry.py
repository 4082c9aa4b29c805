"""Name → factory registries for sources, writers and delivery channels.

Built-ins register exactly as a third-party package would: through the ``execbrief``
entry-point group, whose entries point at a ``register(registry)`` function. A plugin
module calls ``registry.add_source(...)``, ``add_writer(...)`` or ``add_channel(...)``.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any, Callable

from .errors import ConfigError

__all__ = ["Registry", "registry"]

ENTRY_POINT_GROUP = "execbrief"


class Registry:
    """Holds the factories for each kind of extension point."""

    def __init__(self) -> None:
        self.sources: dict[str, Callable[..., Any]] = {}
        self.writers: dict[str, Callable[..., Any]] = {}
        self.channels: dict[str, Callable[..., Any]] = {}
        self.broken: dict[str, str] = {}  # plugin name → why it failed to load
        self._loaded = False

    def add_source(self, name: str, factory: Callable[..., Any]) -> None:
        """Register a source: ``factory(settings)`` returns an object with ``collect()``."""
        self.sources[name] = factory

    def add_writer(self, name: str, factory: Callable[..., Any]) -> None:
        """Register a writer: ``factory(settings)`` returns an object with ``write(view)``."""
        self.writers[name] = factory

    def add_channel(self, name: str, factory: Callable[..., Any]) -> None:
        """Register a delivery channel: ``factory(settings)`` returns a ``Channel``."""
        self.channels[name] = factory

    def load(self) -> "Registry":
        """Load every plugin of the entry-point group, once."""
        if not self._loaded:
            for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                try:
                    ep.load()(self)
                except Exception as exc:  # one broken plugin must not disable the others
                    self.broken[ep.name] = f"{ep.value}: {type(exc).__name__}: {exc}"
            self._loaded = True
        return self

    def get(self, kind: str, name: str) -> Callable[..., Any]:
        """The factory registered as ``name`` among ``kind`` (sources, writers, channels)."""
        table: dict[str, Callable[..., Any]] = getattr(self.load(), kind)
        try:
            return table[name]
        except KeyError:
            known = ", ".join(sorted(table)) or "none"
            broken = "".join(f"; plugin {n!r} failed to load ({why})" for n, why in sorted(self.broken.items()))
            raise ConfigError(f"no {kind[:-1]} named {name!r} is installed (known: {known}){broken}") from None


registry = Registry()
