# ruff: noqa: S608 - SQL is built from the file specs' constant names and from header names quoted by q().
"""Typing the claim files' columns in DuckDB SQL, once, as the rows arrive from the reader.

Each file becomes one table `t_<file>`: the keys and the columns the rules read (`rule_columns`) trimmed, every
typed column typed (dates, times, money, numbers), `_raw_<column>` with the sent text only where a value could
not be typed (the rule field_formats names it), every other column as sent, and `_row`, `_kind`, `_key`, `_hn`
(which claim or patient the row belongs to). Used by the reader (rows straight from pyarrow) and by
rules.prepare (an empty table for a file that was not sent).
"""

from __future__ import annotations

from openuhc.claims import formats

# Text columns the rules read besides each file's required ones (the typed columns are always read: field_formats
# checks them all). Every other column is kept as sent and trimmed only when storing or handing the table on.
RULE_TEXT_COLUMNS = ("HN", "AN", "SEQ", "HCODE", "PERSON_ID", "CID", "INSCL", "HOSPMAIN", "FNAME", "LNAME", "NAMEPAT",
                     "DIAG", "OPER", "UCAE", "AETYPE")


# What DuckDB's trim() strips from either end: the Unicode space separators (category Zs), not tabs or line ends.
# The reader trims the columns the rules read with pyarrow (utf8_trim with these characters) as the rows arrive,
# where it costs a fifth of trim() in the typing SELECT; test_typing_sql checks the set against DuckDB's own.
SPACES = "\u0020\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"


def q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def typed_expr(kind: str, column: str, *, trimmed: bool = False) -> str:
    """SQL typing one column; `trimmed`: the column is already trim()med with '' made NULL."""
    v = q(column) if trimmed else f"nullif(trim({q(column)}), '')"
    if kind == formats.DATE:
        # Eight digits, a real calendar day, a CE year 1800–2199 (a BE year such as 2568 is refused here and named
        # by field_formats).
        return (f"CASE WHEN length({v}) = 8 AND {v} BETWEEN '18000101' AND '21991231' "
                f"THEN CAST(try_strptime({v}, '%Y%m%d') AS DATE) END")
    if kind == formats.TIME:
        return f"CASE WHEN regexp_full_match({v}, '([01][0-9]|2[0-3])[0-5][0-9]') THEN {v} END"
    if kind == formats.MONEY:
        return (f"CASE WHEN regexp_full_match({v}, '-?[0-9]{{1,14}}(\\.[0-9]{{1,2}})?') "
                f"THEN CAST({v} AS DECIMAL(16,2)) END")
    if kind == formats.DECIMAL:
        return (f"CASE WHEN regexp_full_match({v}, '-?[0-9]{{1,9}}(\\.[0-9]{{1,3}})?') "
                f"THEN CAST({v} AS DECIMAL(12,3)) END")
    if kind == formats.INT:
        return f"CASE WHEN length({v}) <= 9 THEN TRY_CAST({v} AS INTEGER) END"
    return f"trim({q(column)})"


def link(spec: formats.FileSpec) -> tuple[str, str, str]:
    """SQL for (kind, key, hn) of a row of this file."""
    if spec.link == "op":
        return "'OP'", "SEQ", "NULL"
    if spec.link == "ip":
        return "'IP'", "AN", "NULL"
    if spec.link == "either":
        return ("CASE WHEN coalesce(AN, '') <> '' THEN 'IP' ELSE 'OP' END",
                "CASE WHEN coalesce(AN, '') <> '' THEN AN ELSE SEQ END", "NULL")
    return "NULL", "NULL", "HN"


def all_columns(spec: formats.FileSpec, sent: list[str]) -> list[str]:
    """The file's columns as sent, then the known ones it lacks (NULL)."""
    return list(sent) + [c for c in spec.known if c not in sent]


def rule_columns(spec: formats.FileSpec, columns: list[str]) -> list[str]:
    wanted = set(spec.required) | set(spec.types) | set(RULE_TEXT_COLUMNS)
    return [c for c in columns if c in wanted]


def create_table_sql(name: str, sent: list[str], source: str) -> str:
    """CREATE TABLE t_<name> from `source` (a relation with the sent columns as text and `_row`), in one scan."""
    return f"CREATE TABLE t_{name.lower()} AS {select_sql(name, sent, source)}"


def select_sql(name: str, sent: list[str], source: str, *, trimmed: bool = False) -> str:
    """The SELECT that types `source` into the columns of t_<name>. `trimmed`: the source's columns that the rules
    read (rule_columns) come already trimmed of SPACES, as trim() would leave them."""
    spec = formats.FILES[name]
    columns = all_columns(spec, sent)
    narrow = rule_columns(spec, columns)
    typed = [c for c in narrow if spec.type_of(c) != formats.TEXT]
    others = [c for c in columns if c not in narrow]

    def trim(c: str) -> str:
        return q(c) if trimmed and c in narrow else f"trim({q(c)})"

    # A line of only blanks and '|' is no row at all (exporters leave them); OR stops at the first filled field, so
    # the trimmed columns come first.
    filled = " OR ".join(f"{trim(c)} <> ''" for c in sorted(sent, key=lambda c: c not in narrow)) or "false"

    def sent_or_null(c: str) -> str:
        return trim(c) if c in sent else "CAST(NULL AS VARCHAR)"

    inner = ", ".join((f"nullif({sent_or_null(c)}, '') AS {q(c)}" if c in typed
                       else f"{sent_or_null(c)} AS {q(c)}") for c in narrow)
    inner += "".join(f", {q(c) if c in sent else 'CAST(NULL AS VARCHAR)'} AS {q(c)}" for c in others)
    middle = ", ".join((f"{typed_expr(spec.type_of(c), c, trimmed=True)} AS {q(c)}, {q(c)} AS {q('_sent_' + c)}"
                        if c in typed else q(c)) for c in narrow)
    middle += "".join(f", {q(c)}" for c in others)
    outer = "".join(f", CASE WHEN {q(c)} IS NULL THEN {q('_sent_' + c)} END AS {q('_raw_' + c)}" for c in typed)
    excluded = "".join(f", {q('_sent_' + c)}" for c in typed)
    kind, key, hn = link(spec)
    return (f"SELECT * EXCLUDE (_row{excluded}){outer}, _row, "
            f"{kind} AS _kind, {key} AS _key, {hn} AS _hn FROM "
            f"(SELECT {middle}, _row FROM (SELECT {inner}, _row FROM {source} WHERE {filled}))")


def wide_view_sql(name: str, sent: list[str]) -> str:
    """w_<name>: t_<name> with every column trimmed and typed, without the `_raw_` helpers (for storing and for
    ParsedSubmission.table())."""
    spec = formats.FILES[name]
    columns = all_columns(spec, sent)
    narrow = rule_columns(spec, columns)
    others = [c for c in columns if c not in narrow]
    raws = "".join(f", {q('_raw_' + c)}" for c in narrow if spec.type_of(c) != formats.TEXT)
    replace = f" REPLACE ({', '.join(f'trim({q(c)}) AS {q(c)}' for c in others)})" if others else ""
    return f"CREATE VIEW w_{name.lower()} AS SELECT * EXCLUDE (_row{raws}){replace}, _row FROM t_{name.lower()}"
