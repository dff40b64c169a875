"""Transfers of sub-district units to PAOs, counted from the provider ownership history."""

from __future__ import annotations

from datetime import date

from openuhc.governance.transfers import transfers
from openuhc.providers import services as providers
from openuhc.providers.models import UnitType


def test_transfers_are_counted_by_fiscal_year_and_province(world):
    providers.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=date(2022, 10, 1))
    providers.transfer_ownership(actor=None, unit=world.shph_b, to_owner=world.pao_owner, on=date(2023, 9, 30))
    data = transfers(province="56")
    (phayao,) = data.provinces
    # 1 Oct 2022 is in FY2566, 30 Sep 2023 the last day of the same fiscal year
    assert (data.years, phayao.by_year, phayao.units, phayao.with_pao, str(phayao.share)) == (
        [2566], {2566: 2}, 2, 2, "100.0")


def test_a_unit_the_pao_built_itself_is_not_a_transfer_and_hospitals_do_not_count(world):
    built = providers.create_unit(actor=None, code="05699", name_th="รพ.สต.ใหม่", unit_type=UnitType.objects.get(
        code="shph"), subdistrict=world.shph_a.subdistrict, owner=world.pao_owner, owner_since=date(2024, 1, 1))
    providers.transfer_ownership(actor=None, unit=world.hospital_b, to_owner=world.pao_owner, on=date(2024, 1, 1))
    data = transfers(province="56")
    (phayao,) = data.provinces
    assert built.owner == world.pao_owner
    assert (phayao.transferred, phayao.units, phayao.with_pao) == (0, 3, 1)


def test_a_unit_given_back_and_transferred_again_counts_each_transfer(world):
    providers.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=date(2022, 10, 1))
    providers.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.moph, on=date(2023, 10, 1))
    providers.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=date(2024, 10, 1))
    (phayao,) = transfers(province="56").provinces
    assert phayao.by_year == {2566: 1, 2568: 1} and phayao.with_pao == 1
