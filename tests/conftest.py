"""Shared fixtures: an isolated cache, a tiny valid dataset that tests break on purpose, and the
sample cities several modules read.

The sample cities are made once per test session (in memory, and written to a session folder) and
only read: a test that changes one copies it first. Each is checked at the end of the session to
be as it was made, so a test that changes a shared city fails instead of quietly changing what the
tests after it see.
"""

from __future__ import annotations

import ctypes
import hashlib
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import psutil
import pytest

from asn_eval.input.dataset import Dataset, wait_for_cache
from asn_eval.sample import generator as sample

NIP_A = "196608011988031001"  # Kepala Dinas Kesehatan
NIP_B = "198001012005012002"  # Kepala Puskesmas, reports to A
NIP_C = "199003152015031003"  # perawat, reports to B
NIP_D = "198512202010122004"  # Kepala BKPSDM


_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def server_preexec() -> None:
    """Pre-exec hook for the servers tests start (``asn-eval app``, ``asn-eval lab``).

    Ctrl-C (SIGINT) works in them even when the test run was started in the background (which
    starts with SIGINT ignored), and on Linux they get SIGTERM, which stops them and their own
    server, when the test run that started them dies, however it dies.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def listening_ports(pid: int) -> set[int]:
    """The TCP ports the processes under ``pid`` listen on now.

    A process of the tree may end between being listed and being asked (a short-lived helper
    process of the server): it is skipped, as is one that may not be asked.
    """
    try:
        tree = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return set()
    ports = set()
    for process in tree:
        try:
            connections = process.net_connections(kind="tcp")
        except psutil.Error:
            continue
        ports |= {c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN}
    return ports


# -- the fast loop stays fast ---------------------------------------------------------------------
SLOW_S = 10  # a test that takes longer belongs to the full run only: mark it slow
_long_unmarked: list[tuple[float, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # A report's keywords carry its markers, also when it comes from a pytest-xdist worker.
    if report.duration > SLOW_S and "slow" not in report.keywords:
        _long_unmarked.append((report.duration, f"{report.nodeid} ({report.when})"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files with the most slow tests first (the order within a file stays).

    pytest-xdist's ``loadfile`` hands out whole files in collection order: a long file of
    report batches collected last (``test_reports*``, ``test_slides``) left one core idle while
    the other finished it. Longest first evens out the end of the run.
    """
    files = [item.nodeid.split("::")[0] for item in items]
    pairs = list(zip(files, items, strict=True))
    slow = Counter(f for f, item in pairs if item.get_closest_marker("slow"))
    first_seen = {f: k for k, f in enumerate(dict.fromkeys(files))}
    ranked = sorted(pairs, key=lambda t: (-slow[t[0]], first_seen[t[0]]))
    items[:] = [item for _, item in ranked]


