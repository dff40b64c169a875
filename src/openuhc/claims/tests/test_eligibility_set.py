"""The set-based eligibility check of a whole submission gives, claim by claim, what the one-person check
(`check_eligibility`, kept for the eligibility page and API) says — on a generated submission with eligible,
ineligible, dead, unregistered and moved people, and the date edges of each."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from openuhc.claims.checking import check
from openuhc.claims.errors import ClaimError
from openuhc.claims.samples import SubmissionBuilder
from openuhc.claims.tests.conftest import RECEIVED
from openuhc.core import params
from openuhc.registry import services as registry
from openuhc.registry.eligibility import check_eligibility
from openuhc.registry.models import Coverage, Scheme
from openuhc.testing.world import add_person, make_cid

EDGE = date(2025, 9, 10)
DAYS = [EDGE - timedelta(days=1), EDGE, EDGE + timedelta(days=1)]


def _people(world: Any) -> list[Any]:
    """Everyone whose answer changes on EDGE, plus the steady cases."""
    sub = world.hospital_a.subdistrict
    people = [world.people[name] for name in ("a", "b", "far", "sss")]
    died = add_person(subdistrict=sub, first="ตาย")  # dies on EDGE: covered that day, not the next
    registry.register(actor=None, person=died, main_unit=world.hospital_a, primary_unit=world.shph_a,
                      referral_unit=world.hospital_a, effective_from=date(2021, 1, 1))
    registry.record_death(actor=None, person=died, death_date=EDGE, source="test")
    long_dead = add_person(subdistrict=sub, first="ตายนาน")
    registry.record_death(actor=None, person=long_dead, death_date=date(2020, 1, 1), source="test")
    ended = add_person(subdistrict=sub, first="หมดสิทธิ")  # coverage ends on EDGE
    registry.end_coverage(actor=None, coverage=Coverage.objects.get(person=ended), valid_to=EDGE)
    starts = add_person(subdistrict=sub, first="เริ่มสิทธิ", covered_from=EDGE)  # coverage starts on EDGE
    never = add_person(subdistrict=sub, first="ไม่มีสิทธิ", scheme=None)
    moved = add_person(subdistrict=sub, first="ย้าย")  # registered with A, then with B from EDGE
    registry.register(actor=None, person=moved, main_unit=world.hospital_a, primary_unit=world.shph_a,
                      referral_unit=world.hospital_a, effective_from=date(2021, 1, 1))
    registry.register(actor=None, person=moved, main_unit=world.hospital_b, primary_unit=world.shph_b,
                      referral_unit=world.hospital_a, effective_from=EDGE)
    unregistered = add_person(subdistrict=sub, first="ไม่ลงทะเบียน")  # UCS without a registered unit
    switched = add_person(subdistrict=sub, first="เปลี่ยนสิทธิ")  # UCS, then SSS from EDGE + 1
    registry.register(actor=None, person=switched, main_unit=world.hospital_b, primary_unit=world.shph_b,
                      referral_unit=world.hospital_b, effective_from=date(2021, 1, 1))
    registry.add_coverage(actor=None, person=switched, scheme=Scheme.objects.get(code="SSS"),
                          valid_from=EDGE + timedelta(days=1))
    return [*people, died, long_dead, ended, starts, never, moved, unregistered, switched]


def _submission(world: Any) -> tuple[SubmissionBuilder, list[tuple[str, str, str, date]]]:
    builder = SubmissionBuilder("56001")
    claims = []
    unknown = make_cid("110170020345")
    for n, (cid, birth, sex) in enumerate([(p.citizen_id, p.birth_date, p.sex) for p in _people(world)]
                                          + [(unknown, date(1990, 1, 1), 2)]):
        hn = f"H{n}"
        builder.patient(hn=hn, cid=cid, dob=birth, sex=sex)
        for d, day in enumerate(DAYS):
            seq = f"V{n}-{d}"
            builder.visit(hn=hn, seq=seq, on=day)
            claims.append(("OP", seq, cid, day))
        an = f"A{n}"
        builder.admission(hn=hn, an=an, admitted=EDGE, discharged=EDGE + timedelta(days=2))
        claims.append(("IP", an, cid, EDGE))
    return builder, claims


def _one_by_one(kind: str, cid: str, day: date) -> tuple[Any, Any]:
    """The per-person answer, turned into the claim's problem and its `eligible` row as claims checking did it
    before it became set-based (one `check_eligibility` per person and day)."""
    result = check_eligibility(cid, day)
    reg, value = result.registration, day.isoformat()
    row = None
    if result.person is not None:
        units = sorted({reg.main_unit.code, reg.primary_unit.code, reg.referral_unit.code}) if reg else []
        row = (result.person.pk, result.coverage.scheme.code if result.coverage else "", units,
               reg.main_unit_id if reg else None)
    date_field = "DATEOPD" if kind == "OP" else "DATEADM"
    if not result.eligible:
        if result.reason_code == "dead":
            return (ClaimError.DEAD.code, date_field, value, result.person.death_date.isoformat(), None), row
        detail = {"unknown_id": "not in the registry", "no_coverage": "no coverage on that date"}.get(
            result.reason_code, result.error.message_en)
        return (ClaimError.NO_RIGHT.code, "PERSON_ID", value, None, detail), row
    if result.coverage.scheme.code not in params.get("claims.fund_schemes", on=day):
        return (ClaimError.OTHER_SCHEME.code, "PERSON_ID", value, result.coverage.scheme.code, None), row
    return None, row


def test_the_set_based_check_answers_every_claim_as_the_one_person_check_does(world, tmp_path):
    # The fund's schemes change on EDGE as well: SSS members become the fund's from that day.
    params.set_value("claims.fund_schemes", ["UCS", "SSS"], valid_from=EDGE)
    builder, claims = _submission(world)
    folder = builder.write(tmp_path / "sub")
    with check(folder, unit_code="56001", received_on=RECEIVED, only_rules=["eligibility"]) as checked:
        con = checked.ctx.con
        found = {(kind, key): (code, field, value, expected, detail) for kind, key, code, field, value, expected, detail
                 in con.execute('SELECT kind, "key", code, field, value, expected, detail FROM problems').fetchall()}
        rows = con.execute("SELECT count(*) FROM problems").fetchall()[0][0]
        eligible = {(kind, key): (pid, scheme, list(units), main) for kind, key, pid, scheme, units, main
                    in con.execute('SELECT kind, "key", person_id, scheme, units, main_unit_id FROM eligible')
                    .fetchall()}
    assert rows == len(found)  # at most one eligibility problem per claim
    expected_problems, expected_rows = {}, {}
    for kind, key, cid, day in claims:
        problem, row = _one_by_one(kind, cid, day)
        if problem is not None:
            expected_problems[(kind, key)] = problem
        if row is not None:
            expected_rows[(kind, key)] = row
    assert found == expected_problems
    assert eligible == expected_rows
    # The cases the submission was built for are all there.
    codes = sorted({p[0] for p in found.values()})
    assert codes == sorted({ClaimError.DEAD.code, ClaimError.NO_RIGHT.code, ClaimError.OTHER_SCHEME.code})
    moved_units = {eligible[("OP", key)][2][0] for key in ("V9-0", "V9-1")}
    assert moved_units == {"05601", "05602"}


def test_a_submission_of_only_unknown_people_is_answered_in_one_step(world, tmp_path):
    builder = SubmissionBuilder("56001")
    for n in range(30):
        builder.patient(hn=f"H{n}", cid=make_cid(f"3{n:011d}"), dob=date(1990, 1, 1), sex=1)
        builder.visit(hn=f"H{n}", seq=f"V{n}", on=EDGE)
    with check(builder.write(tmp_path / "sub"), unit_code="56001", received_on=RECEIVED,
               only_rules=["eligibility"]) as checked:
        assert {p.code for p in checked.problems()} == {ClaimError.NO_RIGHT.code}
        assert sum(1 for _ in checked.problems()) == 30
