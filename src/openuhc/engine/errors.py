from __future__ import annotations

from openuhc.core.errors import Coded


class EngineError(Coded):
    UNKNOWN_FUNCTION = ("unknown_function", "No batch function {name!r}; registered: {known}.",
                        "ไม่มีฟังก์ชันประมวลผล {name!r} ที่ลงทะเบียนไว้คือ: {known}")
    NO_INPUT = ("no_input", "{path} is not a Parquet file.", "{path} ไม่ใช่แฟ้ม Parquet")
    INPUT_CHANGED = ("input_changed", "The input file changed since the run started (checksum differs): start a new "
                     "run.", "แฟ้มข้อมูลนำเข้าเปลี่ยนไปหลังเริ่มงาน (checksum ไม่ตรง) ให้เริ่มงานใหม่")
    CHUNK_FAILED = ("chunk_failed", "Chunk {index} failed: {reason}", "ส่วนที่ {index} ล้มเหลว: {reason}")
    UNKNOWN_RUN = ("unknown_run", "No run {run}.", "ไม่มีงาน {run}")
