"""asn-eval: a Jupyter workbench for evaluating the performance of civil servants (ASN).

Load and check a dataset with :func:`load` (or only check it with :func:`validate`), score a
period with :func:`score` under a scheme (:func:`list_schemes`, :func:`load_scheme`), and see why a
predikat came out as it did with :func:`explain`.
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
    "score": "asn_eval.scoring",
    "explain": "asn_eval.explanation",
    "load_scheme": "asn_eval.scheme",
    "list_schemes": "asn_eval.scheme",
}

__all__ = [
    "DataError",
    "Dataset",
    "MissingTableError",
    "Problem",
    "__version__",
    "explain",
    "list_schemes",
    "load",
    "load_scheme",
    "score",
    "validate",
]

if TYPE_CHECKING:
    from asn_eval.dataset import Dataset, MissingTableError, load, validate
    from asn_eval.explanation import explain
    from asn_eval.problems import DataError, Problem
    from asn_eval.scheme import list_schemes, load_scheme
    from asn_eval.scoring import score


def __getattr__(name: str) -> object:
    """Import a public name on first use."""
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'asn_eval' has no attribute {name!r}")
