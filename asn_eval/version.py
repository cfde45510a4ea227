"""The package's version, in one place (the package, its cache keys and its outputs name it)."""

__version__ = "0.1.0"
