"""Capitation rounds (เหมาจ่ายรายหัว): the registered population of each CUP by age group on the count date,
times the age weights, times the monthly capitation per head, minus the salary deduction of public units.

Each person is counted once in the whole country: at the registration in force on the count date, whichever
region it is in (a person who moved region is counted where they are registered that day, never also at an older
registration elsewhere). The weights are normalised so that the OP capitation paid equals the sub-fund
(reference §2.3: a unit gets OP budget × Σ N_unit·w ÷ Σ N_nation·w, i.e. its weighted heads × the per-head
amount × N_nation ÷ Σ N_nation·w), unless the dated parameter `payment.capitation_normalise_weights` is false,
when they are used as configured.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from openuhc.budget.services import in_force
from openuhc.core import params
from openuhc.core.errors import DomainError
from openuhc.core.money import allocate, baht
from openuhc.payment import owners, workflow
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import CapitationLine, PaymentRun, UnitPayment

PAYEE = "main_unit__cup__main_unit"  # a registration's payee: the unit that leads its main unit's CUP
REGION = "subdistrict__district__province__region"


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def counted_population(*, scheme: Any, on: date, groups: Any, region: Any = None) -> Counter:
    """The people covered by `scheme` and alive on `on`, counted once each at the registration in force that
    day whose main unit belongs to a CUP: Counter[(payee unit id, age group)] — of `region`, or of every region
    when `region` is None. One aggregate query over the registry (see national_counts)."""
    counts = national_counts(scheme=scheme, on=on, groups=groups)
    if region is None:
        return counts
    from openuhc.providers.models import HealthUnit

    here = set(HealthUnit.objects.filter(pk__in={payee for payee, _group in counts}, **{REGION: region})
               .values_list("pk", flat=True))
    return Counter({key: n for key, n in counts.items() if key[0] in here})


def national_counts(*, scheme: Any, on: date, groups: Any) -> Counter:
    """Counter[(payee unit id, age group)] of the whole country on `on`, in one aggregate query: the registration
    in force is the person's current one when it began by then (nearly everyone), else the latest of their history
    that began by then (looked up by index for those few). Someone `a` years old on `on` was born on or before the
    same day `a` years earlier; people outside every age group are not counted."""
    from django.db import connection

    whens: list[str] = []
    params: list[Any] = []
    for group in groups:
        condition = "f.birth_date <= %s"
        params.append(_years_before(on, group.min_age))
        if group.max_age is not None:
            condition += " AND f.birth_date > %s"
            params.append(_years_before(on, group.max_age + 1))
        whens.append(f"WHEN {condition} THEN %s")
        params.append(group.code)
    if not whens:
        return Counter()
    sql = f"""
        WITH covered AS (
            SELECT p.id, p.birth_date, p.current_registration_id FROM registry_person p
            WHERE (p.death_date IS NULL OR p.death_date >= %s) AND p.current_registration_id IS NOT NULL
            AND EXISTS (SELECT 1 FROM registry_coverage c WHERE c.person_id = p.id AND c.scheme_id = %s
                        AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to >= %s))),
        in_force AS (
            SELECT f.birth_date, r.main_unit_id FROM covered f
            JOIN registry_registration r ON r.id = f.current_registration_id WHERE r.effective_from <= %s
            UNION ALL
            SELECT f.birth_date, (SELECT h.main_unit_id FROM registry_registration h WHERE h.person_id = f.id
                                  AND h.effective_from <= %s ORDER BY h.effective_from DESC, h.id DESC LIMIT 1)
            FROM covered f JOIN registry_registration r ON r.id = f.current_registration_id
            WHERE r.effective_from > %s)
        SELECT cup.main_unit_id, g.age_group, count(*) FROM (
            SELECT f.main_unit_id, CASE {" ".join(whens)} END AS age_group FROM in_force f) g
        JOIN providers_healthunit u ON u.id = g.main_unit_id JOIN providers_cup cup ON cup.id = u.cup_id
        WHERE g.age_group IS NOT NULL GROUP BY cup.main_unit_id, g.age_group"""  # noqa: S608 - constant SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, scheme.pk, on, on, on, on, on, *params])
        return Counter({(payee, group): n for payee, group, n in cursor.fetchall()})


def stored_counts(*, scheme: Any, on: date, groups: Any) -> Counter:
    """`national_counts`, counted once per count date: the 13 regional rounds of a month take the count the first
    of them stored (PopulationCount) as long as the registry and the CUPs have not changed since it was taken —
    the same numbers a new count would give. A change (a person, coverage, registration, registry event or import
    added, a CUP or CUP membership added) gives another fingerprint, and the next round counts again."""
    from django.db import IntegrityError

    from openuhc.payment.models import PopulationCount

    key = {"scheme": scheme, "count_date": on, "groups": _groups_digest(groups), "fingerprint": _fingerprint()}
    found = PopulationCount.objects.filter(**key).first()
    if found is not None:
        return Counter({(payee, group): n for payee, group, n in found.counts})
    counts = national_counts(scheme=scheme, on=on, groups=groups)
    try:
        with transaction.atomic():  # two rounds counting at once: the second insert is refused, same numbers
            PopulationCount.objects.create(**key, counts=sorted([payee, group, n]
                                                                for (payee, group), n in counts.items()))
    except IntegrityError:
        pass
    return counts


def _groups_digest(groups: Any) -> str:
    import hashlib

    spec = "|".join(f"{g.code}:{g.min_age}:{g.max_age}" for g in groups)
    return hashlib.sha256(spec.encode()).hexdigest()


def _fingerprint() -> str:
    """The newest row of each table a count reads, taken before counting (a write during the count changes it).
    The registry's services write a RegistryEvent with every change of a person (a death, a coverage closed)."""
    from django.db.models import Max

    from openuhc.providers.models import Cup, CupMembership, HealthUnit
    from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent, RegistryImport

    tables = (Person, Coverage, Registration, RegistryEvent, RegistryImport, Cup, CupMembership, HealthUnit)
    return "/".join(str(model.objects.aggregate(m=Max("pk"))["m"] or 0) for model in tables)


