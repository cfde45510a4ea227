"""Nothing changed, nothing redone: ``score`` and ``sheets`` with ``--resume`` (issue 15).

A second run whose data, scheme, profile, decisions and options are the same, and whose outputs
are all still there, writes nothing and says "tidak berubah"; any changed input (a cell of the
data, the profile, an option, a removed output) makes it run in full again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

PERIODE = "2025-TW1"
PROFILE = """pemerintah = "Pemerintah Kota Lain"
penyelenggara = "BKPSDM"
zona_waktu = "WITA"

[penandatangan]
nama = "Sari"
nip = "19660801 198803 1 001"
jabatan = "Kepala BKPSDM"
"""


def _stamps(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".tanda-")
    }


def _score(capsys, data: Path, out: Path, *extra: object) -> str:
    code, said, err = run_cli(capsys, "score", data, "--periode", PERIODE, "--out", out, *extra)
    assert code == 0, err
    return said


def test_score_resume_redoes_nothing_unless_an_input_changed(
    capsys, make_dataset, tmp_path: Path
) -> None:
    data = make_dataset()
    out = tmp_path / "hasil"
    first = _score(capsys, data, out, "--resume")
    assert "tidak berubah" not in first
    before = _stamps(out)
    assert "hasil.xlsx" in before

    again = _score(capsys, data, out, "--resume")
    assert "tidak berubah" in again
    assert _stamps(out) == before  # nothing rewritten

    # without --resume the command always writes
    assert "tidak berubah" not in _score(capsys, data, out)
    assert _stamps(out) != before
    assert "tidak berubah" in _score(capsys, data, out, "--resume")

    # one cell of the data changed: scored again
    skp = pd.read_csv(data / "skp.csv", dtype=str)
    skp.loc[0, "realisasi"] = str(float(skp.loc[0, "realisasi"]) + 1)
    skp.to_csv(data / "skp.csv", index=False)
    assert "tidak berubah" not in _score(capsys, data, out, "--resume")
    assert "tidak berubah" in _score(capsys, data, out, "--resume")

    # the city profile (printed in the workbook's about sheet) changed
    (data / "profil.toml").write_text(PROFILE, encoding="utf-8")
    assert "tidak berubah" not in _score(capsys, data, out, "--resume")

    # an output removed
    (out / "hasil.xlsx").unlink()
    assert "tidak berubah" not in _score(capsys, data, out, "--resume")
    assert (out / "hasil.xlsx").exists()

    # another option (the scheme)
    assert "tidak berubah" not in _score(capsys, data, out, "--resume", "--skema", "pp-30-2019")


@pytest.mark.parametrize("command", ["score", "analyze"])
def test_without_the_workbook_the_files_are_the_same_and_an_old_workbook_goes(
    capsys, make_dataset, tmp_path: Path, command: str
) -> None:
    """``--tanpa-xlsx`` (national data): the Parquet files alone, equal to a full run's."""
    data = make_dataset()
    full, bare = tmp_path / "lengkap", tmp_path / "parquet"
    args = [command, data, "--periode", PERIODE, "--out"]
    workbook = "hasil.xlsx" if command == "score" else "analisis.xlsx"
    resume = ["--resume"] if command == "score" else []  # analyze always runs
    assert run_cli(capsys, *args, full)[0] == 0
    assert run_cli(capsys, *args, bare, *resume)[0] == 0  # an earlier run, with its workbook
    assert (bare / workbook).exists()
    code, said, err = run_cli(capsys, *args, bare, "--tanpa-xlsx", *resume)
    assert code == 0, err
    assert "tidak berubah" not in said  # another kind of run: the workbook is not kept
    assert "xlsx" not in said
    written = sorted(p.name for p in bare.iterdir() if not p.name.startswith("."))
    assert written == sorted(p.name for p in full.iterdir() if p.suffix == ".parquet")
    for path in bare.glob("*.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(full / path.name))
    if resume:
        assert "tidak berubah" in run_cli(capsys, *args, bare, "--tanpa-xlsx", *resume)[1]


def test_sheets_resume_redoes_nothing_unless_an_input_changed(
    capsys, make_dataset, tmp_path: Path
) -> None:
    data = make_dataset()
    out = tmp_path / "lembar"
    command = ["sheets", data, "--periode", PERIODE, "--format", "html", "--out", out, "--resume"]
    code, said, err = run_cli(capsys, *command)
    assert code == 0, err
    assert "tidak berubah" not in said
    before = _stamps(out)
    assert "index.html" in before

    code, said, _ = run_cli(capsys, *command)
    assert code == 0 and "tidak berubah" in said
    assert _stamps(out) == before

    code, said, _ = run_cli(capsys, *command, "--anonim")  # another option
    assert code == 0 and "tidak berubah" not in said

    pegawai = pd.read_csv(data / "pegawai.csv", dtype=str)
    pegawai.loc[0, "nama"] = "Nama Baru"
    pegawai.to_csv(data / "pegawai.csv", index=False)
    code, said, _ = run_cli(capsys, *command, "--anonim")
    assert code == 0 and "tidak berubah" not in said
    code, said, _ = run_cli(capsys, *command, "--anonim")
    assert code == 0 and "tidak berubah" in said
