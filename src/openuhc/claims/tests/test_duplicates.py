"""Duplicates and overlaps across submissions (and within one): each rule on its own, against claims stored by
an earlier submission through the services."""

from __future__ import annotations

from datetime import date

from openuhc.claims import services
from openuhc.claims.checking import check
from openuhc.claims.models import Claim
from openuhc.claims.samples import SubmissionBuilder
from openuhc.claims.tests.conftest import RECEIVED, SERVICE_DAY, clean_builder


def _problems(builder, tmp_path, name, *, only, unit="56001"):  # noqa: ANN001, ANN202
    folder = builder.write(tmp_path / name)
    with check(folder, unit_code=unit, received_on=RECEIVED, only_rules=only) as checked:
        return [(p.code, p.file, p.field, p.klass, p.message_en) for p in checked.problems()]


def _store(builder, tmp_path, name="first", unit="56001"):  # noqa: ANN001, ANN202
    return services.submit(builder.write(tmp_path / name), unit_code=unit, actor=None)


# --- earlier_visits (179) ------------------------------------------------------------------------------------
def test_earlier_visits_names_a_visit_already_stored_under_another_seq(builder, tmp_path, world):
    _store(builder, tmp_path)
    again = clean_builder(world)
    next(r for r in again.rows["OPD"] if r["SEQ"] == "V1")["SEQ"] = "V9"
    for file in ("ODX", "CHT", "CHA", "DRU"):
        for row in again.rows[file]:
            if row.get("SEQ") == "V1":
                row["SEQ"] = "V9"
    problems = _problems(again, tmp_path, "second", only=["earlier_visits"])
    assert [(c, f, fld, k) for c, f, fld, k, _ in problems] == [("179", "OPD", "DATEOPD", "fix")]
    assert "SEQ V1" in problems[0][4]


def test_earlier_visits_sending_the_same_seq_again_is_a_replacement_not_a_duplicate(builder, tmp_path, world):
    _store(builder, tmp_path)
    assert _problems(clean_builder(world), tmp_path, "second", only=["earlier_visits"]) == []
    # The stored V1 is sent again with a new visit V9 the same day: V1 is being replaced, so only the
    # within-submission check (152, verify) speaks.
    again = clean_builder(world)
    again.visit(hn="H1", seq="V9", on=SERVICE_DAY)
    assert _problems(again, tmp_path, "third", only=["earlier_visits"]) == []
    assert [p[0] for p in _problems(again, tmp_path, "fourth", only=["duplicates"])] == ["152"]


