"""How an OPD is named for people when a dataset holds many instansi.

In a dataset with the instansi level (:mod:`asn_eval.input.instansi`) every ``kode_opd`` is the
qualified key ``INSTANSI/OPD`` (``KOTA-SKM/DINKES``): right for file names, manifests and joins,
wrong for a reader. What people read names the OPD with its own code and its instansi:
``Dinas Kesehatan (DINKES) — Kota Sukamaju``. A single-city dataset keeps its bare codes, so
everything it shows is as before.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from asn_eval.input.instansi import instansi_names, own_code

__all__ = ["OpdNames", "short_instansi"]

GOVERNMENT = "Pemerintah "
"""Left off an instansi's name where it follows an OPD (``Pemerintah Kota Sukamaju`` → ``Kota
Sukamaju``): the OPD's own name already says it belongs to a government."""


def short_instansi(nama: str) -> str:
    """Return an instansi's name as it follows an OPD: ``Pemerintah Kota X`` → ``Kota X``.

    Parameters
    ----------
    nama : str
        ``nama_instansi`` (an agency's name without the prefix is kept whole).

    Returns
    -------
    str

    Examples
    --------
    >>> short_instansi("Pemerintah Kota Sukamaju"), short_instansi("Kementerian Keuangan")
    ('Kota Sukamaju', 'Kementerian Keuangan')
    """
    short = nama.removeprefix(GOVERNMENT).strip()
    return short or nama


class OpdNames:
    """The names people read for the OPDs of one dataset.

    Parameters
    ----------
    tables : mapping
        Table name to typed DataFrame (``Dataset.tables``); needs ``opd``.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        opd = tables["opd"]
        codes = opd["kode_opd"].astype("str")
        self.names: dict[str, str] = dict(zip(codes, opd["nama_opd"].astype("str"), strict=True))
        self.instansi: dict[str, str] = instansi_names(tables)
        """``kode_instansi`` → ``nama_instansi`` (empty for a single city)."""
        self.of: dict[str, str] = (
            dict(zip(codes, opd["kode_instansi"].astype("str"), strict=True))
            if self.instansi
            else {}
        )
        """``kode_opd`` → its ``kode_instansi`` (empty for a single city)."""

    @property
    def many(self) -> bool:
        """Whether the dataset has the instansi level."""
        return bool(self.instansi)

    def code(self, kode_opd: str) -> str:
        """Return the code people read: the OPD's own (``DINKES``), bare in a single city."""
        return own_code(kode_opd) if self.many else kode_opd

    def instansi_of(self, kode_opd: str) -> str | None:
        """Return the name of an OPD's instansi (``Pemerintah Kota Sukamaju``), None if none."""
        kode = self.of.get(kode_opd)
        return self.instansi.get(kode, kode) if kode is not None else None

    def label(self, kode_opd: str, *, instansi: bool = True) -> str:
        """Name an OPD for a list: ``Dinas Kesehatan (DINKES) — Kota Sukamaju``.

        Parameters
        ----------
        kode_opd : str
            A loaded (qualified) code.
        instansi : bool
            Whether to follow it with its instansi (leave it off where the instansi is known).

        Returns
        -------
        str
            In a single city ``Dinas Kesehatan (DINKES)``.
        """
        nama = self.names.get(kode_opd, kode_opd)
        text = f"{nama} ({self.code(kode_opd)})"
        where = self.instansi_of(kode_opd)
        return f"{text} — {short_instansi(where)}" if instansi and where else text

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Show a table's ``kode_opd`` as people read it; add ``instansi`` after it when many.

        Parameters
        ----------
        frame : DataFrame
            Any table with a ``kode_opd`` column (others are returned as they are).

        Returns
        -------
        DataFrame
            A copy; the same frame in a single city or without ``kode_opd``.
        """
        if not self.many or "kode_opd" not in frame:
            return frame
        codes = frame["kode_opd"].astype("str")
        out = frame.assign(kode_opd=[self.code(c) for c in codes])
        if "instansi" not in out:
            where = [self.instansi_of(c) for c in codes]
            out.insert(out.columns.get_loc("kode_opd") + 1, "instansi", where)
        return out
