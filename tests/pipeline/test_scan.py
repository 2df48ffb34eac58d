"""Below the regency: the kecamatan panel of case records, the scan of it, its maps, brief
section and command line."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from migration_ntt import analysis, cli, labels, panel, report
from migration_ntt.ingest import records, synthetic
from migration_ntt.privacy import SMALL_CELL
from migration_ntt.regions import places

HOT = ["53.21.10", "53.21.11", "53.21.12"]  # Kobalima Timur, Kobalima, Botin Leobele (Malaka)


@pytest.fixture(scope="module")
def planted():
    messy, truth = synthetic.generate_records(2500, seed=31, planted={"districts": HOT, "risk": 5})
    return records.clean_records(messy, secret="district"), truth


@pytest.fixture(scope="module")
def bernoulli(planted, module_home):
    return analysis.district_scan(planted[0], permutations=199, seed=7)


def test_district_panel_is_every_kecamatan_and_year_zero_filled(planted):
    cleaned, _truth = planted
    table = panel.build_district_panel(
        cleaned, select={"procedural": "non_prosedural"}, name="np", write=False
    )
    years = sorted(table["year"].unique())
    assert table["district_code"].nunique() == 315
    assert len(table) == 315 * len(years)
    assert table["np"].notna().all()
    assert (table["np"] == 0).any()
    # every selected record with a kecamatan code is counted once; the others are reported
    clean = cleaned.clean
    selected = clean["procedural"] == "non_prosedural"
    assert table["np"].sum() == (selected & clean["district_code"].notna()).sum()
    accounting = table.attrs["record_counts"]["np"]["accounting"]
    assert accounting["no_district"] == (selected & clean["district_code"].isna()).sum()
    # the names and regencies come from the gazetteer
    gazetteer = places.places("district").set_index("kemendagri_code")
    first = table.drop_duplicates("district_code").set_index("district_code")
    assert (first["district_name"] == gazetteer.loc[first.index, "name"]).all()
    assert (first["bps_code"] == gazetteer.loc[first.index, "bps_code"]).all()
    # the planted kecamatan hold more records per kecamatan than the rest of Malaka
    malaka = first.index[first["bps_code"] == "5321"]
    per_district = table.groupby("district_code")["np"].sum()
    assert per_district[HOT].mean() > 2 * per_district[malaka.difference(HOT)].mean()


def test_district_panel_population_is_checked(planted, tmp_path):
    cleaned, _ = planted
    codes = places.places("district")["kemendagri_code"]
    good = pd.DataFrame({"district_code": codes, "population": 10_000})
    table = panel.build_district_panel(cleaned, population=good, write=False)
    assert (table["population"] == 10_000).all()

    bad_code = good.copy()
    bad_code.loc[3, "district_code"] = "53.99.99"
    path = tmp_path / "penduduk.csv"
    bad_code.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"penduduk\.csv.*district_code.*row 5 \('53\.99\.99'\)"):
        panel.build_district_panel(cleaned, population=path, write=False)

    bad_value = good.astype({"population": object})
    bad_value.loc[0, "population"] = "banyak"
    with pytest.raises(ValueError, match=r"column population.*row 2 \('banyak'\)"):
        panel.build_district_panel(cleaned, population=bad_value, write=False)
    with pytest.raises(ValueError, match="missing column"):
        panel.build_district_panel(cleaned, population=good.drop(columns="population"))


def test_panel_level_district_goes_through_build_panel(planted, module_home):
    table = panel.build_panel(records=planted[0], level="district", name="all_cases")
    assert table.attrs["level"] == "district"
    assert (module_home / "data" / "processed" / "panel_district.parquet").exists()
    with pytest.raises(ValueError, match="level"):
        panel.build_panel(records=planted[0], level="desa")
    with pytest.raises(ValueError, match="records="):
        panel.build_panel(level="district")


def test_bernoulli_scan_finds_the_planted_kecamatan(bernoulli):
    top = bernoulli.clusters.iloc[0]
    members = bernoulli.result.members
    inside = set(members.loc[members["cluster_id"] == top.cluster_id, "district_code"])
    assert top.p_value <= 0.05
    assert len(inside & set(HOT)) >= 2
    assert len(inside) <= 6  # a local cluster, not half the province
    assert "Kobalima" in top.kecamatan
    assert "Kabupaten Malaka" in top.regencies
    # the share map hides kecamatan with fewer than 5 records (small-cell rule)
    districts = bernoulli.districts
    few = (districts["cases"] + districts["controls"]) < SMALL_CELL
    assert few.any()
    assert districts.loc[few, "share_pct"].isna().all()
    assert districts.loc[~few, "share_pct"].between(0, 100).all()


def test_scan_outputs_are_written_and_marked_synthetic(bernoulli, module_home):
    folder = module_home / "data" / "processed"
    clusters = pd.read_csv(folder / "scan_bernoulli_clusters.csv")
    members = pd.read_csv(folder / "scan_bernoulli_members.csv", dtype={"district_code": str})
    assert clusters["synthetic"].all()
    assert members["synthetic"].all()
    assert set(members.columns) == {
        "district_code",
        "cluster_id",
        "synthetic",
    }  # no names, no people
    assert (folder / "scan_bernoulli_clusters.manifest.json").exists()


def test_space_time_scan_finds_a_cluster_confined_to_its_year(module_home):
    planted = {"districts": HOT, "risk": 6, "years": [2023]}
    messy, _ = synthetic.generate_records(2500, seed=32, planted=planted)
    result = analysis.district_scan(
        records.clean_records(messy, secret="stp"),
        model="space_time_permutation",
        permutations=499,
        write=False,
    )
    top = result.clusters.iloc[0]
    inside = set(result.result.members.query("cluster_id == 1")["district_code"])
    assert top.p_value <= 0.05
    assert top.time_start <= 2023 <= top.time_end
    assert top.time_end - top.time_start <= 1
    assert inside & set(HOT)


def test_poisson_scan_needs_and_uses_a_population(planted, module_home):
    with pytest.raises(ValueError, match="population="):
        analysis.district_scan(planted[0], model="poisson", write=False)
    codes = places.places("district")["kemendagri_code"]
    population = pd.DataFrame({"district_code": codes, "population": 20_000})
    result = analysis.district_scan(
        planted[0], model="poisson", population=population, permutations=199, write=False
    )
    inside = set(result.result.members.query("cluster_id == 1")["district_code"])
    assert result.clusters["p_value"].iloc[0] <= 0.05
    assert inside & set(HOT)
    assert result.result.parameters["size_of"] == "population"


def test_bernoulli_scan_needs_a_procedural_status(planted):
    with pytest.raises(ValueError, match="procedural=non_prosedural"):
        analysis.district_scan(planted[0], select={"event_type": "deportation"}, write=False)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_scan_maps_name_the_clusters_in_both_languages(bernoulli, lang):
    figures = analysis.scan_maps(bernoulli, lang)
    assert set(figures) == {"counts", "share", "clusters"}
    cluster_map = figures["clusters"]
    title = cluster_map.axes[0].get_title(loc="left")
    assert bernoulli.labels[lang] in title
    legend = [t.get_text() for t in cluster_map.legends[0].get_texts()]
    first = bernoulli.clusters.iloc[0]
    assert legend[0] == labels.label("other_units", lang)
    assert legend[1].startswith(labels.label("scan_cluster", lang, id=1, names="", rr="", p="")[:8])
    assert labels.format_p(first.p_value, lang) in legend[1]
    assert "Kobalima" in legend[1]
    share_legend = [t.get_text() for t in figures["share"].axes[0].get_legend().get_texts()]
    assert labels.label("few_records", lang, n=SMALL_CELL) in share_legend
    count_legend = [t.get_text() for t in figures["counts"].axes[0].get_legend().get_texts()]
    assert count_legend[:2] == ["0", "1–4"]  # small counts shown as one class
    every_text = " ".join(t.get_text() for f in figures.values() for t in f.findobj(plt.Text))
    assert labels.label("synthetic_mark", lang) in every_text
    for figure in figures.values():
        plt.close(figure)


def test_a_map_without_significant_cluster_says_so(module_home):
    messy, _ = synthetic.generate_records(600, seed=41)  # nothing planted
    result = analysis.district_scan(
        records.clean_records(messy, secret="null"), permutations=99, write=False
    )
    assert result.significant().empty
    figure = analysis.scan_maps(result, "en")["clusters"]
    sentences = [t for t in figure.findobj(plt.Text) if t.get_gid() == "no_cluster_sentence"]
    assert [t.get_text() for t in sentences] == [labels.label("scan_none", "en")]
    plt.close("all")
    section = report.facts.scan_section(result, report.TEXT["en"], "en")
    assert section["items"] == [report.TEXT["en"]["scan_none"]]


def test_brief_names_the_significant_cluster(bernoulli, planted, module_home):
    table = panel.build_panel(records=planted[0], select={"procedural": "non_prosedural"})
    chain = analysis.run_chain(
        table, permutations=99, formats=("png",), spatial_diagnostics=False, scan=bernoulli,
        languages=("id",),
    )  # fmt: skip
    brief = chain.briefs[0].read_text()
    assert report.TEXT["id"]["scan_heading"] in brief
    assert "Kobalima" in brief
    assert "Kabupaten Malaka" in brief
    assert brief.count("data:image/png;base64") >= 1
    assert "{" not in brief.split("<body>")[1].split("<style")[0]  # no unfilled placeholder


def test_cli_scan_runs_and_rejects_bad_input(tmp_path, project_home, capsys):
    path, _ = synthetic.write_synthetic_csv(
        tmp_path / "kasus_synthetic.csv", 1500, seed=9, planted={"districts": HOT, "risk": 5}
    )
    argv = ["scan", "--records", str(path), "--select", "procedural=non_prosedural"]
    assert cli.main([*argv, "--permutations", "199", "--lang", "en", "--secret", "k"]) == 0
    printed = capsys.readouterr().out
    assert "bernoulli scan statistic" in printed
    assert "\n1. centre " in printed
    assert (project_home / "figures" / "scan_bernoulli_clusters_en.png").exists()

    population = tmp_path / "penduduk.csv"
    pd.DataFrame({"district_code": ["53.21.10", "x"], "population": [1, 2]}).to_csv(
        population, index=False
    )
    assert cli.main([*argv, "--model", "poisson", "--population", str(population)]) == 2
    error = capsys.readouterr().err
    assert "penduduk.csv" in error
    assert "row 3" in error
    assert "Traceback" not in error

    assert cli.main(["scan"]) == 2
    assert "--records" in capsys.readouterr().err

    no_places = tmp_path / "tanpa_kecamatan_synthetic.csv"
    frame = pd.read_csv(path, skiprows=1)
    place_headers = {style[f] for style in synthetic.HEADER_STYLES for f in ("village", "district")}
    frame.drop(columns=[c for c in frame.columns if c in place_headers]).to_csv(
        no_places, index=False
    )
    assert cli.main(["scan", "--records", str(no_places), "--secret", "k"]) == 2
    assert "Kecamatan or Desa column" in capsys.readouterr().err


def test_scan_permutation_count_is_checked(capsys):
    with pytest.raises(SystemExit):
        cli.main(["scan", "--records", "x.csv", "--permutations", "5"])
    assert "99" in capsys.readouterr().err
