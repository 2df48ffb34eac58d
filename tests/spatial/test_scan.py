"""The scan statistic: SaTScan's own sample runs reproduced, closed forms, planted clusters."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from migration_ntt.spatial import scan


@pytest.fixture(scope="module")
def satscan(shared_data):
    folder = shared_data / "external" / "satscan"
    return folder, json.loads((folder / "reference_samples.json").read_text())


def _read(path, names, **kwargs):
    return pd.read_csv(path, sep=r"\s+", header=None, names=names, **kwargs)


def _reference(samples, run, file):
    return samples[run][file]["clusters"]


# --- SaTScan v10.3.2 on its own sample data ---------------------------------------------


def test_bernoulli_north_humberside_matches_satscan(satscan):
    folder, samples = satscan
    geo = _read(folder / "NHumberside.geo", ["id", "x", "y"], dtype={"id": str})
    cases = _read(folder / "NHumberside.cas", ["id", "cases"], dtype={"id": str})
    controls = _read(folder / "NHumberside.ctl", ["id", "controls"], dtype={"id": str})
    frame = (
        geo.join(cases.groupby("id").sum(), on="id")
        .join(controls.groupby("id").sum(), on="id")
        .fillna(0)
    )
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.x, frame.y), crs=None)
    result = scan.scan_statistic(
        points, "cases", model="bernoulli", controls="controls", id_col="id", permutations=99
    )
    expected = _reference(samples, "NHumberside_Bernoulli_purelyspatial", "NHumberside_stdMC.txt")
    found = {
        frozenset(result.members.loc[result.members.cluster_id == row.cluster_id, "id"]): row
        for row in result.clusters.itertuples()
    }
    for cluster in expected:
        row = found[frozenset(cluster["location_ids"])]
        assert round(row.llr, 6) == cluster["llr"]
        assert row.observed == cluster["observed"]
        assert round(row.expected, 2) == cluster["expected"]
        assert round(row.relative_risk, 2) == cluster["relative_risk"]
    # the two windows that tie at SaTScan's top LLR are the two most likely here
    assert sorted(result.clusters["llr"].round(6).head(2)) == [4.836516, 4.836516]


def _satscan_person_time(folder) -> pd.DataFrame:
    """Expected cases adjusted for age and sex as SaTScan computes them: a census year is
    1 July of that year, populations are interpolated linearly (constant outside) and
    summed over every day of the study period (1973–1991)."""
    pop = _read(folder / "nm.pop", ["loc", "year", "pop", "age", "sex"])
    cases = _read(folder / "nm.cas", ["loc", "n", "year", "age", "sex"])

    def day(year, month, day_):
        return (dt.date(year, month, day_) - dt.date(1970, 1, 1)).days

    pop["t"] = [day(1900 + y, 7, 1) for y in pop["year"]]
    grid = np.arange(day(1973, 1, 1), day(1991, 12, 31) + 1) + 0.5
    rows = []
    for (loc, age, sex), group in pop.sort_values("t").groupby(["loc", "age", "sex"]):
        person_time = np.interp(grid, group["t"], group["pop"].astype(float)).sum()
        rows.append((loc, age, sex, person_time))
    person_time = pd.DataFrame(rows, columns=["loc", "age", "sex", "pt"])
    rate = (
        cases.groupby(["age", "sex"])["n"].sum() / person_time.groupby(["age", "sex"])["pt"].sum()
    )
    person_time["expected"] = person_time["pt"] * person_time.join(
        rate.rename("rate"), on=["age", "sex"]
    )["rate"].fillna(0)
    totals = person_time.groupby("loc")["expected"].sum().rename("expected")
    geo = _read(folder / "nm.geo", ["loc", "lat", "lon"])
    return geo.join(totals, on="loc").join(cases.groupby("loc")["n"].sum(), on="loc").fillna(0)


def test_poisson_new_mexico_matches_satscan(satscan):
    folder, samples = satscan
    frame = _satscan_person_time(folder)
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326"
    )
    result = scan.scan_statistic(
        points, "n", population="expected", id_col="loc", permutations=999, seed=3
    )
    expected = _reference(
        samples, "NewMexico_Poisson_purelyspatial_(AnalysisType=1 override)",
        "nm_purelyspatial_stdMC.txt",
    )  # fmt: skip
    for row, cluster in zip(result.clusters.itertuples(), expected, strict=False):
        members = result.members.loc[result.members.cluster_id == row.cluster_id, "loc"]
        assert set(members) == set(cluster["location_ids"])
        assert round(row.llr, 6) == cluster["llr"]
        assert row.observed == cluster["observed"]
        assert round(row.expected, 2) == cluster["expected"]
        assert round(row.relative_risk, 2) == cluster["relative_risk"]
    assert round(result.clusters["radius_km"].iloc[0], 2) == 113.54  # SaTScan's radius
    assert result.clusters["p_value"].iloc[0] <= 0.05  # SaTScan: 0.012


def test_space_time_permutation_nyc_matches_satscan(satscan):
    folder, samples = satscan
    geo = _read(folder / "NYCfever.geo", ["zip", "lat", "lon"], dtype={"zip": str})
    cases = _read(folder / "NYCfever.cas", ["zip", "n", "date"], dtype={"zip": str})
    cases["date"] = pd.to_datetime(cases["date"], format="%Y/%m/%d")
    # every location, with a zero row where it had no case (SaTScan knows all 192)
    empty = geo.assign(n=0, date=pd.Timestamp("2001-11-24"))[["zip", "n", "date"]]
    frame = pd.concat([cases, empty]).merge(geo, on="zip")
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326"
    )
    result = scan.scan_statistic(
        points, "n", model="space_time_permutation", time="date", id_col="zip",
        max_temporal=7 / 24, max_radius_km=3, prospective=True,
        time_range=("2001-11-01", "2001-11-24"), permutations=99,
    )  # fmt: skip
    expected = _reference(
        samples, "NYCfever_SpaceTimePermutation_prospective", "NYCfever_stdMC.txt"
    )
    for row, cluster in zip(result.clusters.head(3).itertuples(), expected[:3], strict=True):
        members = result.members.loc[result.members.cluster_id == row.cluster_id, "zip"]
        assert set(members) == set(cluster["location_ids"])
        assert round(row.llr, 6) == cluster["test_statistic"]
        assert round(row.expected, 2) == cluster["expected"]


# --- closed forms and properties ---------------------------------------------------------


def _grid(cases, *, population=1000.0, size=5) -> gpd.GeoDataFrame:
    n = size * size
    return gpd.GeoDataFrame(
        {"id": range(n), "cases": cases, "pop": population},
        geometry=[Point(i % size, i // size) for i in range(n)],
        crs=None,
    )


def test_window_llr_equals_the_closed_form():
    rng = np.random.default_rng(2)
    grid = _grid(rng.poisson(8, 25), population=rng.integers(500, 2000, 25).astype(float))
    grid["controls"] = rng.poisson(20, 25)
    for model, extra in (
        ("poisson", {"population": "pop"}),
        ("bernoulli", {"controls": "controls"}),
    ):
        result = scan.scan_statistic(
            grid, "cases", model=model, id_col="id", permutations=9, **extra
        )
        for row in result.clusters.itertuples():
            inside = grid["id"].isin(
                result.members.loc[result.members.cluster_id == row.cluster_id, "id"]
            )
            c = grid.loc[inside, "cases"].sum()
            if model == "poisson":
                e = grid["cases"].sum() * grid.loc[inside, "pop"].sum() / grid["pop"].sum()
                by_hand = c * np.log(c / e) + (grid["cases"].sum() - c) * np.log(
                    (grid["cases"].sum() - c) / (grid["cases"].sum() - e)
                )
            else:
                n = c + grid.loc[inside, "controls"].sum()
                C, N = grid["cases"].sum(), grid["cases"].sum() + grid["controls"].sum()

                def xl(x):
                    return x * np.log(x) if x > 0 else 0.0

                by_hand = (
                    xl(c) + xl(n - c) - xl(n) + xl(C - c) + xl(N - n - C + c) - xl(N - n)
                    - (xl(C) + xl(N - C) - xl(N))
                )  # fmt: skip
            assert row.llr == pytest.approx(by_hand, rel=1e-10)
            assert row.observed == c


def test_planted_clusters_are_found_by_every_model():
    hot = [1, 5, 6, 7, 11]  # a plus-shaped circle around unit 6
    cases = np.where(np.isin(np.arange(25), hot), 24, 6)
    grid = _grid(cases)
    grid["controls"] = np.where(np.isin(np.arange(25), hot), 6, 24)
    for model, extra in (
        ("poisson", {"population": "pop"}),
        ("bernoulli", {"controls": "controls"}),
    ):
        result = scan.scan_statistic(
            grid, "cases", model=model, id_col="id", permutations=199, **extra
        )
        members = set(result.members.loc[result.members.cluster_id == 1, "id"])
        assert members & set(hot), model
        assert result.clusters["p_value"].iloc[0] <= 0.05, model
    # space-time: the same units, but only in the last of five years
    rows = []
    for year in range(2020, 2025):
        boost = year == 2024
        rows.append(grid.assign(year=year, cases=np.where(np.isin(grid["id"], hot) & boost, 20, 4)))
    panel = gpd.GeoDataFrame(pd.concat(rows, ignore_index=True), crs=None)
    result = scan.scan_statistic(
        panel, "cases", model="space_time_permutation", time="year", id_col="id", permutations=199
    )
    members = set(result.members.loc[result.members.cluster_id == 1, "id"])
    assert members & set(hot)
    assert result.clusters["time_end"].iloc[0] == 2024
    assert result.clusters["p_value"].iloc[0] <= 0.05


def test_null_data_are_rarely_significant_and_seeds_reproduce():
    p_values = []
    for seed in range(12):
        rng = np.random.default_rng(seed)
        grid = _grid(rng.poisson(10, 25))
        result = scan.scan_statistic(
            grid, "cases", population="pop", id_col="id", permutations=99, seed=seed
        )
        p_values.append(result.clusters["p_value"].iloc[0] if len(result.clusters) else 1.0)
    assert np.mean(np.array(p_values) > 0.05) >= 0.75
    again = scan.scan_statistic(
        _grid(np.random.default_rng(0).poisson(10, 25)), "cases", population="pop",
        id_col="id", permutations=99, seed=0,
    )  # fmt: skip
    assert again.clusters["p_value"].iloc[0] == p_values[0]


def test_libpysal_columbus_runs_through_the_poisson_model():
    from libpysal import examples

    columbus = gpd.read_file(examples.get_path("columbus.shp"))
    columbus["crimes"] = np.round(columbus["CRIME"] * columbus["HOVAL"] / 10).astype(int)
    result = scan.scan_statistic(
        columbus, "crimes", population="HOVAL", id_col="POLYID", permutations=99
    )
    assert len(result.clusters) >= 1
    assert result.members["POLYID"].isin(columbus["POLYID"]).all()
    assert result.parameters["windows"] > len(columbus)
    assert "LLR" in result.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": "gaussian"}, "model must be one of"),
        ({"model": "poisson"}, "needs population="),
        ({"model": "bernoulli"}, "needs controls="),
        ({"model": "space_time_permutation"}, "needs time="),
        ({"population": "pop", "max_size": 0.0}, "max_size"),
        ({"population": "pop", "id_col": "nope"}, "id column"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, KeyError), match=message):
        scan.scan_statistic(_grid(np.ones(25, int)), "cases", **{"id_col": "id", **kwargs})


def test_counts_must_be_whole_numbers():
    grid = _grid(np.full(25, 1.5))
    with pytest.raises(ValueError, match="whole numbers"):
        scan.scan_statistic(grid, "cases", population="pop", id_col="id", permutations=9)


def _null_panel(seed: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    grid = _grid(rng.poisson(10, 25))
    rows = [grid.assign(year=y, cases=rng.poisson(5, 25)) for y in range(2020, 2025)]
    return gpd.GeoDataFrame(pd.concat(rows, ignore_index=True), crs=None)


@pytest.mark.parametrize("model", ["poisson", "bernoulli", "space_time_permutation"])
def test_pruned_replicates_give_the_p_values_of_a_full_evaluation(model):
    """Replicates evaluate only windows that can reach the smallest reported LLR: with one
    reported cluster (a high floor) instead of ten (a low floor), the most likely
    cluster's p-value and every replicate maximum computed in both runs must agree."""
    rng = np.random.default_rng(5)
    grid = _grid(rng.poisson(10, 25))
    grid["controls"] = rng.poisson(10, 25)
    extra = {
        "poisson": {"population": "pop"},
        "bernoulli": {"controls": "controls"},
        "space_time_permutation": {"time": "year"},
    }[model]
    data = _null_panel(5) if model == "space_time_permutation" else grid
    runs = [
        scan.scan_statistic(
            data,
            "cases",
            model=model,
            id_col="id",
            permutations=199,
            seed=11,
            n_clusters=n,
            **extra,
        )
        for n in (1, 10)
    ]
    one, ten = runs
    assert len(ten.clusters) > 1  # the floor really is lower in the second run
    assert one.clusters["p_value"].iloc[0] == ten.clusters["p_value"].iloc[0]
    both = ~np.isnan(one.replicate_maxima)
    np.testing.assert_allclose(one.replicate_maxima[both], ten.replicate_maxima[both])
    # what the first run skipped lies below its floor in the full run
    skipped = ten.replicate_maxima[~both]
    assert np.all(np.nan_to_num(skipped, nan=0.0) < one.clusters["llr"].iloc[0])


def test_threads_do_not_change_the_result(monkeypatch):
    data = _null_panel(2)
    results = []
    for workers in (1, 3):
        monkeypatch.setattr(scan, "_workers", lambda workers=workers: workers)
        results.append(
            scan.scan_statistic(
                data,
                "cases",
                model="space_time_permutation",
                time="year",
                id_col="id",
                permutations=99,
                seed=4,
            )
        )
        results.append(
            scan.scan_statistic(data, "cases", population="pop", id_col="id", permutations=99)
        )
    pd.testing.assert_frame_equal(results[0].clusters, results[2].clusters)
    pd.testing.assert_frame_equal(results[1].clusters, results[3].clusters)
    np.testing.assert_array_equal(results[0].replicate_maxima, results[2].replicate_maxima)
