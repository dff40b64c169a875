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
    MISSING_KEYS = ("missing_keys", "{function} needs whole groups of ({keys}) but the input has no column {columns}.",
                    "{function} ต้องการข้อมูลครบทั้งกลุ่มตาม ({keys}) แต่แฟ้มนำเข้าไม่มีคอลัมน์ {columns}")
    UNKNOWN_RUNNER = ("unknown_runner", "No runner {runner!r}; use in-process or spark.",
                      "ไม่มีตัวประมวลผล {runner!r} ให้ใช้ in-process หรือ spark")
    SPARK_MISSING = ("spark_missing", "Apache Spark is not installed here: pip install 'openuhc[spark]' ({reason}).",
                     "เครื่องนี้ยังไม่ได้ติดตั้ง Apache Spark: pip install 'openuhc[spark]' ({reason})")
    NO_JAVA = ("no_java", "Apache Spark needs Java 17 or newer: install it (Debian: openjdk-17-jre-headless) or "
               "set JAVA_HOME ({reason}).",
               "Apache Spark ต้องใช้ Java 17 ขึ้นไป ให้ติดตั้ง (Debian: openjdk-17-jre-headless) หรือตั้งค่า JAVA_HOME "
               "({reason})")
    SPARK_CONF = ("spark_conf", "OPENUHC_SPARK_CONF is not a JSON object of Spark settings: {reason}",
                  "OPENUHC_SPARK_CONF ไม่ใช่ JSON object ของค่าตั้ง Spark: {reason}")
    SPARK_START = ("spark_start", "Apache Spark did not start with master {master}: {reason}",
                   "Apache Spark เริ่มทำงานด้วย master {master} ไม่ได้: {reason}")
    SPARK_OTHER_MASTER = ("spark_other_master", "This process already runs Spark with master {current}; it cannot "
                          "also use {master}.", "โปรเซสนี้ใช้ Spark กับ master {current} อยู่แล้ว จึงใช้ {master} ไม่ได้")
    SPARK_FAILED = ("spark_failed", "The Spark job failed: {reason}", "งาน Spark ล้มเหลว: {reason}")
    CHECK_DIFFERS = ("check_differs", "Spark's output differs from the in-process output: {spark} ≠ {local}.",
                     "ผลลัพธ์จาก Spark ไม่ตรงกับผลลัพธ์ในเครื่อง: {spark} ≠ {local}")
