"""Many governments in one dataset: the optional ``instansi`` level above OPD.

A province or a national dataset names each OPD's regional government or agency in
``opd.kode_instansi`` (and may name the instansi in an ``instansi`` table); OPD codes are then
unique only within their instansi (DATA.md, "instansi"). The loader gives every OPD one key of its
own, the qualified code ``INSTANSI/OPD`` (``KOTA-SKM/DINKES``), in every ``kode_opd`` and
``induk`` column, and keeps ``kode_instansi`` as a column of its own in ``opd``, ``pegawai``,
``survei`` and ``organisasi``. Scoring, curves, analyses and file names then work on ``kode_opd``
unchanged; what a person reads shows the instansi's name and the OPD's own code
(:func:`own_code`). A dataset whose ``opd`` table has no ``kode_instansi`` is loaded as before.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from asn_eval.input.cells import TableInCheck
from asn_eval.input.codes import code_width, each_value, gather
from asn_eval.input.problems import Problem
from asn_eval.input.vocab import code_lookup, meant_by

__all__ = [
    "INSTANSI_TABLES",
    "SCOPE",
    "check_instansi",
    "has_instansi",
    "instansi_names",
    "named_in",
    "own_code",
    "qualify_opd",
    "scoped",
]

SCOPE = "\x1f"
"""Joins an instansi code and a code written in its scope while OPD references are resolved."""

INSTANSI_TABLES = ("opd", "pegawai", "survei", "organisasi")
"""Tables that name an OPD, and so its instansi when the dataset has instansi."""

IGNORED = "diabaikan: tabel opd tidak memakai kode_instansi"
NEEDED = (
    "kolom kode_instansi wajib: tabel opd memakai instansi, dan kode OPD hanya unik di dalamnya"
)


def has_instansi(tables: Mapping[str, pd.DataFrame]) -> bool:
    """Whether a dataset has the instansi level (its ``opd`` table has ``kode_instansi``).

    Parameters
    ----------
    tables : mapping
        Table name to DataFrame (typed or being checked).

    Returns
    -------
    bool
    """
    return "opd" in tables and "kode_instansi" in tables["opd"]


def own_code(kode_opd: str) -> str:
    """Return an OPD's own code: ``KOTA-SKM/DINKES`` → ``DINKES``; a code without instansi as is.

    Parameters
    ----------
    kode_opd : str
        A loaded ``kode_opd`` (qualified when the dataset has instansi; instansi codes hold no
        ``/``, so the first ``/`` ends the instansi).

    Returns
    -------
    str

    Examples
    --------
    >>> own_code("KOTA-SKM/DINSOS/P3A"), own_code("DINKES")
    ('DINSOS/P3A', 'DINKES')
    """
    return kode_opd.split("/", 1)[1] if "/" in kode_opd else kode_opd


def instansi_names(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Name every instansi of a loaded dataset, in the order of the ``opd`` table.

    Parameters
    ----------
    tables : mapping
        Table name to typed DataFrame (``Dataset.tables``).

    Returns
    -------
    dict
        ``kode_instansi`` → ``nama_instansi`` (the code where the ``instansi`` table does not
        name it); empty for a dataset without instansi.
    """
    if not has_instansi(tables):
        return {}
    codes = pd.unique(tables["opd"]["kode_instansi"].astype("str"))
    names: dict[str, str] = {}
    if "instansi" in tables:
        frame = tables["instansi"]
        names = dict(
            zip(
                frame["kode_instansi"].astype("str"),
                frame["nama_instansi"].astype("str"),
                strict=True,
            )
        )
    return {str(code): names.get(str(code), str(code)) for code in codes}