def pytest_terminal_summary(terminalreporter) -> None:
    if _long_unmarked:
        terminalreporter.section(f"lebih dari {SLOW_S} dtk tanpa tanda slow")
        for seconds, name in sorted(_long_unmarked, reverse=True):
            terminalreporter.write_line(f"{seconds:6.1f} dtk  {name}")


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own cache folder; the user's cache is never touched.

    The cache is written after ``load`` returns: the test ends once its writes have, and a write
    that failed other than by the disk (an ``OSError``) fails the test.
    """
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("ASN_EVAL_CACHE", str(folder))
    yield folder
    failed = [e for e in wait_for_cache() if not isinstance(e, OSError)]
    assert not failed, f"cache write failed: {failed!r}"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Run ``asn-eval ARGV`` in this process: (exit code, stdout, stderr), never a traceback.

    argparse's own exit (a usage error) counts as the exit code.
    """
    from asn_eval.cli import main

    try:
        code = main([str(a) for a in argv])
    except SystemExit as stopped:
        code = stopped.code
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def tiny_tables() -> dict[str, pd.DataFrame]:
    """A small dataset that satisfies every rule of the input contract."""
    u = {f"u{i}": ["3", "4"] for i in range(1, 10)}
    return {
        "opd": pd.DataFrame(
            {
                "kode_opd": ["DINKES", "PKM1", "BKPSDM"],
                "nama_opd": ["Dinas Kesehatan", "Puskesmas Satu", "BKPSDM"],
                "jenis": ["dinas", "upt", "badan"],
                "induk": ["", "DINKES", ""],
            }
        ),
        "pegawai": pd.DataFrame(
            {
                "nip": [NIP_A, NIP_B, NIP_C, NIP_D],
                "nama": ["Budi Santoso", "Sari Dewi", "Andi Pratama", "Rina Wati"],
                "kode_opd": ["DINKES", "PKM1", "PKM1", "BKPSDM"],
                "unit_kerja": ["Pimpinan", "Pimpinan", "Pelayanan", "Pimpinan"],
                "jabatan": [
                    "Kepala Dinas",
                    "Kepala Puskesmas",
                    "Perawat Ahli Pertama",
                    "Kepala Badan",
                ],
                "jenis_jabatan": ["JPT", "Administrator", "Fungsional", "JPT"],
                "golongan": ["IV/c", "III/d", "III/a", "IV/b"],
                "status": ["PNS", "PNS", "PNS", "PNS"],
                "nip_atasan": ["", NIP_A, NIP_B, ""],
                "jenis_kelamin": ["L", "P", "L", "P"],
            }
        ),
        "skp": pd.DataFrame(
            {
                "periode": ["2025-TW1"] * 3,
                "nip": [NIP_C] * 3,
                "rhk_id": ["RHK-1"] * 3,
                "rhk": ["Pelayanan keperawatan terlaksana"] * 3,
                "jenis_rhk": ["utama"] * 3,
                "aspek": ["kuantitas", "kualitas", "waktu"],
                "indikator": ["Jumlah pasien dilayani", "Kepuasan pasien", "Waktu tunggu"],
                "target": ["100", "90", "12"],
                "realisasi": ["95", "92.5", "12"],
                "satuan": ["pasien", "%", "menit"],
                "arah": ["naik", "naik", "turun"],
                "rating_atasan": ["Sesuai Ekspektasi"] * 3,
            }
        ),
        "perilaku": pd.DataFrame(
            {
                "periode": ["2025-TW1", "2025-TW1"],
                "nip": [NIP_C, NIP_C],
                "nip_penilai": [NIP_B, ""],
                "peran_penilai": ["atasan", "diri"],
                "nilai_inti": ["Kolaboratif", "Kolaboratif"],
                "skor": ["4", "5"],
            }
        ),
        "kehadiran": pd.DataFrame(
            {
                "periode": ["2025-TW1"],
                "nip": [NIP_C],
                "hari_kerja": ["62"],
                "hadir": ["60"],
                "terlambat_menit": ["35"],
                "tanpa_keterangan": ["1"],
                "cuti": ["1"],
            }
        ),
        "survei": pd.DataFrame(
            {
                "periode": ["2025-TW1"] * 2,
                "kode_opd": ["PKM1"] * 2,
                "unit_layanan": ["Puskesmas Satu"] * 2,
                "responden": ["R1", "R2"],
                **u,
            }
        ),
        "aktivitas": pd.DataFrame(
            {
                "tanggal": ["2025-01-06", "2025-01-06"],
                "nip": [NIP_C, NIP_C],
                "uraian": ["Melayani pasien rawat jalan", "Menyusun laporan harian"],
                "durasi_menit": ["300", "120"],
                "rhk_id": ["RHK-1", "RHK-1"],
                "status": ["disetujui", "menunggu"],
                "nip_penyetuju": [NIP_B, ""],
            }
        ),
        "penilaian": pd.DataFrame(
            {
                "periode": ["2025-TW1"],
                "nip": [NIP_C],
                "rating_hasil_kerja": ["Sesuai Ekspektasi"],
                "rating_perilaku": ["Sesuai Ekspektasi"],
                "predikat": ["Baik"],
            }
        ),
        "organisasi": pd.DataFrame(
            {
                "periode": ["2025-TW1"],
                "kode_opd": ["PKM1"],
                "predikat_organisasi": ["Baik"],
                "capaian": ["95.5"],
            }
        ),
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, fmt: str = "csv") -> Path:
    """Write tables as one file each (csv, xlsx, parquet) or one workbook (``workbook``)."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "workbook":
        with pd.ExcelWriter(folder / "data.xlsx", engine="xlsxwriter") as writer:
            for name, frame in tables.items():
                frame.to_excel(writer, sheet_name=name, index=False)
        return folder
    for name, frame in tables.items():
        if fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        elif fmt == "xlsx":
            frame.to_excel(folder / f"{name}.xlsx", index=False, engine="xlsxwriter")
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.fixture
def make_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Write the tiny dataset after applying ``change(tables)``; return its folder."""
    counter = iter(range(1000))

    def make(
        change: Callable[[dict[str, pd.DataFrame]], None] | None = None, fmt: str = "csv"
    ) -> Path:
        tables = tiny_tables()
        if change is not None:
            change(tables)
        return write_tables(tables, tmp_path / f"ds{next(counter)}", fmt)

    return make


