"""The Philippine pack: geography round-trip, dated parameters, calendar, case rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.core import params
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, format_date
from openuhc.country.testing import use_pack

ILOCOS_NORTE = "0102800000"


@pytest.mark.django_db
def test_psgc_geography_loads_and_reads_back_as_the_psgc_has_it():
    import psgc

    from openuhc.geo.models import Province, Subdistrict
    from openuhc_packs.ph.geography import load

    with use_pack("ph"):
        counts = load(areas=[ILOCOS_NORTE])
        again = load(areas=[ILOCOS_NORTE])  # idempotent
    source = psgc.get(ILOCOS_NORTE)
    barangays = [b for city in source.children for b in city.children]
    assert counts == again and counts["subdistricts"] == len(barangays) == 559
    province = Province.objects.get(code=ILOCOS_NORTE)
    assert province.name_en == "Ilocos Norte" and province.region.number == 1
    for barangay in barangays[::50]:
        row = Subdistrict.objects.select_related("district__province").get(code=barangay.psgc_code)
        assert (row.name_en, row.district.code, row.district.province.code) == (
            barangay.name, barangay.parent.psgc_code, ILOCOS_NORTE)
        assert psgc.get(row.code).name == row.name_en  # and back


@pytest.mark.django_db
def test_the_packs_dated_parameters_load_and_a_row_still_overrides_them():
    with use_pack("ph"):
        assert params.get("ph.konsulta_capitation", on=date(2024, 6, 1)) == Decimal("1700.00")
        assert params.get("claims.fund_schemes", on=date(2026, 1, 1)) == ["NHIP"]
        assert "2026-06-12" in params.get("rights.holidays", on=date(2026, 1, 1))
        params.set_value("ph.konsulta_capitation", "1800.00", valid_from=date(2027, 1, 1))
        assert params.get("ph.konsulta_capitation", on=date(2027, 1, 1)) == Decimal("1800.00")
        assert params.get("ph.konsulta_capitation", on=date(2026, 12, 31)) == Decimal("1700.00")
    # Thailand: the apps' own defaults, unchanged
    assert params.get("claims.fund_schemes", on=date(2026, 1, 1)) == ["UCS"]
    assert params.get("rights.holidays", on=date(2026, 1, 1)) == []


def test_the_fiscal_year_is_the_calendar_year_and_dates_are_shown_in_the_common_era():
    with use_pack("ph"):
        assert fiscal_year(date(2026, 11, 22)) == 2026
        assert fiscal_year_bounds(2026) == (date(2026, 1, 1), date(2026, 12, 31))
        assert format_date(date(2026, 11, 22), language="fil") == "22 Nov 2026"
    assert fiscal_year(date(2026, 11, 22)) == 2570
    assert fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    assert format_date(date(2026, 11, 22), language="th") == "22 พ.ย. 2569"


def test_a_case_rate_is_the_highest_procedure_else_the_principal_diagnosis_else_none():
    from openuhc_packs.ph.caserates import rate_for

    with use_pack("ph"):
        assert rate_for(diagnoses=["K358"], procedures=["4709", "66.29"]).amount == Decimal("24000.00")
        assert rate_for(diagnoses=["J189", "I10"], procedures=["99.99"]).amount == Decimal("15000.00")
        assert rate_for(diagnoses=["Z00.0"], procedures=[]) is None  # no rate: held, never guessed


def test_filipino_is_a_language_django_now_knows():
    from django.utils.translation import get_language_info

    assert get_language_info("fil")["name_local"] == "Filipino"


@pytest.mark.django_db
def test_the_login_page_reads_in_filipino_and_terms_read_the_philippine_way(client):
    from django.utils import translation

    with use_pack("ph"):
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fil")
        assert page.status_code == 200 and page.headers["Content-Language"] == "fil"
        assert "Mag-log in" in page.content.decode()
        with translation.override("en"):
            assert translation.gettext("Sub-district") == "Barangay"
    with translation.override("en"):
        assert translation.gettext("Sub-district") == "Sub-district"


def test_what_the_pack_does_not_enable_is_refused_by_name():
    from openuhc.claims.formats import require_claim_files
    from openuhc.core.errors import DomainError
    from openuhc.payment.models import PaymentRun
    from openuhc.payment.workflow import start_run

    require_claim_files()  # Thailand sends 16-file claims
    with use_pack("ph"):
        with pytest.raises(DomainError) as refused:
            require_claim_files()
        assert refused.value.code == "country_not_enabled" and "16-file" in refused.value.message
        with pytest.raises(DomainError) as refused:
            start_run(actor=None, scheme=None, region=None, kind=PaymentRun.Kind.IP, cutoff=date(2026, 1, 31))
        assert refused.value.code == "country_not_enabled" and "inpatient-drg" in refused.value.message