def test_earlier_visits_ignores_rejected_earlier_claims_and_other_units(builder, tmp_path, world):
    next(r for r in builder.rows["CHT"] if r["SEQ"] == "V1")["TOTAL"] = "999.00"  # V1 is stored as rejected
    _store(builder, tmp_path)
    assert Claim.objects.get(key="V1").status == "rejected"
    again = SubmissionBuilder("56001")
    a = world.people["a"]
    again.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex)
    again.visit(hn="H1", seq="V9", on=SERVICE_DAY)
    assert _problems(again, tmp_path, "second", only=["earlier_visits"]) == []
    other = SubmissionBuilder("56002")
    other.patient(hn="X1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex)
    other.visit(hn="X1", seq="V1", on=SERVICE_DAY)
    assert _problems(other, tmp_path, "third", only=["earlier_visits"], unit="56002") == []


# --- locked_claims (142) -------------------------------------------------------------------------------------
def test_locked_claims_a_priced_or_paid_claim_sent_again_is_named_by_the_check(builder, tmp_path, world):
    _store(builder, tmp_path)
    claim = Claim.objects.get(key="A1")
    for status in ("grouped", "priced"):
        services.record_event(claim, status, actor=None)
    problems = _problems(clean_builder(world), tmp_path, "second", only=["locked_claims"])
    assert [(c, f, fld, k) for c, f, fld, k, _ in problems] == [("142", "IPD", "AN", "deny")]
    assert "A1" in problems[0][4]
    # Another unit's AN A1 is another admission.
    assert _problems(clean_builder(world), tmp_path, "third", only=["locked_claims"], unit="56002") == []


def test_locked_claims_storing_gives_the_problem_once(builder, tmp_path, world):
    _store(builder, tmp_path)
    claim = Claim.objects.get(key="V1")
    for status in ("grouped", "priced", "paid"):
        services.record_event(claim, status, actor=None)
    second = _store(clean_builder(world), tmp_path, "second")
    again = Claim.objects.get(key="V1", submission=second)
    assert (again.status, again.is_current) == ("rejected", False)
    assert list(again.problems.values_list("code", flat=True)) == ["142"]


# --- overlapping_stays (151) ---------------------------------------------------------------------------------
def test_overlapping_stays_within_the_submission(builder, tmp_path):
    # A1: 10 Sep 08:00 – 14 Sep 10:00 for H1.
    builder.admission(hn="H1", an="A2", admitted=date(2025, 9, 14), discharged=date(2025, 9, 16),
                      times=("1000", "1200"))  # a transfer at the minute of discharge: no overlap
    builder.admission(hn="H1", an="A3", admitted=date(2025, 9, 13), discharged=date(2025, 9, 13))
    builder.visit(hn="H1", seq="V3", on=date(2025, 9, 11))  # 09:30, during A1
    builder.visit(hn="H1", seq="V4", on=date(2025, 9, 17))  # after every stay
    builder.visit(hn="H2", seq="V5", on=date(2025, 9, 11))  # another person
    problems = _problems(builder, tmp_path, "s", only=["overlapping_stays"])
    assert sorted((c, f, fld, k) for c, f, fld, k, _ in problems) == [("151", "IPD", "DATEADM", "fix"),
                                                                       ("151", "OPD", "DATEOPD", "fix")]
    messages = sorted(p[4] for p in problems)
    assert "AN A1 (in this submission)" in messages[0] and "AN A1 (in this submission)" in messages[1]


def test_overlapping_stays_against_claims_stored_earlier(builder, tmp_path, world):
    _store(builder, tmp_path)  # V1 on 3 Sep 09:30; A1 10–14 Sep
    a = world.people["a"]
    again = SubmissionBuilder("56001")
    again.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex)
    again.admission(hn="H1", an="A5", admitted=date(2025, 9, 2), discharged=date(2025, 9, 4))  # holds V1
    again.visit(hn="H1", seq="V7", on=date(2025, 9, 12))  # inside A1
    problems = _problems(again, tmp_path, "second", only=["overlapping_stays"])
    named = sorted((c, f, "SEQ V1 (sent earlier)" in m, "AN A1 (sent earlier)" in m) for c, f, _, _, m in problems)
    assert named == [("151", "IPD", True, False), ("151", "OPD", False, True)]
    # Sending A1 again with other dates replaces it: it is no rival of itself.
    resent = clean_builder(world)
    resent.rows["IPD"][0]["DATEDSC"] = "20250915"
    assert _problems(resent, tmp_path, "third", only=["overlapping_stays"]) == []


def test_overlapping_stays_when_only_op_visits_were_stored_earlier(tmp_path, world):
    # Regression: stored rows without any discharge date used to reach DuckDB as a column of type NULL and the
    # check failed ("+(NULL, INTERVAL)") instead of comparing.
    a = world.people["a"]
    first = SubmissionBuilder("56001")
    first.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex)
    first.visit(hn="H1", seq="V1", on=SERVICE_DAY)
    _store(first, tmp_path)
    again = SubmissionBuilder("56001")
    again.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex)
    again.admission(hn="H1", an="A5", admitted=date(2025, 9, 2), discharged=date(2025, 9, 4))  # holds V1
    problems = _problems(again, tmp_path, "second", only=["overlapping_stays"])
    assert [(c, f) for c, f, *_ in problems] == [("151", "IPD")]
    assert "SEQ V1 (sent earlier)" in problems[0][4]


# --- overlapping_admissions (150) ----------------------------------------------------------------------------
def test_overlapping_admissions_at_another_unit(builder, tmp_path, world):
    _store(builder, tmp_path)  # A1 at 56001, 10–14 Sep
    a = world.people["a"]
    other = SubmissionBuilder("56002")
    other.patient(hn="X1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex)
    other.admission(hn="X1", an="B1", admitted=date(2025, 9, 12), discharged=date(2025, 9, 13))
    other.admission(hn="X1", an="B2", admitted=date(2025, 9, 14), discharged=date(2025, 9, 15),
                    times=("1000", "1000"))  # referred on at A1's discharge: fine
    problems = _problems(other, tmp_path, "second", only=["overlapping_admissions"], unit="56002")
    assert [(c, f, fld, k) for c, f, fld, k, _ in problems] == [("150", "IPD", "DATEADM", "fix")]
    assert "unit 56001 (AN A1)" in problems[0][4]
    # The same unit's own overlaps are 151's business, not 150's.
    same = clean_builder(world)
    same.admission(hn="H1", an="A9", admitted=date(2025, 9, 12), discharged=date(2025, 9, 13))
    assert _problems(same, tmp_path, "third", only=["overlapping_admissions"]) == []


def test_the_stored_claim_rules_need_no_stored_claims_and_no_unit(builder, tmp_path):
    rules = ["locked_claims", "earlier_visits", "overlapping_stays", "overlapping_admissions"]
    assert _problems(builder, tmp_path, "s", only=rules) == []
    assert _problems(builder, tmp_path, "t", only=rules, unit="") == []
