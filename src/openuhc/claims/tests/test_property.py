"""Property tests: whatever bytes arrive, the reader and the checks answer with problems, never a crash; a
typed table never holds a value its problems did not accept."""

from __future__ import annotations

import random
import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openuhc.claims import formats, fuzz
from openuhc.claims.checking import check
from openuhc.claims.reader import read_submission

pytestmark = pytest.mark.django_db

SEED = fuzz.seed_files()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(SEED)), data=st.binary(max_size=400))
def test_any_bytes_in_any_file_give_problems_not_a_crash(name, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for file, content in SEED.items():
            (folder / file).write_bytes(data if file == name else content)
        with check(folder, unit_code="56001", received_on=date(2025, 10, 5)) as checked:
            problems = list(checked.problems())
            assert all(p.code and p.message_th and p.message_en for p in problems)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_mutated_submissions_and_zips_never_crash_the_reader(seed):
    rng = random.Random(seed)  # noqa: S311
    with tempfile.TemporaryDirectory() as tmp:
        path = fuzz.one_case(rng, SEED, Path(tmp))
        fuzz.run_one(path, with_rules=False)


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.text(alphabet="0123456789-.e ", max_size=30), min_size=1, max_size=20))
def test_money_is_either_exact_baht_or_reported(values):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        header = "|".join(formats.FILES["CHA"].known)
        lines = [header] + ["|".join({"HN": "H1", "SEQ": f"V{i}", "CHRGITEM": "31", "AMOUNT": v}.get(c, "")
                                     for c in formats.FILES["CHA"].known) for i, v in enumerate(values)]
        (folder / "CHA.txt").write_text("\r\n".join(lines) + "\r\n")
        from openuhc.claims import rules

        with read_submission(folder) as parsed:
            rules.prepare(parsed)
            typed = parsed.table("CHA").read_all().to_pylist()
        assert len(typed) == len(values)
        for row, raw in zip(typed, values, strict=True):
            if re.fullmatch(r"-?[0-9]{1,14}(\.[0-9]{1,2})?", raw.strip()):
                assert row["AMOUNT"] == Decimal(raw.strip())
            else:
                assert row["AMOUNT"] is None