# -- sample cities shared by several modules -----------------------------------------------------
# A 400-employee city (seed 5): report content, the report batch, the review app, the analyze
# command, the exploration notebook, scoring a loaded sample.
SMALL = {"n_pegawai": 400, "seed": 5}
# A 1500-employee city (seed 11), with and without the planted facts: analysis and fairness.
MEDIUM = {"n_pegawai": 1500, "seed": 11}


def _tables_digest(tables: dict[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(f"{name}:{list(frame.columns)}:{list(frame.dtypes.astype(str))}".encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _shared(tables: dict[str, pd.DataFrame], value: object, name: str) -> Iterator[object]:
    """Yield ``value``; afterwards, fail if ``tables`` changed (a test must copy, not change)."""
    before = _tables_digest(tables)
    yield value
    assert _tables_digest(tables) == before, f"a test changed the shared {name}: copy it first"


@pytest.fixture(scope="session")
def city_400() -> Iterator[sample.SampleCity]:
    """``generate(400, seed=5)``, in memory."""
    city = sample.generate(**SMALL)
    yield from _shared(city.tables, city, "city_400")


@pytest.fixture(scope="session")
def city_400_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``write_sample(folder, 400, seed=5)``: the same city as CSV files, written once."""
    folder = tmp_path_factory.mktemp("kota-400") / "data"
    sample.write_sample(folder, **SMALL)
    before = _folder_digest(folder)
    yield folder
    assert _folder_digest(folder) == before, "a test changed city_400_folder: copy it first"


@pytest.fixture(scope="session")
def three_instansi_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``write_sample(folder, 600, seed=3, instansi=3)``: three governments as CSV files."""
    folder = tmp_path_factory.mktemp("provinsi") / "data"
    sample.write_sample(folder, 600, seed=3, instansi=3)
    before = _folder_digest(folder)
    yield folder
    assert _folder_digest(folder) == before, "a test changed three_instansi_folder: copy it first"


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[object]:
    """A :class:`distributed.Client` on a real LocalCluster of 2 workers (127.0.0.1), shared."""
    from asn_eval.cluster import dask_client

    with dask_client("local:2") as client:
        yield client


@pytest.fixture(scope="session")
def city_1500() -> Iterator[sample.SampleCity]:
    """``generate(1500, seed=11)``, with the planted facts."""
    city = sample.generate(**MEDIUM)
    yield from _shared(city.tables, city, "city_1500")


@pytest.fixture(scope="session")
def dataset_1500(city_1500: sample.SampleCity) -> Iterator[Dataset]:
    """:func:`city_1500` checked into a Dataset."""
    dataset = Dataset.from_frames(city_1500.tables)
    yield from _shared(dataset.tables, dataset, "dataset_1500")


@pytest.fixture(scope="session")
def fair_city_1500() -> Iterator[sample.SampleCity]:
    """``generate(1500, seed=11, plant=False)``: the same kind of city without planted facts."""
    city = sample.generate(**MEDIUM, plant=False)
    yield from _shared(city.tables, city, "fair_city_1500")


@pytest.fixture(scope="session")
def fair_dataset_1500(fair_city_1500: sample.SampleCity) -> Iterator[Dataset]:
    """:func:`fair_city_1500` checked into a Dataset."""
    dataset = Dataset.from_frames(fair_city_1500.tables)
    yield from _shared(dataset.tables, dataset, "fair_dataset_1500")


# -- the browser of the app tests ----------------------------------------------------------------
BROWSER_ACTION_MS = 30_000  # one interaction: a kernel round trip and a redraw


@dataclass
class Browser:
    context: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module; every request not to 127.0.0.1 is aborted and recorded."""
    from playwright.sync_api import sync_playwright

    from asn_eval.batch.publish import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "Chromium tidak ada: jalankan `python3 tasks.py test` (memasangnya sebagai root), "
            "`apt-get install chromium`, atau set ASN_EVAL_SKIP_BROWSER=1"
        )
    with sync_playwright() as playwright:
        opened = playwright.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        context = opened.new_context(viewport={"width": 1280, "height": 800})
        context.set_default_timeout(BROWSER_ACTION_MS)
        found = Browser(context)

        def only_local(route) -> None:
            url = route.request.url
            if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                found.outside.append(url)
                route.abort()

        context.route("**/*", only_local)
        context.on("page", lambda page: page.on("pageerror", lambda e: found.errors.append(str(e))))
        yield found
        opened.close()
