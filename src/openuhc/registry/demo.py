"""Demo: about 50,000 people of the demo province with a Thai-like age pyramid, Thai names (from Faker's
th_TH lists), valid citizen IDs (a few beginning with 0), coverage histories and registrations."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from faker.providers.person.th_TH import Provider as ThaiNames

from openuhc.demo.loader import DemoContext
from openuhc.registry.ids import check_digit
from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent, Scheme

ORDER = 30
BATCH = 5000
UC_START = date(2002, 10, 1)

# Share of the population by five-year age band, 0–4 … 85+ (Thailand mid-2020s, rounded; an ageing
# pyramid with a narrowing base).
AGE_BANDS = [4.5, 5.2, 5.8, 6.0, 6.2, 6.6, 7.0, 7.3, 7.5, 7.6, 7.7, 7.3, 6.4, 5.2, 3.8, 2.6, 1.7, 1.5]


def _birth_date(rng, anchor: date) -> date:  # noqa: ANN001
    band = rng.choices(range(len(AGE_BANDS)), weights=AGE_BANDS)[0]
    years = band * 5 + (rng.random() * (5 if band < len(AGE_BANDS) - 1 else 15))
    return anchor - timedelta(days=int(years * 365.25) + rng.randrange(0, 365))


def _citizen_id(rng, district_code: str, birth: date, seen: set[str]) -> str:  # noqa: ANN001
    while True:
        roll = rng.random()
        if roll < 0.005:
            first = "0"  # a person without Thai civil registration (covered too)
        elif birth.year >= 1984:
            first = "1"
        else:
            first = rng.choice("3335")
        body = first + district_code + "".join(str(rng.randrange(10)) for _ in range(7))
        cid = body + str(check_digit(body))
        if cid not in seen:
            seen.add(cid)
            return cid


def _title(sex: int, age: int, rng) -> str:  # noqa: ANN001
    if age < 15:
        return "ด.ช." if sex == 1 else "ด.ญ."
    if sex == 1:
        return "นาย"
    return "นาง" if age >= 25 and rng.random() < 0.7 else "น.ส."


def load(ctx: DemoContext) -> None:
    rng = ctx.rng("registry")
    anchor = ctx.anchor
    schemes = {s.code: s for s in Scheme.objects.all()}
    province = ctx.data["province"]
    subdistricts = [s for d in province.districts.order_by("code") for s in d.subdistricts.order_by("code")]
    weights = [rng.uniform(0.4, 1.6) for _ in subdistricts]
    hospitals = ctx.data["hospitals"]
    hospital_of_district = {h.subdistrict.district_id: h for h in hospitals.values()}
    units_by_sub: dict[int, list] = {}
    for unit in ctx.data["health_units"]:
        units_by_sub.setdefault(unit.subdistrict_id, []).append(unit)

    ctx.progress.stage("people", ctx.people)
    seen: set[str] = set()
    people: list[Person] = []
    for _ in range(ctx.people):
        sub = rng.choices(subdistricts, weights=weights)[0]
        sex = 1 if rng.random() < 0.49 else 2
        birth = _birth_date(rng, anchor)
        age = (anchor - birth).days // 365
        names = ThaiNames.first_names_male if sex == 1 else ThaiNames.first_names_female
        death = None
        if rng.random() < 0.007 + (0.03 if age > 75 else 0):
            death = anchor + timedelta(days=rng.randrange(-500, 250))
            death = max(death, birth)
        people.append(Person(
            citizen_id=_citizen_id(rng, sub.district.code[:4], birth, seen), title=_title(sex, age, rng),
            first_name_th=rng.choice(names), last_name_th=rng.choice(ThaiNames.last_names), sex=sex,
            birth_date=birth, subdistrict=sub, death_date=death,
        ))
    for start in range(0, len(people), BATCH):
        Person.objects.bulk_create(people[start:start + BATCH])
        ctx.progress.advance(min(BATCH, len(people) - start))
    by_cid = dict(Person.objects.filter(subdistrict__district__province=province).values_list("citizen_id", "pk"))
    for person in people:
        person.pk = by_cid[person.citizen_id]
    RegistryEvent.objects.bulk_create(
        [RegistryEvent(person=p, kind=RegistryEvent.Kind.PERSON_ADDED, detail={"source": "demo"}) for p in people],
        batch_size=BATCH)

    ctx.progress.stage("coverage and registrations", len(people))
    coverages: list[Coverage] = []
    registrations: list[Registration] = []
    changed = 0
    for person in people:
        age = (anchor - person.birth_date).days // 365
        start = max(person.birth_date, UC_START)
        roll = rng.random()
        if person.citizen_id.startswith("0"):
            scheme = "STP"
        elif 18 <= age <= 60 and roll < 0.20:
            scheme = "SSS"
        elif roll < 0.28:
            scheme = "CSMBS"
        elif roll < 0.29:
            scheme = "LGO"
        else:
            scheme = "UCS"
        if scheme == "UCS" and 20 <= age <= 62 and rng.random() < 0.06:
            # Worked under social security, then came back to the universal scheme.
            switch = anchor - timedelta(days=rng.randrange(60, 2000))
            if switch > start + timedelta(days=400):
                coverages.append(Coverage(person=person, scheme=schemes["SSS"], valid_from=start,
                                          valid_to=switch - timedelta(days=1), source="demo"))
                start = switch
        coverages.append(Coverage(person=person, scheme=schemes[scheme], valid_from=start, source="demo"))
        if not schemes[scheme].registers_with_unit:
            ctx.progress.advance()
            continue
        hospital = hospital_of_district[person.subdistrict.district_id]
        local = units_by_sub.get(person.subdistrict_id)
        primary = local[0] if local else hospital
        referral = ctx.data["provincial"] if hospital is ctx.data["provincial"] else hospital
        registered_from = max(start, date(2020, 10, 1))
        if rng.random() < 0.03 and registered_from < anchor - timedelta(days=400) and person.death_date is None:
            # Moved from another district: registered there first, then changed units (takes effect at once).
            other = rng.choice([h for h in hospitals.values() if h is not hospital])
            registrations.append(Registration(person=person, main_unit=other, primary_unit=other, referral_unit=other,
                                              effective_from=registered_from, source="demo"))
            registered_from = anchor - timedelta(days=rng.randrange(30, 300))
            registrations.append(Registration(person=person, main_unit=hospital, primary_unit=primary,
                                              referral_unit=referral, effective_from=registered_from, is_change=True,
                                              reason="ย้ายที่อยู่ / moved house", source="demo"))
            changed += 1
        else:
            registrations.append(Registration(person=person, main_unit=hospital, primary_unit=primary,
                                              referral_unit=referral, effective_from=registered_from, source="demo"))
        ctx.progress.advance()
    Coverage.objects.bulk_create(coverages, batch_size=BATCH)
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    newest = Registration.objects.filter(person=OuterRef("pk")).order_by("-effective_from", "-id").values("pk")[:1]
    Person.objects.filter(subdistrict__district__province=province).update(current_registration=Subquery(newest))
    ctx.data["people"] = people
    ctx.data["changed_registrations"] = changed
