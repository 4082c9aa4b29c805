"""Lenses: TOML definitions of what each audience sees, and their application to facts."""

from .loader import builtin_lens_data, lens_to_toml, load_lenses
from .changes import compare
from .select import FactIndex, build_view, lens_pool, matches, pools_apart, rank

__all__ = [
    "FactIndex", "build_view", "builtin_lens_data", "compare", "lens_pool", "lens_to_toml", "load_lenses", "matches",
    "pools_apart",
    "rank",
]
