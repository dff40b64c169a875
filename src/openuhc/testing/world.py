"""A small world for tests: two provinces in two regions, a few units, people, one persona per role."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps as django_apps

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.geo.models import LocalGovernment, Province, Region, Subdistrict
from openuhc.geo.services import load_geography, load_region_mapping
from openuhc.localfund.models import Fund
from openuhc.providers import services as providers
from openuhc.providers.models import Owner, ReferralLink, UnitType
from openuhc.registry import services as registry
from openuhc.registry.ids import check_digit
from openuhc.registry.models import Person, Scheme
from openuhc.rights.models import Centre

PASSWORD = "correct-horse-battery"  # noqa: S105 - the test personas' password


def ensure_geography() -> None:
    """The country's reference data: geography, regions and the seeded lists (schemes, unit types, owners).

    A transactional test (the browser tests) empties every table when it ends, seeded rows included, so the
    next test on the same worker puts them back here rather than depending on test order."""
    from openuhc.rights.models import CaseCategory

    for module in ("openuhc.providers.migrations.0002_default_types_and_owners",
                   "openuhc.registry.migrations.0002_default_schemes",
                   "openuhc.rights.migrations.0003_default_groups_and_categories"):
        if module.startswith("openuhc.registry") and Scheme.objects.exists():
            continue
        if module.startswith("openuhc.providers") and Owner.objects.exists():
            continue
        if module.startswith("openuhc.rights") and CaseCategory.objects.exists():
            continue
        importlib.import_module(module).add(django_apps, None)
    if not Province.objects.exists():
        load_geography()
    if not Region.objects.exists():
        load_region_mapping()


def make_cid(body12: str) -> str:
    """A valid citizen ID from its first twelve digits."""
    return body12 + str(check_digit(body12))


_counter = {"n": 0}


def next_cid(first: str = "1") -> str:
    _counter["n"] += 1
    return make_cid(f"{first}5601{_counter['n']:07d}")


def add_person(*, subdistrict: Subdistrict, birth: date = date(1980, 5, 17), sex: int = 1, first: str = "สมชาย",
               last: str = "ทดสอบ", cid: str | None = None, scheme: str | None = "UCS",
               covered_from: date | None = None) -> Person:
    person = registry.add_person(actor=None, citizen_id=cid or next_cid(), first_name_th=first, last_name_th=last,
                                 sex=sex, birth_date=birth, subdistrict=subdistrict, title="นาย" if sex == 1 else "นาง")
    if scheme:
        registry.add_coverage(actor=None, person=person, scheme=Scheme.objects.get(code=scheme),
                              valid_from=covered_from or max(birth, date(2002, 10, 1)))
    return person


@dataclass
class World:
    province: Province
    other_province: Province
    hospital_a: Any
    hospital_b: Any
    shph_a: Any
    shph_b: Any
    far_unit: Any
    pao_owner: Owner
    moph: Owner
    lg: LocalGovernment
    fund: Fund
    centre: Centre
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def build_world() -> World:
    """Phayao (region 1): general hospital A (CUP A with sub-district unit a), community hospital B (CUP B
    with unit b); Phitsanulok (region 2): a far unit. People registered with A, with B and far away."""
    ensure_geography()
    province = Province.objects.get(code="56")
    other = Province.objects.get(code="65")
    moph = Owner.objects.get(code="MOPH")
    types = {t.code: t for t in UnitType.objects.all()}
    sub_a = Subdistrict.objects.get(code="560101")
    sub_b = Subdistrict.objects.get(code="560201")
    sub_far = Subdistrict.objects.filter(district__province=other).order_by("code").first()
    lg = LocalGovernment.objects.create(code="5601011", kind=LocalGovernment.Kind.TOWN_MUNICIPALITY, province=province,
                                        name_th="เทศบาลเมืองทดสอบ", name_en="Test Town")
    lg.subdistricts.set([sub_a])
    pao_lg = LocalGovernment.objects.create(code="5600000", kind=LocalGovernment.Kind.PAO, province=province,
                                            name_th="อบจ.พะเยา", name_en="Phayao PAO")
    pao_owner = Owner.objects.create(code="PAO-56", kind=Owner.Kind.LOCAL_GOVERNMENT, local_government=pao_lg,
                                     name_th="องค์การบริหารส่วนจังหวัดพะเยา", name_en="Phayao PAO")
    since = date(2010, 10, 1)
    hospital_a = providers.create_unit(actor=None, code="56001", name_th="โรงพยาบาลเอ", name_en="Hospital A",
                                       unit_type=types["general"], subdistrict=sub_a, owner=moph, owner_since=since)
    hospital_b = providers.create_unit(actor=None, code="56002", name_th="โรงพยาบาลบี", name_en="Hospital B",
                                       unit_type=types["community"], subdistrict=sub_b, owner=moph, owner_since=since)
    cup_a = providers.create_cup(actor=None, main_unit=hospital_a, since=since)
    cup_b = providers.create_cup(actor=None, main_unit=hospital_b, since=since)
    shph_a = providers.create_unit(actor=None, code="05601", name_th="รพ.สต.เอ", name_en="SHPH A",
                                   unit_type=types["shph"], subdistrict=sub_a, owner=moph, owner_since=since, cup=cup_a)
    shph_b = providers.create_unit(actor=None, code="05602", name_th="รพ.สต.บี", name_en="SHPH B",
                                   unit_type=types["shph"], subdistrict=sub_b, owner=moph, owner_since=since, cup=cup_b)
    far = providers.create_unit(actor=None, code="65001", name_th="โรงพยาบาลไกล", name_en="Far Hospital",
                                unit_type=types["general"], subdistrict=sub_far, owner=moph, owner_since=since)
    providers.add_referral(from_unit=shph_a, to_unit=hospital_a, level=ReferralLink.Level.PRIMARY_TO_SECONDARY,
                           valid_from=since)
    providers.add_referral(from_unit=hospital_b, to_unit=hospital_a, level=ReferralLink.Level.SECONDARY_TO_TERTIARY,
                           valid_from=since)
    fund = Fund.objects.create(code="L5601011", name_th="กองทุนทดสอบ", local_government=lg)
    centre = Centre.objects.create(code="PC56", name_th="ศูนย์ประสานงานทดสอบ", kind=Centre.Kind.PEOPLES_CENTRE,
                                   region=province.region)
    centre.provinces.set([province])
    world = World(province, other, hospital_a, hospital_b, shph_a, shph_b, far, pao_owner, moph, lg, fund, centre)

    def registered(name: str, main: Any, primary: Any, referral: Any, sub: Subdistrict) -> Person:
        person = add_person(subdistrict=sub, first=name)
        registry.register(actor=None, person=person, main_unit=main, primary_unit=primary, referral_unit=referral,
                          effective_from=date(2021, 1, 1))
        return person

    world.people["a"] = registered("แอนนา", hospital_a, shph_a, hospital_a, sub_a)
    # Referred to hospital A: staff of A see this person too.
    world.people["b"] = registered("บุญมี", hospital_b, shph_b, hospital_a, sub_b)
    world.people["far"] = registered("ไกลตา", far, far, far, sub_far)
    world.people["sss"] = add_person(subdistrict=sub_a, first="ประกัน", scheme="SSS")

    scopes = {
        "national": (Role.NATIONAL, {}),
        "regional": (Role.REGIONAL, {"region": province.region}),
        "regional2": (Role.REGIONAL, {"region": other.region}),
        "hospital": (Role.HOSPITAL, {"unit": hospital_a}),
        "hospital2": (Role.HOSPITAL, {"unit": hospital_b}),
        "localfund": (Role.LOCALFUND, {"fund": fund}),
        "centre": (Role.CENTRE, {"centre": centre}),
        "analyst": (Role.ANALYST, {}),
    }
    for username, (role, scope) in scopes.items():
        world.users[username] = create_user(username=username, password=PASSWORD, role=role, **scope)
    return world
