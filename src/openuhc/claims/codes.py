"""The meanings of the codes in claim files, for pages (`{{ code|code_word:"charge" }}`).

Sources: the SIL-TH terminology (CC0, https://terms.sil-th.org/core/CodeSystem/…, compiled in
../shared/fhir/terminology/): cs-eclaim-charge-item (CHA.CHRGITEM), cs-eclaim-clinic (the department, the first
two digits of the 5-digit CLINIC code), cs-thcc-ipd-discharge-status and -type (IPD.DISCHS, DISCHT),
cs-43plus-encounter-diagnosis-role (DXTYPE), cs-eclaim-procedure-type (IOP.OPTYPE), cs-eclaim-adp-type (ADP.TYPE);
PAT.SEX as in the registry (1 male, 2 female). The English words are ours, translated from the Thai displays.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.codes import vocabulary

SEX = {"1": _("male"), "2": _("female")}

DIAGNOSIS_TYPE = {
    "1": _("principal diagnosis"), "2": _("comorbidity"), "3": _("complication"), "4": pgettext_lazy("diagnosis",
                                                                                                      "other"),
    "5": _("external cause"), "6": _("additional code"), "7": _("morphology code"),
}

DISCHARGE_STATUS = {
    "1": _("complete recovery"), "2": _("improved"), "3": _("not improved"), "4": _("normal delivery"),
    "5": _("undelivered"), "6": _("normal child discharged with mother"),
    "7": _("normal child discharged separately"), "8": _("stillbirth"), "9": _("dead"),
}

DISCHARGE_TYPE = {
    "1": _("with approval"), "2": _("against advice"), "3": _("escaped"), "4": _("transferred"),
    "5": pgettext_lazy("discharge", "other"), "8": _("dead, autopsy"), "9": _("dead, no autopsy"),
}

# CHA.CHRGITEM: the category (first character) and 1 claimable / 2 excess (second character); K1 road traffic.
CHARGE_CATEGORY = {
    "1": _("room and board"), "2": _("prostheses and therapeutic devices"),
    "3": _("drugs and parenteral nutrition used in hospital"), "4": _("take-home drugs"),
    "5": _("medical supplies other than drugs"), "6": _("blood and blood components"),
    "7": _("laboratory and pathology"), "8": _("radiology"), "9": _("other special diagnostics"),
    "A": _("medical equipment and instruments"), "B": _("procedures and anaesthesia"), "C": _("nursing care"),
    "D": _("dental care"), "E": _("physiotherapy and rehabilitation"),
    "F": _("acupuncture and other licensed practitioners"), "G": _("operating and delivery rooms"),
    "H": _("medical staff fees"), "I": _("other services and prevention"), "J": _("other services not yet grouped"),
}


def _charges() -> dict[str, str]:
    words: dict[str, str] = {"K1": str(_("road traffic victims (Protection Act)"))}
    for first, label in CHARGE_CATEGORY.items():
        words[f"{first}1"] = str(label)
        words[f"{first}2"] = str(_("%(category)s, excess (not claimable)") % {"category": label})
    return words


# The department: the first two digits of the 5-digit clinic code (older exports send only these two).
CLINIC = {
    "00": _("health centre or community health centre"), "01": _("internal medicine"), "02": _("surgery"),
    "03": _("obstetrics"), "04": _("gynaecology"), "05": _("paediatrics"), "06": _("ear, nose and throat"),
    "07": _("ophthalmology"), "08": _("orthopaedic surgery"), "09": _("psychiatry"), "10": _("radiology"),
    "11": _("dentistry"), "12": _("emergency and forensic medicine"), "13": _("rehabilitation medicine"),
    "14": _("Thai traditional medicine"), "15": _("primary care unit in a hospital"), "16": _("general practice"),
    "17": _("family and community medicine"), "18": _("occupational clinic"),
    "19": _("anaesthesiology (pain clinic)"), "20": _("neurosurgery"), "21": _("occupational medicine"),
    "22": _("social medicine"), "23": _("anatomical pathology"), "24": _("clinical pathology"),
    "25": _("alternative medicine"), "99": pgettext_lazy("clinic", "other"),
}

PROCEDURE_TYPE = {"1": _("principal procedure"), "2": _("secondary procedure"), "3": pgettext_lazy("procedure",
                                                                                                  "other")}

ADP_TYPE = {
    "1": _("high-cost care (OP)"), "2": _("instruments (category 2)"), "3": _("other services not yet grouped"),
    "4": _("prevention and specific services"), "5": _("project code"), "6": _("cancer treatment by protocol"),
    "7": _("cancer radiotherapy"), "8": _("OP referral and fee-schedule items"),
    "9": _("other special diagnostics (category 9)"), "10": _("room and board (category 1)"),
    "11": _("medical supplies other than drugs (category 5)"), "12": _("dental care (category 13)"),
    "13": _("acupuncture (category 15)"), "14": _("blood and blood components (category 6)"),
    "15": _("laboratory and pathology (category 7)"), "16": _("radiology (category 8)"),
    "17": _("nursing care (category 12)"), "18": _("medical equipment and instruments (category 10)"),
    "19": _("procedures and anaesthesia (category 11)"), "20": _("physiotherapy and rehabilitation (category 14)"),
}

vocabulary("sex", SEX, source="PAT.SEX")
vocabulary("dxtype", DIAGNOSIS_TYPE, source="cs-43plus-encounter-diagnosis-role")
vocabulary("discharge_status", DISCHARGE_STATUS, source="cs-thcc-ipd-discharge-status")
vocabulary("discharge_type", DISCHARGE_TYPE, source="cs-thcc-ipd-discharge-type")
vocabulary("charge", _charges, source="cs-eclaim-charge-item", normalise=str.upper)
vocabulary("clinic", CLINIC, source="cs-eclaim-clinic", normalise=lambda code: code[:2])
vocabulary("optype", PROCEDURE_TYPE, source="cs-eclaim-procedure-type")
vocabulary("adp_type", ADP_TYPE, source="cs-eclaim-adp-type")


def _problem_classes() -> dict[str, str]:
    from openuhc.claims.errors import ProblemClass

    return {value: str(label) for value, label in ProblemClass.choices}


vocabulary("problem_class", _problem_classes, source="claims.errors.ProblemClass")
