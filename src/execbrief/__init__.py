"""execbrief: verified, role-specific briefings from an organisation's operational data."""

__version__ = "0.1.0"

from .config import Settings, load_settings
from .errors import ConfigError, ExecbriefError
from .model import Evidence, Fact, Lens, Message, Report
from .pipeline import RunResult, run

__all__ = [
    "__version__",
    "ConfigError",
    "Evidence",
    "ExecbriefError",
    "Fact",
    "Lens",
    "Message",
    "Report",
    "RunResult",
    "Settings",
    "load_settings",
    "run",
]
