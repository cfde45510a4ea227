"""asn-eval: a Jupyter workbench for evaluating the performance of civil servants (ASN).

Load and check a dataset with :func:`load` (or only check it with :func:`validate`).
"""

from __future__ import annotations

__version__ = "0.1.0"

from asn_eval.dataset import Dataset, MissingTableError, load, validate
from asn_eval.problems import DataError, Problem

__all__ = [
    "DataError",
    "Dataset",
    "MissingTableError",
    "Problem",
    "__version__",
    "load",
    "validate",
]
