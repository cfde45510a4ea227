"""Analysing in parts on a Dask LocalCluster gives every table one whole analysis gives.

Tables of one agency are computed per part and put back in order; tables across agencies come
from sums the parts send back (rating pairs, per-rater sums, supervisor counts, per-OPD service
scores). Everything but floats must be equal as it is; floats up to the order partial sums are
added in (relative 1e-12): the spread of a rater whose scores lie in several parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D, run_cli

import asn_eval
from asn_eval.analysis import fairness
from asn_eval.analysis.partitioned import analyze_in_parts
from asn_eval.analysis.rater_model import PairSums
from asn_eval.analysis.run import TABLES, analyze
from asn_eval.errors import MissingTableError
from asn_eval.input.vocab import NILAI_INTI
from asn_eval.scoring.partitioned import split_agencies
from asn_eval.scoring.scheme import load_scheme
from asn_eval.scoring.score import evaluate

RTOL = 1e-12
"""Floats: partial sums added in another order move the last bits only."""


def assert_same_tables(parts: dict[str, pd.DataFrame], whole: dict[str, pd.DataFrame]) -> None:
    """Every table equal: names, rows, order, dtypes and labels exactly; floats close."""
    assert list(parts) == list(whole) == list(TABLES)
    for name, expected in whole.items():
        found = parts[name]
        exact = [c for c in expected.columns if expected[c].dtype != "float64"]
        pd.testing.assert_frame_equal(found[exact], expected[exact], check_exact=True, obj=name)
        pd.testing.assert_frame_equal(
            found, expected, check_exact=False, rtol=RTOL, atol=0, obj=name
        )
        assert found.attrs.keys() == expected.attrs.keys(), name
        for key, value in expected.attrs.items():
            if isinstance(value, dict):
                assert found.attrs[key] == pytest.approx(value, rel=RTOL), (name, key)
            else:
                assert found.attrs[key] == value, (name, key)


def assert_same_scoring(scored, whole) -> None:
    pd.testing.assert_frame_equal(scored.hasil, whole.hasil.reset_index(drop=True))
    pd.testing.assert_frame_equal(scored.kurva, whole.kurva.reset_index(drop=True))
    pd.testing.assert_frame_equal(scored.ikm, whole.ikm.reset_index(drop=True))


# --- a hand-written city: one rater scores people of two OPDs ---------------------------------


def _rate(rows: list[dict], ratee: str, rater: str, role: str, scores: list[int]) -> None:
    for periode in ("2025-TW1", "2025-TW2"):
        for value, skor in zip(NILAI_INTI.values, scores, strict=True):
            rows.append(
                {
                    "periode": periode,
                    "nip": ratee,
                    "nip_penilai": rater,
                    "peran_penilai": role,
                    "nilai_inti": value,
                    "skor": str(skor),
                }
            )


def crossing_raters(tables: dict[str, pd.DataFrame]) -> None:
    """A (DINKES) rates B (PKM1) as supervisor and D (BKPSDM) as peer, leniently; others too."""
    rows: list[dict] = []
    _rate(rows, NIP_B, NIP_A, "atasan", [5, 5, 5, 5, 5, 5, 5])
    _rate(rows, NIP_D, NIP_A, "rekan", [5, 5, 4, 5, 5, 5, 5])
    _rate(rows, NIP_C, NIP_B, "atasan", [3, 4, 3, 3, 4, 3, 3])
    _rate(rows, NIP_B, NIP_C, "bawahan", [3, 3, 4, 3, 3, 3, 4])
    _rate(rows, NIP_A, NIP_D, "rekan", [3, 3, 3, 4, 3, 3, 3])
    for nip in (NIP_A, NIP_B, NIP_C, NIP_D):
        _rate(rows, nip, "", "diri", [4, 4, 3, 4, 4, 4, 3])
    tables["perilaku"] = pd.DataFrame(rows)
    skp = tables["skp"]  # B (PKM1, supervised by A of DINKES) and C have results in both quarters
    tables["skp"] = pd.concat(
        [skp.assign(nip=n, periode=p) for n in (NIP_B, NIP_C) for p in ("2025-TW1", "2025-TW2")],
        ignore_index=True,
    )


@pytest.fixture
def crossing(make_dataset):
    return make_dataset(crossing_raters)


def test_pair_sums_of_parts_are_the_whole_pairs(crossing):
    data = asn_eval.load(crossing)
    whole = fairness.rater_pairs(data, "2025")
    parts = [fairness.rater_pairs(data.subset(kode_opd=[c]), "2025") for c in ("PKM1", "BKPSDM")]
    parts.append(fairness.rater_pairs(data.subset(kode_opd=["DINKES"]), "2025"))
    combined = PairSums.combine(parts)
    for field in ("key", "k", "count", "total", "square"):
        np.testing.assert_array_equal(getattr(combined, field), getattr(whole, field))
    raters = combined.unit[combined.unit >= 0]
    a = data.pegawai["nip"].cat.categories.get_loc(NIP_A)
    assert (raters == a).sum() == 2  # A's two pairs, from two parts
    table = fairness.rater_table(combined, data.pegawai, "2025")
    pd.testing.assert_frame_equal(table, fairness.rater_tendency(data, "2025"), check_exact=True)


def test_a_rater_in_two_parts_has_the_spread_of_all_their_scores(crossing):
    data = asn_eval.load(crossing)
    spreads = [fairness.rater_spread(data.subset(kode_opd=[c]), "2025") for c in ("PKM1", "BKPSDM")]
    spreads.append(fairness.rater_spread(data.subset(kode_opd=["DINKES"]), "2025"))
    combined = fairness.central_table(spreads, data.pegawai).set_index("nip_penilai")
    whole = fairness.central_tendency(data, "2025").set_index("nip_penilai")
    pd.testing.assert_frame_equal(combined, whole, check_exact=False, rtol=RTOL, atol=1e-15)
    given = data.perilaku[data.perilaku["nip_penilai"] == NIP_A]
    skor = given["skor"].astype("float64")
    centred = skor - skor.groupby(given["nilai_inti"], observed=True).transform("mean")
    dof = len(skor) - given["nilai_inti"].nunique()
    assert combined.loc[NIP_A, "sd"] == pytest.approx(np.sqrt((centred**2).sum() / dof), rel=RTOL)
    assert combined.loc[NIP_A, "n_dinilai"] == 2


@pytest.mark.slow
def test_a_rater_of_two_opds_in_two_parts_gets_the_whole_effect(crossing, dask_cluster):
    data = asn_eval.load(crossing)
    parts = split_agencies(data, 3)
    where = {code: k for k, part in enumerate(parts) for code in part.kode_opd}
    assert len({where["DINKES"], where["PKM1"], where["BKPSDM"]}) == 3
    for periode in ("2025", "2025-TW2"):
        whole = evaluate(data, periode, load_scheme())
        expected = analyze(whole)
        scored, found = analyze_in_parts(data, periode, load_scheme(), dask_cluster, parts=3)
        assert_same_tables(found, expected)
        assert_same_scoring(scored, whole)
        raters = found["penilai"].set_index("nip_penilai")
        assert raters.loc[NIP_A, "n_dinilai"] == 2 and raters.loc[NIP_A, "kode_opd"] == "DINKES"
        assert raters.loc[NIP_A, "estimasi"] > 0  # the most lenient of the four
        assert raters["estimasi"].idxmax() == NIP_A
        bosses = found["atasan"].set_index("nip_atasan")  # A supervises B in another part
        assert bosses.loc[NIP_A, ["kode_opd", "n_bawahan"]].tolist() == ["DINKES", 1]


@pytest.mark.slow
def test_parts_nobody_rated_and_a_dataset_without_ratings(make_dataset, dask_cluster):
    data = asn_eval.load(make_dataset())  # only C (PKM1) is rated: two parts have no rating
    whole = evaluate(data, "2025-TW1", load_scheme())
    scored, found = analyze_in_parts(data, "2025-TW1", load_scheme(), dask_cluster, parts=3)
    assert_same_tables(found, analyze(whole))
    assert_same_scoring(scored, whole)
    bare = asn_eval.load(make_dataset(lambda t: t.pop("perilaku")))
    with pytest.raises(MissingTableError, match="perilaku") as one:
        analyze(evaluate(bare, "2025-TW1", load_scheme()))
    with pytest.raises(MissingTableError, match="perilaku") as split:
        analyze_in_parts(bare, "2025-TW1", load_scheme(), dask_cluster, parts=3)
    assert str(split.value) == str(one.value)


# --- the sample city and three instansi -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder", "periode", "skema"),
    [
        ("city_400_folder", "2025", "permenpan-6-2022"),
        ("city_400_folder", "2025-TW2", "permenpan-6-2022"),
        ("city_400_folder", "2025", "pp-46-2011"),
        ("three_instansi_folder", "2025", "permenpan-6-2022"),
        ("three_instansi_folder", "2025-TW3", "pp-46-2011"),
    ],
)
def test_analysis_in_parts_equals_one_analysis(folder, periode, skema, request, dask_cluster):
    data = asn_eval.load(request.getfixturevalue(folder))
    scheme = load_scheme(skema)
    whole = evaluate(data, periode, scheme)
    expected = analyze(whole)
    scored, found = analyze_in_parts(data, periode, scheme, dask_cluster)
    assert_same_tables(found, expected)
    assert_same_scoring(scored, whole)
    assert scored.evidence is None  # stayed on the workers


@pytest.mark.slow
def test_analysis_of_a_store_reads_only_the_outline_in_the_client(
    three_instansi_folder, tmp_path, dask_cluster
):
    from asn_eval.input.store import convert
    from asn_eval.scoring.partitioned import outline

    store = tmp_path / "store"
    convert(three_instansi_folder, store)
    data = outline(store)
    assert set(data.tables) == {"instansi", "opd", "pegawai"}
    folder = asn_eval.load(three_instansi_folder)
    for periode in ("2025", "2025-TW1"):
        whole = evaluate(folder, periode, load_scheme())
        scored, found = analyze_in_parts(data, periode, load_scheme(), dask_cluster)
        assert_same_tables(found, analyze(whole))
        assert_same_scoring(scored, whole)


@pytest.mark.slow
def test_analyze_with_dask_writes_the_same_workbook(
    city_400_folder, tmp_path, capsys, dask_cluster
):
    from asn_eval.input.store import convert

    store = tmp_path / "store"
    convert(city_400_folder, store)
    one, parts = tmp_path / "satu", tmp_path / "dask"
    address = dask_cluster.scheduler.address  # the session's cluster, reached as a remote one
    code, said_one, err = run_cli(
        capsys, "analyze", city_400_folder, "--periode", "2025", "--out", one
    )
    assert code == 0, err
    args = ["analyze", store, "--periode", "2025", "--out", parts, "--dask", address]
    code, said, err = run_cli(capsys, *args)
    assert code == 0, err
    assert said.split("Temuan:")[1] == said_one.split("Temuan:")[1].replace(str(one), str(parts))
    written = pd.read_excel(parts / "analisis.xlsx", sheet_name=None, engine="openpyxl")
    expected = pd.read_excel(one / "analisis.xlsx", sheet_name=None, engine="openpyxl")
    assert list(written) == list(expected)
    for sheet, frame in expected.items():
        if sheet != "tentang":  # names its source (the store) and the time made
            pd.testing.assert_frame_equal(
                written[sheet], frame, check_exact=False, rtol=RTOL, atol=0, obj=sheet
            )
    for name in TABLES:
        pd.testing.assert_frame_equal(
            pd.read_parquet(parts / f"{name}.parquet"),
            pd.read_parquet(one / f"{name}.parquet"),
            check_exact=False,
            rtol=RTOL,
            atol=0,
            obj=name,
        )
    code, _, err = run_cli(capsys, *args[:-1], "lokal")
    assert code == 2 and "--dask" in err