def scoped(frame: pd.DataFrame, values: pd.Series) -> pd.Series:
    """Write each OPD reference within its row's instansi, for resolution against ``opd``.

    Parameters
    ----------
    frame : DataFrame
        The referring table, with ``kode_instansi``.
    values : Series
        Its ``kode_opd`` or ``induk`` as written.

    Returns
    -------
    Series
        ``<kode_instansi>`` + :data:`SCOPE` + ``<value>``; missing where either is missing. Two
        categorical columns give a categorical, each pair of codes written once (a table of
        employees names a few hundred pairs in a hundred thousand rows).
    """
    if isinstance(frame["kode_instansi"].dtype, pd.CategoricalDtype) and isinstance(
        values.dtype, pd.CategoricalDtype
    ):
        return _scoped_codes(frame["kode_instansi"], values)
    instansi = frame["kode_instansi"].astype(object)
    both = values.notna() & instansi.notna()
    out = pd.Series(None, index=values.index, dtype=object)
    out[both] = instansi[both].astype(str).str.strip() + SCOPE + values[both].astype(str)
    return out


def _scoped_codes(instansi: pd.Series, values: pd.Series) -> pd.Series:
    """:func:`scoped` of two categorical columns, written once per pair of codes met."""
    left, right = instansi.array.codes.astype(np.int64), values.array.codes.astype(np.int64)
    pair = left * (len(values.cat.categories) + 1) + right
    pair[(left < 0) | (right < 0)] = -1
    codes, pairs = pd.factorize(pair, use_na_sentinel=False)
    first_inst = pairs // (len(values.cat.categories) + 1)
    first_value = pairs % (len(values.cat.categories) + 1)
    names = instansi.cat.categories.astype(str).str.strip()
    written = values.cat.categories.astype(str)
    text = [
        None if p < 0 else names[i] + SCOPE + written[v]
        for p, i, v in zip(pairs, first_inst, first_value, strict=True)
    ]
    inner, categories = pd.factorize(pd.Series(text, dtype=object), use_na_sentinel=True)
    return pd.Series(pd.Categorical.from_codes(inner[codes], categories), index=values.index)


def check_instansi(tables: dict[str, TableInCheck]) -> list[Problem]:
    """Check the instansi columns of a dataset whose ``opd`` table has ``kode_instansi``.

    Every row of ``opd``, ``pegawai``, ``survei`` and ``organisasi`` must name its instansi; an
    instansi code holds no ``/``; a table that names OPDs without a ``kode_instansi`` column is an
    error (its OPD codes could mean an OPD of any instansi). In a dataset without instansi, a
    ``kode_instansi`` column elsewhere or an ``instansi`` table is warned and left unused (the
    column is dropped).

    Parameters
    ----------
    tables : dict
        Table name to the table being checked (typed frames).

    Returns
    -------
    list of Problem
    """
    problems: list[Problem] = []
    if "opd" not in tables:
        return problems
    if not has_instansi({n: t.frame for n, t in tables.items()}):
        for name in INSTANSI_TABLES:
            if name in tables and "kode_instansi" in tables[name].frame:
                table = tables[name]
                table.frame = table.frame.drop(columns="kode_instansi")
                problems.append(_whole(table, "kode_instansi", IGNORED, "peringatan"))
        if "instansi" in tables:
            problems.append(_whole(tables["instansi"], None, IGNORED, "peringatan"))
        return problems
    opd = tables["opd"].frame
    if "instansi" in tables and "kode_instansi" in tables["instansi"].frame:
        named = tables["instansi"].frame["kode_instansi"].dropna().astype(str)
        problems += _as_known(tables["opd"], list(pd.unique(named)), "tabel instansi")
        opd = tables["opd"].frame
    known = set(opd["kode_instansi"].dropna().astype(str).str.strip())
    slash = opd["kode_instansi"].astype(object).astype(str).str.contains("/", regex=False)
    problems += tables["opd"].problems(
        slash & opd["kode_instansi"].notna(),
        "kode_instansi",
        "kode instansi tidak boleh memuat /",
        opd["kode_instansi"],
    )
    for name in INSTANSI_TABLES:
        if name not in tables:
            continue
        table = tables[name]
        if "kode_instansi" not in table.frame:
            problems.append(_whole(table, None, NEEDED))
            continue
        values = table.frame["kode_instansi"]
        refused = table.refused.get("kode_instansi", np.zeros(len(values), dtype=bool))
        problems += table.problems(
            values.isna().to_numpy() & ~refused,
            "kode_instansi",
            "wajib diisi: tabel opd memakai instansi",
        )
        if name != "opd":
            problems += _as_known(table, sorted(known), "tabel opd")
            values = table.frame["kode_instansi"]
            named = named_in(values, known)
            several = table.refused.get("kode_instansi", np.zeros(len(values), dtype=bool))
            unknown = values.notna().to_numpy() & ~named & ~several  # each code once
            problems += table.problems(
                unknown, "kode_instansi", "instansi tidak ada di tabel opd", values
            )
    return problems


