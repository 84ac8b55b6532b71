"""The one place embertrain's version is written (read by pyproject.toml too)."""

__version__ = "0.1.0"
