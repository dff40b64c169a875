"""The reader: every bad input the issue lists gets a clear problem, and nothing crashes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from openuhc.claims.reader import Limits, read_submission
from openuhc.claims.samples import SubmissionBuilder

pytestmark = pytest.mark.django_db

OPD_HEADER = "HN|CLINIC|DATEOPD|TIMEOPD|SEQ|UUC"


def _codes(parsed) -> list[str]:  # noqa: ANN001
    return [p.code for p in parsed.problems]


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "sub"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _zip(tmp_path: Path, members: dict[str, bytes], name: str = "s.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_a_clean_zip_and_the_same_folder_read_alike_in_utf8_and_tis620(tmp_path):
    b = SubmissionBuilder("56001")
    b.patient(hn="H1", cid="1234567890121", dob=None, sex=1, fname="สมหญิง", lname="ใจดี")
    b.visit(hn="H1", seq="V1", on=None)
    zip_path = tmp_path / "s.zip"
    zip_path.write_bytes(b.zip_bytes(encoding="cp874"))
    with read_submission(zip_path) as parsed:
        assert parsed.usable and parsed.problems == []
        assert parsed.encodings["PAT"] == "cp874"
        assert parsed.connection.execute("SELECT FNAME FROM raw_pat").fetchall()[0][0] == "สมหญิง"
    with read_submission(b.write(tmp_path / "f", encoding="utf-8")) as parsed:
        assert parsed.encodings["PAT"] == "utf-8"
        assert parsed.connection.execute("SELECT FNAME FROM raw_pat").fetchall()[0][0] == "สมหญิง"


def test_mixed_crlf_lf_and_bare_cr_line_ends_are_all_read_and_line_numbers_stay_true(tmp_path):
    text = f"{OPD_HEADER}\r\nH1|01|20250903|0900|V1|1\nH2|01|20250903|0900|V2|1\rH3|01|20250903|0900|V3\r\n"
    with read_submission(_folder(tmp_path, {"OPD.txt": text.encode()})) as parsed:
        assert parsed.files["OPD"].rows == 2
        assert [(p.code, p.line) for p in parsed.problems] == [("011", 4)]


def test_a_file_in_neither_utf8_nor_tis620_is_refused_with_the_offset(tmp_path):
    data = f"{OPD_HEADER}\r\nH1|01|20250903|0900|V1|1\r\n".encode() + b"\xff\xfe\xdb\r\n"
    with read_submission(_folder(tmp_path, {"OPD.txt": data})) as parsed:
        assert _codes(parsed) == ["006"]
        assert not parsed.usable
        assert "offset" in parsed.problems[0].message_en


def test_a_file_mixing_utf8_and_tis620_is_refused(tmp_path):
    data = (f"{OPD_HEADER}\r\n".encode() + "H1|คลินิก|20250903|0900|V1|1\r\n".encode()
            + "H2|คลินิก|20250903|0900|V2|1\r\n".encode("cp874"))
    with read_submission(_folder(tmp_path, {"OPD.txt": data})) as parsed:
        assert _codes(parsed) == ["007"]


def test_a_declared_encoding_is_used_and_checked(tmp_path):
    data = f"{OPD_HEADER}\r\n".encode() + "H1|คลินิก|20250903|0900|V1|1\r\n".encode("cp874")
    with read_submission(_folder(tmp_path, {"OPD.txt": data}), encoding="tis-620") as parsed:
        assert parsed.encodings["OPD"] == "cp874" and parsed.problems == []
    with read_submission(_folder(tmp_path, {"OPD.txt": data}), encoding="utf-8") as parsed:
        assert _codes(parsed) == ["006"]


def test_a_missing_header_line_is_named(tmp_path):
    with read_submission(_folder(tmp_path, {"OPD.txt": b"H1|01|20250903|0900|V1|1\r\n"})) as parsed:
        assert _codes(parsed) == ["008"]
        assert "H1|01" in parsed.problems[0].message_en


def test_an_empty_file_is_refused(tmp_path):
    with read_submission(_folder(tmp_path, {"OPD.txt": b""})) as parsed:
        assert _codes(parsed) == ["005"] and not parsed.usable


def test_a_missing_required_column_is_a_file_level_error_and_extra_columns_are_kept(tmp_path):
    with read_submission(_folder(tmp_path, {"OPD.txt": b"HN|CLINIC|TIMEOPD|SEQ\r\nH1|01|0900|V1\r\n"})) as parsed:
        assert [(p.code, p.field) for p in parsed.problems] == [("009", "DATEOPD")]
        assert not parsed.usable
    data = f"{OPD_HEADER}|MYFIELD\r\nH1|01|20250903|0900|V1|1|kept\r\n".encode()
    with read_submission(_folder(tmp_path, {"OPD.txt": data})) as parsed:
        assert parsed.usable
        assert parsed.connection.execute("SELECT MYFIELD FROM raw_opd").fetchall()[0][0] == "kept"


def test_lines_with_extra_or_missing_fields_are_reported_by_line(tmp_path):
    data = f"{OPD_HEADER}\r\nH1|01|20250903|0900|V1|1|x\r\nH2|01\r\nH3|01|20250903|0900|V3|1\r\n".encode()
    with read_submission(_folder(tmp_path, {"OPD.txt": data})) as parsed:
        assert [(p.code, p.line) for p in parsed.problems] == [("011", 2), ("011", 3)]
        assert parsed.files["OPD"].rows == 1
        assert parsed.files["OPD"].line_of(0) == 4


def test_a_file_beyond_the_bad_line_limit_is_refused_as_a_whole(tmp_path):
    data = (OPD_HEADER + "\r\n" + "x|y\r\n" * 50).encode()
    with read_submission(_folder(tmp_path, {"OPD.txt": data}), limits=Limits(max_bad_lines=10)) as parsed:
        assert "022" in _codes(parsed) and not parsed.usable


@pytest.mark.parametrize("member", ["../OPD.txt", "/etc/OPD.txt", "a/../../OPD.txt", "C:/OPD.txt"])
def test_unsafe_paths_in_a_zip_are_refused_and_nothing_is_written_outside(tmp_path, member):
    path = _zip(tmp_path, {member: f"{OPD_HEADER}\r\n".encode()})
    with read_submission(path) as parsed:
        assert _codes(parsed) == ["002"]
    assert not (tmp_path.parent / "OPD.txt").exists()


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    path = _zip(tmp_path, {"OPD.txt": OPD_HEADER.encode() + b"\r\n" + b"0" * (30 << 20)})
    with read_submission(path) as parsed:
        assert _codes(parsed) == ["003"]
        assert "zip bomb" in parsed.problems[0].message_en


def test_a_zip_over_the_size_or_member_limit_is_refused(tmp_path):
    path = _zip(tmp_path, {f"f{i}.txt": b"x" for i in range(5)})
    with read_submission(path, limits=Limits(max_members=3)) as parsed:
        assert _codes(parsed) == ["003"]
    path = _zip(tmp_path, {"OPD.txt": b"x" * 5000}, name="big.zip")
    with read_submission(path, limits=Limits(max_total_bytes=1000)) as parsed:
        assert _codes(parsed) == ["003"]


def test_a_zip_whose_sizes_lie_is_stopped_at_the_declared_size(tmp_path):
    path = _zip(tmp_path, {"OPD.txt": (OPD_HEADER + "\r\n" + "H1|01|20250903|0900|V1|1\r\n" * 100).encode()})
    data = bytearray(path.read_bytes())
    # Patch the uncompressed size in the central directory and the local header to a smaller value.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        real = archive.infolist()[0].file_size
    small = (100).to_bytes(4, "little")
    data = data.replace(real.to_bytes(4, "little"), small)
    path.write_bytes(bytes(data))
    with read_submission(path) as parsed:
        assert _codes(parsed) in (["003"], ["001"])


def test_not_a_zip_and_a_missing_path_are_unreadable(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    with read_submission(tmp_path / "x.zip") as parsed:
        assert _codes(parsed) == ["001"]
    with read_submission(tmp_path / "nothing-here") as parsed:
        assert _codes(parsed) == ["001"]


def test_unknown_files_are_ignored_with_a_note_and_duplicates_refused(tmp_path):
    folder = _folder(tmp_path, {"README.md": b"hello", "OPD.txt": f"{OPD_HEADER}\r\n".encode(),
                                "opd_10716.TXT": f"{OPD_HEADER}\r\n".encode()})
    with read_submission(folder) as parsed:
        assert sorted(_codes(parsed)) == ["012", "014"]


def test_a_file_larger_than_one_block_streams_through_with_true_line_numbers(tmp_path):
    line = "H1|01|20250903|0900|V{}|1\r\n"
    rows = 200_000  # ~5 MB: more than one 4 MB block
    data = (OPD_HEADER + "\r\n" + "".join(line.format(i) for i in range(rows)) + "bad|line\r\n").encode()
    with read_submission(_folder(tmp_path, {"OPD.txt": data})) as parsed:
        assert parsed.files["OPD"].rows == rows
        assert [(p.code, p.line) for p in parsed.problems] == [("011", rows + 2)]


def test_reading_a_folder_leaves_the_senders_files_untouched(tmp_path):
    data = f"{OPD_HEADER}\r\nH1|01|20250903|0900|V1|1\r\n".encode()
    folder = _folder(tmp_path, {"OPD.txt": data})
    with read_submission(folder) as parsed:
        assert parsed.files["OPD"].rows == 1
    assert (folder / "OPD.txt").read_bytes() == data


def test_the_reader_trims_the_characters_duckdb_trim_strips_and_no_others():
    import duckdb

    from openuhc.claims.typing_sql import SPACES

    stripped = duckdb.connect().execute("""
        SELECT list(cp ORDER BY cp) FROM range(1, 1114112) t(cp)
        WHERE (cp < 55296 OR cp > 57343) AND trim(chr(CAST(cp AS INTEGER))) = ''""").fetchone()[0]
    assert [ord(c) for c in SPACES] == stripped


def test_values_padded_with_spaces_of_any_kind_are_typed_and_kept_as_trim_leaves_them(tmp_path):
    # U+00A0 and U+3000 are trimmed like ' '; a tab and a zero-width space are not (the value stays unreadable).
    text = (f"{OPD_HEADER}|DETAIL\r\n"
            "\u00a0H1 |01|\u300020250903\u00a0|0900 |V1|1| kept as sent \r\n"
            "H2|01|\t20250903|0900|\u200bV2|1|\r\n"
            " \u3000 | | |\u00a0| | |\r\n")
    with read_submission(_folder(tmp_path, {"OPD.txt": text.encode()})) as parsed:
        assert parsed.files["OPD"].rows == 3
        rows = parsed.connection.execute(
            'SELECT HN, DATEOPD, "_raw_DATEOPD", TIMEOPD, SEQ, DETAIL FROM raw_opd ORDER BY _row').fetchall()
    from datetime import date

    assert rows == [("H1", date(2025, 9, 3), None, "0900", "V1", " kept as sent "),
                    ("H2", None, "\t20250903", "0900", "\u200bV2", "")]
