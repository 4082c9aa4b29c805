"""Lenses: TOML definitions of what each audience sees, and their application to facts."""

from .loader import builtin_lens_data, lens_to_toml, load_lenses
from .select import build_view, matches, rank

__all__ = ["build_view", "builtin_lens_data", "lens_to_toml", "load_lenses", "matches", "rank"]
