"""The hash chain that makes a decisions file tamper-evident, and its verification.

Each event's hash is the SHA-256 of the previous hash and every field of the event, its id (the
sequence number) included (:func:`event_hash`); the first event chains to the store's genesis
record, whose hash covers a random nonce, the creation time and the note of how the store began
(:func:`genesis_hash`). Changing any field of any event, deleting one from the middle or slipping
one in breaks the chain at that event, and :func:`verify` names the first one.

What the chain cannot see on its own, said plainly:

- the last events deleted, when whoever deleted them also lowered SQLite's ``sqlite_sequence``
  (the largest id ever given; checked here), and
- a file rewritten by someone who recomputes every hash with this very code.

Both are caught by comparing the file with a *head* printed earlier (the number of events and the
last hash, printed by ``asn-eval decisions verify``, ``history`` and the export): if that hash is no
longer in the chain, events were removed or the chain was rewritten (``verify --sampai``). Keep
the head printed after a forum (on its minutes or report) and the file can be checked against it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from asn_eval.decisions.schema import EVENT_FIELDS, TRIGGERS, tables_in, triggers_in

__all__ = ["Head", "Verdict", "append_event", "event_hash", "genesis_hash", "now", "verify"]

_SPACES = re.compile(r"\s+")
HEAD_DIGITS = 16
"""How many hex digits of a hash a printed head shows (64 bits: no accidental match)."""


def now() -> str:
    """Return the current UTC time as stored in the file (ISO 8601, microseconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _digest(parts: list[object]) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def genesis_hash(dibuat: str, nonce: str, catatan: str, dimigrasi: int, sampai_id: int) -> str:
    """Return the hash of a store's genesis record, where its chain starts.

    Parameters
    ----------
    dibuat : str
        When the store was created (or migrated), ISO 8601 UTC.
    nonce : str
        Random hex drawn at creation, so no two stores share a chain.
    catatan : str
        How the store began (created, or migrated from version 1 and what that covered).
    dimigrasi, sampai_id : int
        How many events were chained at migration, and the largest id among them (0 and 0 for a
        store created new).

    Returns
    -------
    str
        64 hex digits.
    """
    return _digest(["asn-eval keputusan", dibuat, nonce, catatan, int(dimigrasi), int(sampai_id)])


def event_hash(previous: str, event: tuple[object, ...]) -> str:
    """Return an event's hash: SHA-256 over the previous hash and every field of the event.

    Parameters
    ----------
    previous : str
        The hash of the event before (or of the genesis record, for the first event).
    event : tuple
        The event's fields in :data:`~asn_eval.decisions.schema.EVENT_FIELDS` order, id first.

    Returns
    -------
    str
        64 hex digits.
    """
    fields = [None if v is None else (int(v) if isinstance(v, int) else str(v)) for v in event]
    return _digest([previous, *fields])


@dataclass(frozen=True)
class Head:
    """Where a chain ends: how many events it holds and the last hash.

    Attributes
    ----------
    count : int
        Events in the file (decisions and withdrawals).
    hash : str
        The last event's hash (the genesis hash when there is none).
    """

    count: int
    hash: str

    @property
    def short(self) -> str:
        """The first :data:`HEAD_DIGITS` hex digits of the hash, as printed."""
        return self.hash[:HEAD_DIGITS]

    def __str__(self) -> str:
        return f"{self.count} peristiwa, kepala {self.short}"


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`verify`.

    Attributes
    ----------
    intact : bool
        True when every check passed.
    problem : str
        The first thing found wrong, one Indonesian sentence naming the event (id, time, what);
        empty when intact.
    event_id : int or None
        The id of the first broken event, when an event is to blame.
    head : Head
        The chain's end as found in the file (meaningful only when intact).
    origin : str
        How the store began: created (when) or migrated (when, what the migration covered).
    """

    intact: bool
    problem: str
    event_id: int | None
    head: Head
    origin: str


def _broken(problem: str, head: Head, origin: str, event_id: int | None = None) -> Verdict:
    return Verdict(False, problem, event_id, head, origin)


def _same_sql(a: str, b: str) -> bool:
    return _SPACES.sub(" ", a).strip().lower() == _SPACES.sub(" ", b).strip().lower()


def _missing_tables(conn: sqlite3.Connection) -> str:
    """Return which of the store's tables are gone, or an empty string."""
    missing = {"versi_skema", "asal", "keputusan"} - tables_in(conn)
    return f"tabel {', '.join(sorted(missing))} tidak ada" if missing else ""


def _guards(conn: sqlite3.Connection) -> str:
    """Return what is wrong with the guard triggers, or an empty string."""
    found = triggers_in(conn)
    gone = [name for name in TRIGGERS if name not in found]
    if gone:
        return (
            f"pemicu pelindung {', '.join(gone)} hilang: berkas diubah di luar asn-eval "
            "(pemicu dibuang agar isi bisa diubah atau dihapus)"
        )
    changed = [name for name, sql in TRIGGERS.items() if not _same_sql(found[name], sql)]
    if changed:
        return f"pemicu pelindung {', '.join(changed)} diganti: berkas diubah di luar asn-eval"
    extra = sorted(set(found) - set(TRIGGERS))
    if extra:
        return f"ada pemicu asing {', '.join(extra)}: berkas diubah di luar asn-eval"
    return ""


def verify(conn: sqlite3.Connection) -> Verdict:
    """Check a decisions file (version 2 or 3): its guards, its genesis and every link of its chain.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, open (read-only is enough); read in one snapshot by the caller's transaction.

    Returns
    -------
    Verdict
        Intact, or the first thing wrong: a guard trigger missing or replaced, the genesis
        record changed or gone, an event whose content no longer matches its hash (changed), an
        event that does not belong to the chain (inserted), ids missing in the middle or at the
        end (deleted; the end as far as ``sqlite_sequence`` remembers).

    Notes
    -----
    Cost: one pass over the events, about 10 µs each (10,000 events: see the test that measures
    it). Source of the rules: issue 12 of the project (tamper-evident decisions store).
    """
    verdict = _chain(conn)
    guards = _guards(conn) if verdict.origin or verdict.intact else ""
    if guards and verdict.intact:
        return _broken(guards, verdict.head, verdict.origin)
    if guards:  # the event is named first; the triggers' absence says how it was done
        return _broken(
            f"{verdict.problem}; {guards}", verdict.head, verdict.origin, verdict.event_id
        )
    return verdict


def _chain(conn: sqlite3.Connection) -> Verdict:
    """Verify the genesis and every link; the guards are checked by :func:`verify`."""
    empty = Head(0, "")
    problem = _missing_tables(conn)
    if problem:
        return _broken(problem, empty, "")
    origins = conn.execute(
        "SELECT dibuat, nonce, catatan, dimigrasi, sampai_id, hash FROM asal"
    ).fetchall()
    if len(origins) != 1:
        return _broken("catatan asal berkas hilang atau berlipat: berkas diubah", empty, "")
    dibuat, nonce, catatan, dimigrasi, sampai_id, stored = origins[0]
    origin = f"{catatan} (asal {dibuat})"
    expected = genesis_hash(dibuat, nonce, catatan, dimigrasi, sampai_id)
    if stored != expected:
        return _broken("catatan asal berkas diubah: tidak cocok dengan hash-nya", empty, origin)
    columns = ", ".join(EVENT_FIELDS)
    rows = conn.execute(f"SELECT {columns}, hash FROM keputusan ORDER BY id").fetchall()
    previous = expected
    before_previous: str | None = None
    migrated = 0
    next_id = int(sampai_id) + 1
    for position, row in enumerate(rows):
        event, stored = row[:-1], row[-1]
        number, waktu = int(event[0]), event[1]
        where = f"keputusan #{number} ({waktu})"
        head_so_far = Head(position, previous)
        if number <= int(sampai_id):
            migrated += 1
        elif number != next_id:
            lost = f"#{next_id}" if number == next_id + 1 else f"#{next_id}–#{number - 1}"
            return _broken(
                f"keputusan {lost} hilang (dihapus) sebelum {where}",
                head_so_far,
                origin,
                number,
            )
        else:
            next_id += 1
        if event_hash(previous, event) != stored:
            if before_previous is not None and event_hash(before_previous, event) == stored:
                what = f"keputusan sebelum {where} disisipkan: tidak ada di rantai aslinya"
                return _broken(what, head_so_far, origin, int(rows[position - 1][0]))
            later = rows[position + 1] if position + 1 < len(rows) else None
            if later is not None and event_hash(stored, later[:-1]) == later[-1]:
                what = f"{where} diubah: isinya tidak cocok lagi dengan hash-nya"
            elif later is not None and event_hash(previous, later[:-1]) == later[-1]:
                what = f"{where} disisipkan: tidak ada di rantai aslinya"
            elif later is None:
                what = f"{where} tidak cocok dengan hash-nya: diubah atau disisipkan"
            else:
                what = (
                    f"{where} tidak cocok dengan rantainya: diubah, disisipkan, atau keputusan "
                    "sebelumnya dihapus"
                )
            return _broken(what, head_so_far, origin, number)
        before_previous, previous = previous, stored
    head = Head(len(rows), previous)
    if migrated != int(dimigrasi):
        return _broken(
            f"{int(dimigrasi) - migrated} keputusan yang dimigrasi hilang (ada {migrated} dari "
            f"{int(dimigrasi)})",
            head,
            origin,
        )
    last = int(rows[-1][0]) if rows else int(sampai_id)
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'keputusan'").fetchone()
    if sequence is not None and int(sequence[0]) > last:
        seq = int(sequence[0])
        lost = f"#{seq}" if seq == last + 1 else f"#{last + 1}–#{seq}"
        return _broken(
            f"keputusan terakhir {lost} hilang (dihapus): nomor itu sudah pernah dipakai",
            head,
            origin,
            last + 1,
        )
    return Verdict(True, "", None, head, origin)


def append_event(conn: sqlite3.Connection, jenis: str, *fields: object) -> int:
    """Insert one event chained to the last one, inside the caller's write transaction.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, in a ``BEGIN IMMEDIATE`` transaction (so nobody appends in between).
    jenis : str
        ``usulan``, ``tarik``, ``keberatan`` or ``jawaban``.
    *fields : object
        The event's fields after ``jenis``, in :data:`~asn_eval.decisions.schema.EVENT_FIELDS`
        order (``nip`` … ``merujuk``); ``id`` and ``waktu`` (now, UTC) are given here.

    Returns
    -------
    int
        The event's id: one more than the largest ever given (``sqlite_sequence``).
    """
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'keputusan'").fetchone()
    last = conn.execute("SELECT hash FROM keputusan ORDER BY id DESC LIMIT 1").fetchone()
    previous = (last or conn.execute("SELECT hash FROM asal").fetchone())[0]
    number = (int(sequence[0]) if sequence else 0) + 1
    event = (number, now(), jenis, *fields)
    columns = ", ".join(EVENT_FIELDS)
    conn.execute(
        f"INSERT INTO keputusan ({columns}, hash) VALUES ({', '.join('?' * (len(event) + 1))})",
        (*event, event_hash(previous, event)),
    )
    return number


def find_head(conn: sqlite3.Connection, printed: str) -> tuple[int, str] | None:
    """Find a head printed earlier in the chain: where it stands, or None when it is gone.

    Parameters
    ----------
    conn : sqlite3.Connection
        The decisions file (verified intact by the caller).
    printed : str
        The hash printed earlier (at least 8 hex digits; the first :data:`HEAD_DIGITS` as printed,
        or all 64).

    Returns
    -------
    tuple of (int, str) or None
        How many events the chain held at that head and the full hash; None when no event (nor
        the genesis) has a hash starting with ``printed``.
    """
    prefix = printed.strip().lower()
    genesis = conn.execute("SELECT hash FROM asal").fetchone()
    if genesis is not None and genesis[0].startswith(prefix):
        return 0, genesis[0]
    hashes = [r[0] for r in conn.execute("SELECT hash FROM keputusan ORDER BY id")]
    for position, value in enumerate(hashes):
        if value.startswith(prefix):
            return position + 1, value
    return None