@dataclass(frozen=True)
class GroupCount:
    code: str
    min_age: int
    max_age: int | None
    weight: Decimal
    population: int


def capitation_amounts(groups: list[GroupCount], per_head_year: Decimal,
                       factor: Decimal = Decimal(1)) -> tuple[Decimal, list[Decimal]]:
    """A unit's month: gross = Σ population × weight × factor × per-head amount ÷ 12, rounded half-up to the
    satang, split into the age-group lines in proportion to population × weight (lines sum exactly to gross)."""
    weighted = [Decimal(g.population) * g.weight for g in groups]
    gross = baht(sum(weighted, Decimal(0)) * factor * per_head_year / 12)
    if gross == 0 or sum(weighted, Decimal(0)) == 0:
        return Decimal("0.00"), [Decimal("0.00")] * len(groups)
    return gross, allocate(gross, weighted)


def normalising_factor(national: Counter, config: Any, on: date, scheme: str) -> tuple[Decimal, dict[str, Any]]:
    """N_nation ÷ Σ N_nation·w (reference §2.3), or 1 when the weights are used as given."""
    people = sum(national.values())
    weighted = sum((Decimal(national.get(g.code, 0)) * g.weight for g in config.age_groups), Decimal(0))
    if not params.get("payment.capitation_normalise_weights", on=on, scheme=scheme):
        return Decimal(1), {"normalised": False}
    factor = Decimal(people) / weighted if people and weighted else Decimal(1)
    return factor, {"normalised": True, "national_population": people, "national_weighted": str(weighted),
                    "factor": str(factor.quantize(Decimal("0.00000001")))}


@transaction.atomic
def compute_capitation(*, actor: Any, run: PaymentRun, workers: int = 1, progress: Any = None) -> PaymentRun:
    """Count each CUP's registered population by age group on the first day of the month and pay
    population × weight × (capitation per head ÷ 12), minus the salary deduction of public units (their owner
    that day)."""
    from openuhc.providers.models import HealthUnit

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    done = workflow.check_may_compute(actor, run, PaymentRun.Kind.CAPITATION)
    if done is not None:
        return done
    version = in_force(run.scheme.code, run.period)
    config = version.config
    payees = list(HealthUnit.objects.filter(led_cup__isnull=False, **{REGION: run.region}).order_by("code"))
    if not payees:
        raise DomainError(PaymentError.NO_UNITS, region=run.region.number)
    # One count of the whole country, shared by the month's regional rounds: the region's units take theirs
    # from it, the normalising factor all of it.
    everyone = stored_counts(scheme=run.scheme, on=run.period, groups=config.age_groups)
    here = {unit.pk for unit in payees}
    counts = Counter({key: n for key, n in everyone.items() if key[0] in here})
    national: Counter = Counter()
    for (_payee, group), n in everyone.items():
        national[group] += n
    factor, summary = normalising_factor(national, config, run.period, run.scheme.code)
    public = owners.public_units([u.pk for u in payees], on=run.period, scheme=run.scheme.code)
    lines: list[CapitationLine] = []
    units: list[UnitPayment] = []
    checksum_rows: list[str] = [f"factor|{factor}"]
    population_total = 0
    for unit in payees:
        groups = [GroupCount(g.code, g.min_age, g.max_age, g.weight, counts.get((unit.pk, g.code), 0))
                  for g in config.age_groups]
        gross, amounts = capitation_amounts(groups, config.capitation_per_head, factor)
        salary = baht(gross * config.salary_op_percent / 100) if public[unit.pk] else Decimal("0.00")
        population = sum(g.population for g in groups)
        population_total += population
        units.append(UnitPayment(run=run, unit=unit, population=population, gross=gross, salary_deduction=salary,
                                 net=gross - salary))
        checksum_rows.append(f"{unit.code}|{population}|{gross}|{salary}")
        for group, amount in zip(groups, amounts, strict=True):
            lines.append(CapitationLine(run=run, unit=unit, age_group=group.code, min_age=group.min_age,
                                        max_age=group.max_age, population=group.population, weight=group.weight,
                                        amount=amount))
            checksum_rows.append(f"{unit.code}|{group.code}|{group.population}|{group.weight}|{amount}")
    UnitPayment.objects.bulk_create(units)
    CapitationLine.objects.bulk_create(lines)
    return workflow.finish(run, actor=actor, version=version, units=units, population=population_total, claims=0,
                           checksum_rows=checksum_rows, summary=summary)


ROUND = workflow.RoundKind(PaymentRun.Kind.CAPITATION, compute_capitation)
