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

__all__ = ["ALL_INSTANSI_KEYS", "OpdNames", "scope_key", "short_instansi"]

ALL_INSTANSI_KEYS = frozenset(
    {"kota", "ikhtisar", "nasional_judul", "nasional_teks", "dibanding_kota"}
    | {"peringkat_selang_teks", "semua_opd"}
)
"""Report texts (:mod:`asn_eval.reporting.text`) that have a ``<key>_semua`` form saying
"instansi" where a city's says "kota", for what covers every instansi of a dataset with many."""

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


def scope_key(key: str, semua: bool) -> str:
    """Return the text key to use: ``<key>_semua`` when covering every instansi and it has one.

    Parameters
    ----------
    key : str
        A key of :mod:`asn_eval.reporting.text`.
    semua : bool
        Whether the document covers every instansi of a dataset with many.

    Returns
    -------
    str
    """
    return f"{key}_semua" if semua and key in ALL_INSTANSI_KEYS else key


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

    def short(self, kode_opd: str) -> str:
        """Name an OPD in a figure: ``DINKES (Kota Sukamaju)``; the bare code in a single city."""
        where = self.instansi_of(kode_opd)
        code = self.code(kode_opd)
        return f"{code} ({short_instansi(where)})" if where else code

    def sentence(self, said: str) -> str:
        """Rewrite the qualified codes in a sentence as people read them (``DINKES (Kota X)``).

        ``KOTA-SKM/DINKES`` → ``DINKES (Kota Sukamaju)``; a single city's sentence as it is.

        Parameters
        ----------
        said : str
            A sentence written from the data (findings name agencies by ``kode_opd``).

        Returns
        -------
        str
        """
        if not self.many or "/" not in said:
            return said
        for code in sorted(self.of, key=len, reverse=True):  # KOTA/A/B before KOTA/A
            if code in said:
                said = said.replace(code, self.short(code))
        return said

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Show a table's ``kode_opd`` as people read it; add ``instansi`` after it when many.

        The instansi column holds the short name (``Kota Sukamaju``): tables are wide already.

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
            where = [short_instansi(str(self.instansi_of(c))) for c in codes]  # narrow columns
            out.insert(out.columns.get_loc("kode_opd") + 1, "instansi", where)
        return out
