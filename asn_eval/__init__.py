"""asn-eval: a Jupyter workbench for evaluating the performance of civil servants (ASN).

Load and check a dataset with :func:`load` (or only check it with :func:`validate`), score a
period once with :func:`evaluate` (results, evidence, curve and IKM; :func:`score` gives only the
table) under a scheme (:func:`list_schemes`, :func:`load_scheme`), and see why a predikat came
out as it did with :func:`explain`. A period is a :class:`Periode`, read once where it arrives.

The package is the workbench's flow, one subpackage per stage: ``input`` → ``scoring`` →
``analysis`` → ``reporting`` → ``batch`` and ``app``; beside them ``decisions`` (the calibration
store), ``sample`` (the sample city), ``cli``, and what every stage shares: ``errors``,
``atomic`` (writing files), ``filenames`` (safe file names from data values), ``formatting``
(numbers in Indonesian), ``anonymity`` and ``streams`` (output whose reader may leave).
The public names are imported on first use: ``import asn_eval`` alone does not import pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from asn_eval.version import __version__

_PUBLIC = {
    "Dataset": "asn_eval.input.dataset",
    "MissingTableError": "asn_eval.errors",
    "load": "asn_eval.input.dataset",
    "validate": "asn_eval.input.dataset",
    "DataError": "asn_eval.errors",
    "Limits": "asn_eval.input.limits",
    "Problem": "asn_eval.input.problems",
    "Periode": "asn_eval.input.periode",
    "PeriodeError": "asn_eval.errors",
    "Scored": "asn_eval.scoring.score",
    "evaluate": "asn_eval.scoring.score",
    "score": "asn_eval.scoring.score",
    "explain": "asn_eval.scoring.explanation",
    "load_scheme": "asn_eval.scoring.scheme",
    "list_schemes": "asn_eval.scoring.scheme",
}

__all__ = [
    "DataError",
    "Dataset",
    "Limits",
    "MissingTableError",
    "Periode",
    "PeriodeError",
    "Problem",
    "Scored",
    "__version__",
    "evaluate",
    "explain",
    "list_schemes",
    "load",
    "load_scheme",
    "score",
    "validate",
]

if TYPE_CHECKING:
    from asn_eval.errors import DataError, MissingTableError, PeriodeError
    from asn_eval.input.dataset import Dataset, load, validate
    from asn_eval.input.limits import Limits
    from asn_eval.input.periode import Periode
    from asn_eval.input.problems import Problem
    from asn_eval.scoring.explanation import explain
    from asn_eval.scoring.scheme import list_schemes, load_scheme
    from asn_eval.scoring.score import Scored, evaluate, score


def __getattr__(name: str) -> object:
    """Import a public name on first use."""
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'asn_eval' has no attribute {name!r}")
