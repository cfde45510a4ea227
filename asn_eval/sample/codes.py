"""The small integer codes the generator's arrays hold, string interning and random streams.

Employees live in parallel numpy arrays; their post, rater role, level and so on are small
integers, defined here once. Codes that index an input vocabulary follow its order
(``vocab.JENIS_JABATAN``, ``vocab.PERAN_PENILAI``, ``vocab.LEVEL``).
"""

from __future__ import annotations

import numpy as np

# Roles: what an employee does in the city's structure.
HEAD, ADMIN, PENGAWAS, KEPSEK, GURU, FUNGSIONAL, PELAKSANA = range(7)

# Posts: positions in vocab.JENIS_JABATAN.values.
JPT, ADM, PGW, FUN, PLK = range(5)

# Rater roles: positions in vocab.PERAN_PENILAI.values.
DIRI, ATASAN, REKAN, BAWAHAN = range(4)

# Levels: positions in vocab.LEVEL.values.
BAWAH, SESUAI, ATAS = range(3)

# Rater styles.
NORMAL, LENIENT, SEVERE = range(3)

BIAS = 1.3
"""Planted rater bias; with scores clipped at 1 and 5 others see about ±1.2."""

# Peer groups: heads, an OPD's administrators, its pengawas, its principals; staff are grouped by
# unit, PEER_STAFF + the unit's code.
PEER_HEAD, PEER_ADMIN, PEER_PENGAWAS, PEER_KEPSEK, PEER_STAFF = range(5)


class Interner:
    """Strings to small integer codes, in first-seen order."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[str] = []

    def __call__(self, text: str) -> int:
        """Return the code of ``text``, giving it the next code when it is new."""
        code = self.codes.get(text)
        if code is None:
            code = self.codes[text] = len(self.values)
            self.values.append(text)
        return code

    def array(self) -> np.ndarray:
        """Return the strings seen so far, in code order, as an object array."""
        return np.asarray(self.values, dtype=object)


def stream(seed: int, *key: int) -> np.random.Generator:
    """Return an independent random stream for one stage (and city or chunk) of the generator.

    Parameters
    ----------
    seed : int
        The sample's seed.
    *key : int
        The stage, then the city or chunk: each key gives its own stream.

    Returns
    -------
    numpy.random.Generator
        The same stream for the same seed and key.
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))
