"""Error codes of the payment app (Thai and English)."""

from __future__ import annotations

from openuhc.core.errors import Coded


class PaymentError(Coded):
    # pricing input
    MISSING_COLUMNS = ("pricing_missing_columns", "The claims lack the columns: {columns}.",
                       "ข้อมูลเคลมไม่มีคอลัมน์: {columns}")
    NULLS = ("pricing_nulls", "Column {column} is empty in {count} rows.",
             "คอลัมน์ {column} ว่างอยู่ {count} แถว")
    DUPLICATE_CLAIM = ("pricing_duplicate_claim",
                       "Claim {claim_id} appears twice in the input; a claim is priced once.",
                       "เคลม {claim_id} ปรากฏซ้ำในข้อมูล เคลมหนึ่งคิดราคาได้ครั้งเดียว")
    NEGATIVE = ("pricing_negative", "Column {column} has a negative value.", "คอลัมน์ {column} มีค่าติดลบ")
    MONEY_COLUMN = ("pricing_money_column",
                    "Column {column} must be decimal baht (decimal128 with 2 places), not {kind}.",
                    "คอลัมน์ {column} ต้องเป็นจำนวนเงินบาทแบบทศนิยม 2 ตำแหน่ง ไม่ใช่ {kind}")
    UNKNOWN_MULTIPLIER = ("pricing_unknown_multiplier", "Unknown multiplier codes: {codes}.",
                          "ไม่รู้จักรหัสตัวคูณ: {codes}")
    NO_BUDGET = ("pricing_no_budget", "Region {region} has no inpatient budget for {month}.",
                 "เขต {region} ไม่มีงบผู้ป่วยในสำหรับ {month}")
    NO_FEE_SCHEDULE = ("pricing_no_fee_schedule", "There is no fee schedule for FY{fy}.",
                       "ไม่มีรายการจ่ายตามรายการบริการของปีงบประมาณ {fy}")
    UNKNOWN_ROUND = ("payment_unknown_round", "There is no payment round {run}.", "ไม่พบรอบจ่ายที่ {run}")
    UNKNOWN_USER = ("payment_unknown_user", "There is no active user {user}.", "ไม่พบผู้ใช้ {user} ที่ใช้งานอยู่")
    UNKNOWN_SCHEME = ("payment_unknown_scheme", "There is no scheme {scheme}.", "ไม่พบสิทธิ {scheme}")
    UNKNOWN_REGION = ("payment_unknown_region", "There is no region {region}.", "ไม่พบเขต {region}")
    ALREADY_COMPUTED = ("payment_already_computed",
                        "Round {run} is computed already (checksum {checksum}…); computing it again changes nothing.",
                        "รอบจ่ายที่ {run} คำนวณแล้ว (checksum {checksum}…) การคำนวณซ้ำไม่เปลี่ยนแปลงอะไร")
    NOT_IN_ROUND = ("payment_not_in_round", "Round {run} pays nothing to unit {unit}.",
                    "รอบจ่ายที่ {run} ไม่มีการจ่ายให้หน่วยบริการ {unit}")
    BAD_RTI = ("payment_bad_rti", "Admission {an} of unit {hcode}: the road-traffic insurance amount '{value}' "
               "(column {column}) is not an amount in baht.",
               "ผู้ป่วยใน AN {an} ของหน่วยบริการ {hcode}: จำนวนเงิน พ.ร.บ. '{value}' (คอลัมน์ {column}) "
               "ไม่ใช่จำนวนเงินบาท")
    TOO_LARGE = ("pricing_too_large", "Rate × AdjRW is too large to compute exactly; check the rate and the AdjRW.",
                 "อัตรา × AdjRW มีค่าสูงเกินกว่าจะคำนวณได้แม่นยำ กรุณาตรวจสอบอัตราและ AdjRW")
    # runs
    RUN_EXISTS = ("payment_run_exists",
                  "There is already a {kind} run for {scheme}, region {region}, {period} (run {run}). "
                  "A correction is an adjustment run.",
                  "มีรอบจ่าย {kind} ของ {scheme} เขต {region} งวด {period} อยู่แล้ว (รอบที่ {run}) "
                  "การแก้ไขให้ทำเป็นรอบปรับปรุง")
    RUN_STARTED_MEANWHILE = ("payment_run_started_meanwhile",
                             "Another {kind} run for {scheme}, region {region}, {period} was started at the same "
                             "moment; "
                             "it won. Open the list of runs.",
                             "มีการเริ่มรอบจ่าย {kind} ของ {scheme} เขต {region} งวด {period} พร้อมกันและรอบนั้นได้ไปก่อน "
                             "กรุณาเปิดรายการรอบจ่าย")
    BAD_PERIOD = ("payment_bad_period", "Give the round's month (capitation: the month counted; year-end: the fiscal "
                  "year's last month), as its first day.",
                  "ระบุเดือนของรอบจ่าย (เหมาจ่ายรายหัว: เดือนที่นับประชากร ปรับเกลี่ยสิ้นปี: เดือนสุดท้ายของปีงบประมาณ) "
                  "เป็นวันที่ 1 ของเดือน")
    CUTOFF_REQUIRED = ("payment_cutoff_required",
                       "A {kind} round pays the claims received up to a cut-off date: give the cut-off.",
                       "รอบจ่าย {kind} จ่ายเคลมที่ได้รับถึงวันตัดยอด กรุณาระบุวันตัดยอด")
    YEAR_NOT_OVER = ("payment_year_not_over",
                     "FY{fy} ends on {end}: it is reconciled after that day, with a cut-off on or after it.",
                     "ปีงบประมาณ {fy} สิ้นสุดวันที่ {end} การปรับเกลี่ยทำได้หลังวันนั้น โดยมีวันตัดยอดตั้งแต่วันนั้นเป็นต้นไป")
    BAD_STEP = ("payment_bad_step", "A run that is {status} cannot be {action}.",
                "รอบจ่ายที่มีสถานะ {status_th} ไม่สามารถ{action_th}ได้")
    CHANGED_MEANWHILE = ("payment_changed_meanwhile", "The run changed while you were working on it; open it again.",
                         "รอบจ่ายถูกเปลี่ยนระหว่างที่คุณทำงาน กรุณาเปิดใหม่")
    NOT_ALLOWED = ("payment_not_allowed", "Your role may not {action} this run.",
                   "บทบาทของคุณไม่สามารถ{action_th}รอบจ่ายนี้ได้")
    SAME_PERSON = ("payment_same_person",
                   "The run must be {action} by someone other than the person who {previous} it.",
                   "ผู้{action_th}รอบจ่ายต้องไม่ใช่คนเดียวกับผู้{previous_th}")
    ALREADY_PAID = ("payment_already_paid",
                    "{count} claims are already paid by another run (first: claim {claim_id}, run {run}); "
                    "nothing of this run was paid.",
                    "มี {count} เคลมที่จ่ายไปแล้วในรอบอื่น (เช่น เคลม {claim_id} รอบที่ {run}) "
                    "รอบนี้จึงยังไม่ได้จ่ายเคลมใด")
    NOT_COMPUTED = ("payment_not_computed", "The run has no lines yet; compute it first.",
                    "รอบจ่ายยังไม่มีรายการ กรุณาคำนวณก่อน")
    NO_UNITS = ("payment_no_units", "There are no contracting units in region {region}.",
                "ไม่มีหน่วยบริการประจำ (CUP) ในเขต {region}")
    WRONG_KIND = ("payment_wrong_kind", "This action is for {expected} runs, not {kind} runs.",
                  "การดำเนินการนี้ใช้กับรอบจ่าย {expected} ไม่ใช่ {kind}")
    ADJUSTMENT_TARGET = ("payment_adjustment_target", "An adjustment corrects a published run; run {run} is {status}.",
                         "รอบปรับปรุงใช้แก้ไขรอบจ่ายที่เผยแพร่แล้ว แต่รอบที่ {run} มีสถานะ {status}")
    PRICING_UNFINISHED = ("payment_pricing_unfinished",
                          "The pricing of run {run} is still in progress on the batch engine ({done} of {total} parts "
                          "done); compute it again in a moment.",
                          "การคำนวณราคาของรอบจ่ายที่ {run} ยังทำงานอยู่ (เสร็จ {done} จาก {total} ส่วน) "
                          "กรุณาสั่งคำนวณอีกครั้งในภายหลัง")
    YEAR_END_PERIOD = ("payment_year_end_period",
                       "A year-end reconciliation of FY{fy} is a run of the fiscal year's last month, {month}.",
                       "การปรับเกลี่ยสิ้นปีงบประมาณ {fy} เป็นรอบจ่ายของเดือนสุดท้ายของปีงบประมาณ คือ {month}")
    YEAR_NOT_CLOSED = ("payment_year_not_closed",
                       "The inpatient run {run} of {period} is {status}: publish every inpatient run of the year "
                       "before reconciling it.",
                       "รอบจ่ายผู้ป่วยในที่ {run} งวด {period} ยังไม่เผยแพร่ (สถานะ {status}) "
                       "ต้องเผยแพร่รอบจ่ายผู้ป่วยในทุกรอบของปีก่อนปรับเกลี่ยสิ้นปี")
    NO_IP_CLAIMS = ("payment_no_ip_claims", "Region {region} has no paid inpatient claims in FY{fy} to reconcile.",
                    "เขต {region} ไม่มีเคลมผู้ป่วยในที่จ่ายแล้วในปีงบประมาณ {fy} ให้ปรับเกลี่ย")
