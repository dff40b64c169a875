"""The Philippine demo: Ilocos Norte (Region I) from the PSGC, a provincial hospital and two district hospitals,
a rural health unit per city or municipality (each a Konsulta provider), people with PhilSys and PhilHealth numbers,
PhilHealth membership and Konsulta registrations, claims sent as FHIR bundles, and Konsulta capitation rounds.

Names come from Faker's fil_PH locale (which has no person names of its own: Faker falls back to its default list,
so the names are not Filipino-looking). Unit codes are invented 5-digit codes (OpenUHC's unit code), not PhilHealth
accreditation numbers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from openuhc.country.packs import active
from openuhc.demo.loader import DEMO_PASSWORD, DemoContext

SCHEME = "NHIP"
SINCE = date(2020, 1, 1)
HOSPITALS = 3
CLAIMS = 40
MONTHS = 3


def load_geography(ctx: DemoContext) -> None:
    from openuhc.country import reference
    from openuhc.geo.models import Province

    ctx.progress.stage("geography (PSGC)", None)
    pack = active()
    pack.geography_loader()(areas=[ctx.province_code])
    reference.install(pack)
    ctx.data["province"] = Province.objects.get(code=ctx.province_code)


def load_units(ctx: DemoContext) -> None:
    from openuhc.providers import services
    from openuhc.providers.models import Owner, ReferralLink, UnitType

    ctx.progress.stage("health units", None)
    province = ctx.data["province"]
    types = {t.code: t for t in UnitType.objects.all()}
    owners = {o.code: o for o in Owner.objects.all()}
    districts = list(province.districts.order_by("code"))
    seats = [d.subdistricts.order_by("code").first() for d in districts]
    hospitals = {}
    for number, (district, seat) in enumerate(list(zip(districts, seats, strict=True))[:HOSPITALS], start=1):
        provincial = number == 1
        name = f"{province.name} Provincial Hospital" if provincial else f"{district.name} District Hospital"
        unit = services.create_unit(
            actor=None, code=f"1{number:04d}", unit_type=types["hospital-l2" if provincial else "hospital-l1"],
            subdistrict=seat, owner=owners["PROVINCE"], owner_since=SINCE, name_th=name, name_en=name)
        hospitals[district.code] = unit
    provincial = next(iter(hospitals.values()))
    for unit in list(hospitals.values())[1:]:
        services.add_referral(from_unit=unit, to_unit=provincial, level=ReferralLink.Level.SECONDARY_TO_TERTIARY,
                              valid_from=SINCE)
    rhus = {}
    for number, (district, seat) in enumerate(zip(districts, seats, strict=True), start=1):
        rhu = services.create_unit(
            actor=None, code=f"2{number:04d}", unit_type=types["rhu"], subdistrict=seat, owner=owners["LGU"],
            owner_since=SINCE, name_th=f"{district.name} Rural Health Unit",
            name_en=f"{district.name} Rural Health Unit")
        services.create_cup(actor=None, main_unit=rhu, since=SINCE)  # each RHU is a Konsulta provider of its own
        services.add_referral(from_unit=rhu, to_unit=hospitals.get(district.code, provincial),
                              level=ReferralLink.Level.PRIMARY_TO_SECONDARY, valid_from=SINCE)
        rhus[district.code] = rhu
    ctx.data.update(hospitals=hospitals, provincial=provincial, health_units=list(rhus.values()), rhus=rhus)


def load_budget(ctx: DemoContext) -> None:
    """NHIP's payment configuration per fiscal (calendar) year: Konsulta capitation per head, one age group."""
    from openuhc.budget.services import add_version
    from openuhc.core import params
    from openuhc.core.dates import fiscal_year, fiscal_year_bounds

    this_year = fiscal_year(ctx.anchor)
    for year in range(this_year - 1, this_year + 2):
        start = fiscal_year_bounds(year)[0]
        per_head = params.get("ph.konsulta_capitation", on=start)
        add_version(actor=ctx.actor, scheme=SCHEME, fiscal_year=year, valid_from=start, note="demo: Konsulta", data={
            "per_capita": str(per_head),
            "sub_funds": [{"code": "KONSULTA", "name_th": "Konsulta", "name_en": "Konsulta primary care",
                           "per_capita": str(per_head), "paid_by": "capitation"}],
            "age_groups": [{"code": "all", "min_age": 0, "max_age": None, "weight": "1.0000"}],
            "ip_base_rate": "0.00", "salary_op_percent": "0.00"})


