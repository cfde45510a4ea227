"""Keep notebooks that share a kernel from seeing each other: snapshot once, restore after each.

The batch runner reuses one warm kernel for many reports (starting a kernel and importing the
scientific stack costs seconds, more than a report itself). Right after warming up it calls
:func:`snapshot` in the kernel; after every report it calls :func:`restore`, which puts back
what a notebook can change in a process:

- the user namespace (variables, imported names, ``In``/``Out`` history): emptied;
- modules first imported by the report (new top-level, pure Python ones): forgotten, so the
  next report imports them afresh and a module-level side effect runs again, not leaks;
- matplotlib: every figure closed, ``rcParams`` restored (seaborn themes live there);
- pandas options, numpy error settings and both global random states;
- warning filters, environment variables, the working directory and ``sys.path``.

``tests/test_batch.py`` runs a notebook that changes all of these and proves the next report
in the same kernel sees none of it.
"""

from __future__ import annotations

import copy
import os
import random
import sys
import warnings
from typing import Any

__all__ = ["restore", "snapshot"]

_SAVED: dict[str, Any] = {}


def _pandas_options() -> dict[str, Any]:
    import pandas as pd

    keys = pd._config.config._registered_options  # every registered option, deprecated ones too
    values = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in keys:
            try:
                values[key] = pd.get_option(key)
            except (KeyError, ValueError):
                continue
    return values


def snapshot() -> None:
    """Remember the process state to return to after each notebook (call once, when warm)."""
    import matplotlib as mpl
    import numpy as np

    _SAVED.clear()
    _SAVED.update(
        modules=set(sys.modules),
        rc={k: v for k, v in mpl.rcParams.items() if k != "backend"},
        pandas=_pandas_options(),
        numpy_err=np.geterr(),
        numpy_random=np.random.get_state(),  # noqa: NPY002 - the global state itself
        random=random.getstate(),
        warnings=list(warnings.filters),
        environ=dict(os.environ),
        cwd=os.getcwd(),
        path=list(sys.path),
    )


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - always there in a kernel
        return None
    return get_ipython()


def restore() -> None:
    """Return the process to the state of the last :func:`snapshot`."""
    if not _SAVED:
        raise RuntimeError("restore() tanpa snapshot()")
    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    shell = _shell()
    if shell is not None:
        shell.reset(new_session=False)  # user namespace and output history emptied
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        current = {k: v for k, v in mpl.rcParams.items() if k != "backend"}
        changed = {k: v for k, v in _SAVED["rc"].items() if current.get(k) != v}
        mpl.rcParams.update(copy.deepcopy(changed))
        for key, value in _SAVED["pandas"].items():
            try:
                if pd.get_option(key) != value:
                    pd.set_option(key, value)
            except (KeyError, ValueError, TypeError):
                continue
    np.seterr(**_SAVED["numpy_err"])
    np.random.set_state(_SAVED["numpy_random"])  # noqa: NPY002 - the global state itself
    random.setstate(_SAVED["random"])
    warnings.filters[:] = _SAVED["warnings"]
    warnings._filters_mutated()
    if dict(os.environ) != _SAVED["environ"]:
        os.environ.clear()
        os.environ.update(_SAVED["environ"])
    if os.getcwd() != _SAVED["cwd"]:
        os.chdir(_SAVED["cwd"])
    sys.path[:] = _SAVED["path"]
    # A package loaded before the snapshot may load its own submodules lazily (pandas does,
    # and they register global types): those stay. A new top-level module is the report's.
    loaded = {name.partition(".")[0] for name in _SAVED["modules"]}
    for name in set(sys.modules) - _SAVED["modules"]:
        if name.partition(".")[0] in loaded:
            continue
        source = getattr(sys.modules.get(name), "__file__", None) or ""
        if source.endswith(".py"):  # compiled extensions cannot be initialised twice
            del sys.modules[name]
