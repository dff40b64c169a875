"""A pack's manifest is read strictly: every problem is named, nothing falls back to a default without a word."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from openuhc.country import manifest, packs

TH = Path(packs.load_pack("th").path) / "pack.toml"


def _thai() -> dict:
    with TH.open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("code", ["th", "ph"])
def test_both_shipped_packs_are_installed_and_valid(code):
    pack = packs.load_pack(code)
    assert pack.code == code
    pack.check_code()


def test_a_pack_with_an_unknown_key_refuses_to_start_naming_the_key():
    data = _thai()
    data["curency"] = "THB"
    data["person_ids"][0]["checksum"] = "mod11"
    with pytest.raises(ImproperlyConfigured) as refused:
        manifest.validate(data, source="test.toml")
    message = str(refused.value)
    assert "curency: unknown key" in message
    assert "person_ids[0].checksum: unknown key" in message


@pytest.mark.parametrize(("change", "named"), [
    (lambda d: d.pop("currency"), "currency: missing"),
    (lambda d: d["calendar"].update(fiscal_year_start_month=13), "calendar.fiscal_year_start_month: 13 is outside"),
    (lambda d: d.update(default_language="fr"), "default_language: 'fr' is not one of languages"),
    (lambda d: d["person_ids"][0].update(primary=False), "exactly one must be primary"),
    (lambda d: d["person_ids"][0].update(may_repeat=True), "the primary number cannot be one that may repeat"),
    (lambda d: d.update(payment_methods=["capitation", "lottery"]), "'lottery' is not one of"),
    (lambda d: d.update(payment_methods=["case-rate"]), "case_rates: missing"),
    (lambda d: d["schemes"].append(dict(d["schemes"][0])), "schemes: 'UCS' appears more than once"),
    (lambda d: d.update(parameters=[{"key": "x.rate", "kind": "decimal", "label_en": "X",
                                     "values": [{"valid_from": "someday", "value": "1", "source": "s"}]}]),
     "parameters[0].values[0].valid_from: expected a date"),
])
def test_invalid_data_is_refused_with_the_key_named(change, named):
    data = _thai()
    change(data)
    with pytest.raises(ImproperlyConfigured, match="test.toml") as refused:
        manifest.validate(data, source="test.toml")
    assert named in str(refused.value)


def test_an_unknown_country_names_the_installed_packs():
    with pytest.raises(ImproperlyConfigured, match=r"'zz'.*installed: .*ph, th"):
        packs.load_pack("zz")


def test_a_pack_naming_code_that_does_not_exist_refuses_to_start(tmp_path, monkeypatch):
    data = TH.read_text(encoding="utf-8").replace('code = "th"', 'code = "xx"', 1).replace(
        "openuhc_packs.th.ids:ThaiCitizenId", "openuhc_packs.th.ids:NoSuchRules")
    (tmp_path / "pack.toml").write_text(data, encoding="utf-8")
    point = SimpleNamespace(load=lambda: SimpleNamespace(__file__=str(tmp_path / "__init__.py")))
    monkeypatch.setattr(packs, "installed", lambda: {"xx": point})
    pack = packs.load_pack("xx")
    try:
        with pytest.raises(ImproperlyConfigured, match=r"person_ids\[0\]\.rules.*NoSuchRules"):
            pack.check_code()
    finally:
        packs.load_pack.cache_clear()


def test_thailands_lists_are_the_ones_the_database_starts_with(db):
    from openuhc.providers.models import Owner, UnitType
    from openuhc.registry.models import Scheme

    pack = packs.load_pack("th")
    assert {(s["code"], s["name_local"], s["name_en"], s["claim_code"], s["registers_with_unit"]) for s in
            pack["schemes"]} == set(Scheme.objects.values_list("code", "name_th", "name_en", "eclaim_code",
                                                                "registers_with_unit"))
    assert {(t["code"], t["name_local"], t["admits_inpatients"], t["primary_care"]) for t in pack["unit_types"]} == set(
        UnitType.objects.values_list("code", "name_th", "is_hospital", "is_primary_care"))
    assert {(o["code"], o["kind"], o["name_local"]) for o in pack["owners"]} <= set(
        Owner.objects.values_list("code", "kind", "name_th"))
