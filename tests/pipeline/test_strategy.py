"""The strategy step: the evidence each rating cites, linked to the package's values."""

from __future__ import annotations

from migration_ntt import analysis, strategy

from ..workshops import workshop_content, write_workshop


def test_evidence_table_links_what_it_can_and_says_what_it_cannot(tmp_path):
    content = workshop_content()
    content["factors"][0]["evidence"] = "rate:pmi_deaths_abroad@Malaka"
    content["factors"][2]["evidence"] = "panel:poverty_rate_pct@Timor Tengah Selatan"
    content["factors"][4]["evidence"] = "panel:poverty_rate_pct@Atlantis"
    content["factors"][6]["evidence"] = "Kompas, 2024: brokers in every village"
    table = analysis.evidence_table(
        strategy.read_workshop(write_workshop(tmp_path, content))
    ).set_index("factor")
    assert table.loc["S1", "status"] == "linked"
    assert "per 100,000" in table.loc["S1", "value"]
    assert table.loc["W1", "status"] == "linked"
    assert float(table.loc["W1", "value"]) > 0
    assert table.loc["O1", "status"].startswith("not found")
    assert table.loc["T1", "status"] == "text (not linked)"
