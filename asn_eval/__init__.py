"""asn-eval: a Jupyter workbench for evaluating the performance of civil servants (ASN).

Load and check a dataset with :func:`load` (or only check it with :func:`validate`).
The public names are imported on first use, so ``asn-eval --help`` starts without pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_PUBLIC = {
    "Dataset": "asn_eval.dataset",
    "MissingTableError": "asn_eval.dataset",
    "load": "asn_eval.dataset",
    "validate": "asn_eval.dataset",
    "DataError": "asn_eval.problems",
    "Problem": "asn_eval.problems",
}

__all__ = [
    "DataError",
    "Dataset",
    "MissingTableError",
    "Problem",
    "__version__",
    "load",
    "validate",
]

if TYPE_CHECKING:
    from asn_eval.dataset import Dataset, MissingTableError, load, validate
    from asn_eval.problems import DataError, Problem


def __getattr__(name: str) -> object:
    """Import a public name on first use."""
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'asn_eval' has no attribute {name!r}")