def _as_known(table: TableInCheck, known: list[str], where: str) -> list[Problem]:
    """Write each ``kode_instansi`` of ``table`` as ``known`` writes it, where it means one code.

    A code written exactly as one of ``known`` (less the spaces around it) means it; one written
    loosely (other case, spaces or punctuation: ``kab mkm`` for ``KAB-MKM``) means the one code
    with its key, as an OPD code does (:func:`~asn_eval.input.vocab.code_lookup`). A loose code two
    codes share is refused (and marked in ``table.refused``); an unknown one is left as written,
    for the caller to report. Each distinct code is looked at once.
    """
    values = table.frame["kode_instansi"]
    column = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    lookup = code_lookup([("", code, None, code) for code in known])
    written = list(column.cat.categories.astype(str))
    found = [meant_by(code, lookup) for code in written]
    meant = [codes[0] if len(codes) == 1 else w for codes, w in zip(found, written, strict=True)]
    ambiguous = [codes if len(codes) > 1 else () for codes in found]
    inner, categories = pd.factorize(pd.Series(meant, dtype=object))
    codes = gather(np.append(inner, -1).astype(code_width(len(categories))), column.array.codes)
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype="str"))
    resolved = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    table.frame["kode_instansi"] = pd.Series(resolved, index=values.index, copy=False)
    problems: list[Problem] = []
    for position, several in enumerate(ambiguous):
        if not several:
            continue
        rows = gather(np.append(np.arange(len(ambiguous)) == position, False), column.array.codes)
        problems += table.problems(
            rows,
            "kode_instansi",
            f"bisa berarti lebih dari satu instansi ({', '.join(several)}); tulis kodenya persis "
            f"seperti di {where}",
            values,
        )
        table.refused["kode_instansi"] = table.refused.get("kode_instansi", rows) | rows
    return problems


def named_in(values: pd.Series, known: set[str]) -> np.ndarray:
    """Tell which rows name one of ``known``, as written less the spaces around it.

    Parameters
    ----------
    values : Series, shape (n,)
        Codes (kode_instansi), categorical or not; each distinct code is looked at once.
    known : set of str
        The codes a table holds.

    Returns
    -------
    ndarray of bool, shape (n,)
        False where the row's code is missing or unknown.
    """
    return each_value(
        values, lambda codes: codes.astype(object).astype(str).str.strip().isin(known)
    )


def _whole(table: TableInCheck, column: str | None, message: str, level: str = "galat") -> Problem:
    header = table.header(column) if column else None
    return Problem(table.raw.source.label, None, header, message, None, level)  # type: ignore[arg-type]


def qualify_opd(opd: pd.DataFrame) -> None:
    """Give every OPD its qualified code ``INSTANSI/OPD`` (``induk`` is qualified when resolved).

    Parameters
    ----------
    opd : DataFrame
        The typed ``opd`` table with ``kode_instansi``; changed in place.
    """
    instansi = opd["kode_instansi"].astype(object).astype(str).str.strip()
    own = opd["kode_opd"].astype(object).astype(str).str.strip()
    qualified = (instansi + "/" + own).where(opd["kode_opd"].notna())
    opd["kode_opd"] = qualified.astype("category")
