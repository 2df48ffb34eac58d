"""The questions and choice lists behind the form and the log."""

from __future__ import annotations

from migration_ntt import regions
from migration_ntt.ingest.intake import choices
from migration_ntt.ingest.records import countries, fields, form, mapping


def test_choice_lists_hold_the_whole_gazetteer_with_parent_codes():
    lists = choices.choice_lists()
    regency = lists[lists["list_name"] == "regency"]
    district = lists[lists["list_name"] == "district"]
    village = lists[lists["list_name"] == "village"]
    assert (len(regency), len(district), len(village)) == (22, 315, 3442)
    assert set(regency["name"]) == set(regions.regencies()["bps_code"])
    assert set(district["bps_code"]) == set(regency["name"])
    assert set(village["district_code"]) == set(district["name"])
    kecamatan = regions.places.places("district")["kemendagri_code"]
    assert set(district["name"]) == set(kecamatan)
    for list_name in ("regency", "district", "village"):
        assert lists.loc[lists["list_name"] == list_name, "name"].is_unique


def test_every_choice_has_a_label_in_both_languages():
    lists = choices.choice_lists()
    assert (lists["label_id"].str.strip() != "").all()
    assert (lists["label_en"].str.strip() != "").all()
    for question in form.QUESTIONS:
        assert all(text.strip() for text in question.label), question.name


def test_no_question_asks_for_a_name_phone_or_passport_and_the_nik_is_marked_sensitive():
    fed = {q.feeds for q in form.QUESTIONS}
    assert not fed & {"name", "phone", "passport", "address", "birth_date"}
    nik = next(q for q in form.QUESTIONS if q.name == "nik")
    assert nik.sensitive
    assert not nik.required
    assert "SENSITIVE" in nik.hint[1]
    assert "SENSITIF" in nik.hint[0]


def test_question_names_are_the_clean_tables_own_names():
    headers = [q.name for q in form.QUESTIONS if q.feeds]
    found = mapping.map_columns(headers, None, "form")
    assert dict(zip(found.table["header"], found.table["field"], strict=True)) == {
        q.name: q.feeds for q in form.QUESTIONS if q.feeds
    }


def test_every_choice_name_reads_back_as_itself():
    lists = choices.choice_lists()
    for name in lists.loc[lists["list_name"] == "event_type", "name"]:
        assert fields.parse_event_type(name) == name
    for name in lists.loc[lists["list_name"] == "procedural", "name"]:
        assert fields.parse_status(name) == name
    for name in lists.loc[lists["list_name"] == "country", "name"]:
        assert countries.parse_destination(name)[0] == name
    regions_ = lists[lists["list_name"] == "destination_region"]
    for row in regions_.itertuples():
        iso3, region, _ = countries.parse_destination(row.name)
        assert (iso3, region) == (row.iso3, row.label_en)