def _number(rng: Any, seen: set[str]) -> str:
    while True:
        number = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(11))
        if number not in seen:
            seen.add(number)
            return number


def load_people(ctx: DemoContext) -> None:
    from faker import Faker

    from openuhc.country.models import PersonIdentifier
    from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent, Scheme

    rng = ctx.rng("ph.people")
    fake = Faker(active()["demo"]["faker_locale"])
    fake.seed_instance(ctx.seed)
    scheme = Scheme.objects.get(code=SCHEME)
    province = ctx.data["province"]
    barangays = [b for d in province.districts.order_by("code") for b in d.subdistricts.order_by("code")]
    ctx.progress.stage("people", ctx.people)
    seen: set[str] = set()
    people = []
    for _ in range(ctx.people):
        sex = 1 if rng.random() < 0.5 else 2
        birth = ctx.anchor - timedelta(days=rng.randrange(0, 85 * 365))
        first = fake.first_name_male() if sex == 1 else fake.first_name_female()
        last = fake.last_name()
        people.append(Person(citizen_id=_number(rng, seen), first_name_th=first, last_name_th=last, first_name_en=first,
                             last_name_en=last, sex=sex, birth_date=birth, subdistrict=rng.choice(barangays)))
        ctx.progress.advance()
    Person.objects.bulk_create(people, batch_size=2000)
    people = list(Person.objects.filter(subdistrict__district__province=province).select_related("subdistrict"))
    RegistryEvent.objects.bulk_create([RegistryEvent(person=p, kind=RegistryEvent.Kind.PERSON_ADDED,
                                                     detail={"source": "demo"}) for p in people], batch_size=2000)
    pins: set[str] = set()
    PersonIdentifier.objects.bulk_create(
        [PersonIdentifier(person=p, kind="philhealth", value=_number(rng, pins), source="demo")
         for p in people if rng.random() < 0.9], batch_size=2000)
    rhus = ctx.data["rhus"]
    coverages, registrations = [], []
    for person in people:
        start = max(person.birth_date, SINCE)
        coverages.append(Coverage(person=person, scheme=scheme, valid_from=start, source="demo"))
        rhu = rhus[person.subdistrict.district.code]
        registrations.append(Registration(person=person, main_unit=rhu, primary_unit=rhu,
                                          referral_unit=ctx.data["provincial"], effective_from=start, source="demo"))
    Coverage.objects.bulk_create(coverages, batch_size=2000)
    Registration.objects.bulk_create(registrations, batch_size=2000)
    newest = Registration.objects.filter(person=OuterRef("pk")).order_by("-effective_from", "-id").values("pk")[:1]
    Person.objects.filter(subdistrict__district__province=province).update(current_registration=Subquery(newest))
    ctx.data["people"] = people


# (diagnoses, procedures, days in hospital or None for a visit, charges)
CASES = [
    (("J06.9",), (), None, (("31", "350.00"),)),
    (("I10",), (), None, (("31", "300.00"), ("41", "220.00"))),
    (("J18.9",), (), 4, (("11", "4000.00"), ("31", "6500.00"))),
    (("A91",), (), 5, (("11", "5000.00"), ("31", "9800.00"))),
    (("K35.8",), ("47.09",), 3, (("11", "3000.00"), ("31", "18500.00"))),
    (("O80",), (), 2, (("11", "2000.00"), ("31", "3900.00"))),
]


