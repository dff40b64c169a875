"""Whose figures a dashboard shows: a provincial secretariat and a PAO see their province, an area board its region."""

from types import SimpleNamespace

from openuhc.accounts.roles import Role
from openuhc.monitoring.views import scope_filters


def _province(code: str) -> SimpleNamespace:
    return SimpleNamespace(code=code)


def test_a_provincial_secretariat_sees_its_province():
    secretariat = SimpleNamespace(province_id=1, province=_province("56"), region_id=None, region=None)
    assert scope_filters(SimpleNamespace(role=Role.SECRETARIAT, secretariat=secretariat)).province == "56"


def test_an_area_board_secretariat_sees_its_region():
    secretariat = SimpleNamespace(province_id=None, province=None, region_id=1, region=SimpleNamespace(number=1))
    assert scope_filters(SimpleNamespace(role=Role.SECRETARIAT, secretariat=secretariat)).region == "1"


def test_a_pao_sees_its_province():
    pao = SimpleNamespace(province=_province("56"))
    assert scope_filters(SimpleNamespace(role=Role.PAO, local_government=pao)).province == "56"


def test_a_secretariat_without_an_area_sees_nothing():
    filters = scope_filters(SimpleNamespace(role=Role.SECRETARIAT, secretariat=None))
    assert filters.hcodes == () and filters.province is None and filters.region is None
