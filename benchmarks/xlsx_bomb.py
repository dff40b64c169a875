"""The review's import bomb: an .xlsx of a few MB holding 1,500,000 shared strings. Each reader runs in a fresh
process (so that one's memory does not hide the other's) and reports the peak resident memory (ru_maxrss) and
the time to the first row, for openpyxl in read-only mode and for OpenUHC's streaming reader (core/xlsx.py)
with its default limits and with the cell limit lowered to refuse the file.

    .venv/bin/python benchmarks/xlsx_bomb.py [--strings 1500000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def build(path: Path, strings: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="xml" ContentType="application/xml"/>'
                      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                      '.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                      '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
                      '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                      '.sharedStrings+xml"/></Types>')
        book.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                      'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", f'<workbook {NS} {REL}><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
                      "</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                      '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                      'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                      'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        with book.open("xl/sharedStrings.xml", "w") as handle:
            handle.write(f'<sst {NS} count="{strings}" uniqueCount="{strings}">'.encode())
            for start in range(0, strings, 100_000):
                handle.write("".join(f"<si><t>{i}</t></si>" for i in range(start, min(strings, start + 100_000)))
                             .encode())
            handle.write(b"</sst>")
        book.writestr("xl/worksheets/sheet1.xml", f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v>'
                      "</c></row></sheetData></worksheet>")


def child(reader: str, path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    started = time.perf_counter()
    outcome = "read"
    if reader == "django-only":  # the same process with nothing read: what the other figures start from
        import django

        django.setup()
    elif reader == "openpyxl":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        next(book.worksheets[0].iter_rows(values_only=True))
    else:
        import django

        django.setup()
        from openuhc.core.errors import DomainError
        from openuhc.core.xlsx import MAX_CELL_CHARS, MAX_CELLS, MAX_UNPACKED_MB, Limits, XlsxReader

        # the parameters' defaults (no database needed); the second run lowers the cell limit below the file's
        cells = MAX_CELLS.default if reader == "openuhc" else 1_000_000
        limits = Limits(MAX_UNPACKED_MB.default * 1024 * 1024, cells, MAX_CELL_CHARS.default)
        try:
            with XlsxReader(Path(path), limits) as book:
                next(book.rows())
        except DomainError as error:
            outcome = f"refused ({error.code})"
    print(json.dumps({"reader": reader, "outcome": outcome, "seconds": round(time.perf_counter() - started, 2),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strings", type=int, default=1_500_000)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bomb.xlsx"
        build(path, args.strings)
        print(f"{path.stat().st_size / 1e6:.1f} MB file, {args.strings:,} shared strings")
        env = {**os.environ, "OPENUHC_DATA_DIR": folder}
        for reader in ("django-only", "openpyxl", "openuhc", "openuhc-limit-1M"):
            subprocess.run([sys.executable, __file__, "--child", reader, str(path)], env=env, check=True)


if __name__ == "__main__":
    main()