def load_claims(ctx: DemoContext) -> None:
    """Claims of the demo's month, sent by the hospitals and RHUs as FHIR bundles through the claim intake."""
    from openuhc_packs.ph.fhir import claim_bundle, submit

    rng = ctx.rng("ph.claims")
    people = [p for p in ctx.data["people"] if p.birth_date < ctx.anchor - timedelta(days=365)]
    chosen = rng.sample(people, min(CLAIMS, len(people)))
    by_unit: dict[Any, list] = {}
    for number, person in enumerate(chosen, start=1):
        diagnoses, procedures, days, items = rng.choice(CASES)
        start = ctx.anchor + timedelta(days=rng.randrange(0, 20))
        if days is None:
            unit = ctx.data["rhus"][person.subdistrict.district.code]
            bundle = claim_bundle(person, hcode=unit.code, key=f"V{number:05d}", start=start, diagnoses=diagnoses,
                                  items=items)
        else:
            unit = ctx.data["provincial"]
            bundle = claim_bundle(person, hcode=unit.code, key=f"A{number:05d}", start=start,
                                  end=start + timedelta(days=days), diagnoses=diagnoses, procedures=procedures,
                                  items=items)
        by_unit.setdefault(unit, []).append(bundle)
    ctx.progress.stage("claims (FHIR)", len(by_unit))
    ctx.data["claim_submissions"] = []
    for unit, bundles in sorted(by_unit.items(), key=lambda pair: pair[0].code):
        ctx.data["claim_submissions"].append(submit(bundles, unit=unit, actor=ctx.actor))
        ctx.progress.advance()


def load_capitation(ctx: DemoContext) -> None:
    """Konsulta capitation rounds of the region, the months up to the demo's month, published."""
    from openuhc.payment import services
    from openuhc.payment.models import PaymentRun
    from openuhc.registry.models import Scheme

    scheme, region = Scheme.objects.get(code=SCHEME), ctx.data["province"].region
    months = [ctx.anchor]
    while len(months) < MONTHS:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    ctx.progress.stage("capitation rounds", len(months))
    for month in months:
        run = services.start_run(actor=ctx.actor, scheme=scheme, region=region, period=month,
                                 kind=PaymentRun.Kind.CAPITATION, note="demo: Konsulta")
        run = services.compute(actor=ctx.actor, run=run)
        for _step in range(3):
            run = services.advance(actor=ctx.actor, run=run, note="demo")
        ctx.data["capitation_run"] = run
        ctx.progress.advance()


def load_logins(ctx: DemoContext) -> None:
    from openuhc.accounts.roles import Role
    from openuhc.accounts.services import create_user

    province = ctx.data["province"]
    hospitals = sorted(ctx.data["hospitals"].values(), key=lambda u: u.code)
    accounts = [
        ("national", Role.NATIONAL, {}, "Maria", "Santos", "national office"),
        ("region1", Role.REGIONAL, {"region": province.region}, "Jose", "Reyes", str(province.region)),
        ("hospital", Role.HOSPITAL, {"unit": hospitals[0]}, "Ana", "Cruz", str(hospitals[0])),
        ("hospital2", Role.HOSPITAL, {"unit": hospitals[1]}, "Ramon", "Garcia", str(hospitals[1])),
        ("analyst", Role.ANALYST, {}, "Liza", "Mendoza", "aggregates only"),
    ]
    for username, role, scope, first, last, label in accounts:
        create_user(username=username, password=DEMO_PASSWORD, role=role, first_name=first, last_name=last, **scope)
        ctx.logins.append((username, role, label))


def case_rate_total(claims: Any) -> Decimal:
    """The case-rate amounts of admissions (ILLUSTRATIVE table): what a case-rate round would pay them."""
    from openuhc_packs.ph.caserates import rate_for

    total = Decimal("0.00")
    for claim in claims:
        diagnoses = [d.code for d in claim.diagnoses.order_by("dxtype", "id")]
        procedures = [p.code for p in claim.procedures.all()]
        found = rate_for(diagnoses=diagnoses, procedures=procedures)
        if found is not None:
            total += found.amount
    return total


STEPS = [(10, load_geography), (20, load_units), (25, load_budget), (30, load_people), (50, load_claims),
         (60, load_capitation), (90, load_logins)]
