"""The conformance resources OpenUHC claims (shipped in `conformance/`, CC0) and a small offline checker.

No validator that checks profiles runs offline (the HL7 Java validator downloads itself), so structure is checked
by fhir.resources and the profiles by this checker, which reads each profile's differential and tests an instance
against:
  - cardinalities (min/max, per parent element, slices counted by their discriminator),
  - fixed and pattern values (fixedUri, fixedCode, patternCodeableConcept, …),
  - required bindings to value sets shipped here (codes of an external value set — WHO ICD-10, SNOMED CT — cannot
    be listed offline and are reported as not checked),
  - FHIRPath invariants (`fhirpathpy`), with their own severity,
  - extensions, against their own StructureDefinition when it is shipped.

    findings = check(resource_dict)           # profiles from meta.profile
    errors = [f for f in findings if f.severity == "error"]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fhirpathpy import evaluate

FOLDER = Path(__file__).parent / "conformance"


@dataclass(frozen=True)
class Finding:
    severity: str  # error, warning, information
    path: str
    message: str


@cache
def resources() -> dict[str, dict[str, Any]]:
    """Every shipped conformance resource by canonical URL."""
    found: dict[str, dict[str, Any]] = {}
    for file in sorted(FOLDER.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        url = data.get("url")
        if url in found:
            raise ValueError(f"{file.name} declares {url}, which another shipped resource declares too")
        found[url] = data
    return found


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [r for r in resources().values() if r["resourceType"] == kind]


def by_id(kind: str, pk: str) -> dict[str, Any] | None:
    return next((r for r in by_kind(kind) if r.get("id") == pk), None)


@cache
def value_set_codes(url: str) -> frozenset[tuple[str, str]] | None:
    """(system, code) pairs of a shipped value set, or None when it cannot be enumerated offline."""
    value_set = resources().get(url)
    if value_set is None:
        return None
    codes: set[tuple[str, str]] = set()
    for include in value_set.get("compose", {}).get("include", []):
        system = include.get("system", "")
        if include.get("concept"):
            codes |= {(system, c["code"]) for c in include["concept"]}
            continue
        code_system = resources().get(system)
        if code_system is None or code_system.get("content") != "complete" or include.get("filter"):
            return None
        codes |= {(system, c["code"]) for c in _concepts(code_system.get("concept", []))}
    return frozenset(codes)


def _concepts(concepts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for concept in concepts:
        out.append(concept)
        out += _concepts(concept.get("concept", []))
    return out


# --- navigating an instance along a differential's element ids -----------------------------------------------

def _children(node: Any, name: str) -> list[Any]:
    if not isinstance(node, dict):
        return []
    if name.endswith("[x]"):
        stem = name[:-3]
        values = [v for k, v in node.items() if k.startswith(stem) and k[len(stem):len(stem) + 1].isupper()]
    else:
        values = [node[name]] if name in node else []
    flat: list[Any] = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def _choice_key(node: dict[str, Any], name: str) -> str | None:
    stem = name[:-3]
    return next((k for k in node if k.startswith(stem) and k[len(stem):len(stem) + 1].isupper()), None)


def _contains(value: Any, pattern: Any) -> bool:
    """FHIR pattern matching: every part of the pattern is in the value (arrays: each pattern item matches an item)."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(_contains(value.get(k), v) for k, v in pattern.items())
    if isinstance(pattern, list):
        items = value if isinstance(value, list) else []
        return all(any(_contains(item, p) for item in items) for p in pattern)
    return value == pattern


class Profile:
    """One StructureDefinition's differential, indexed by element id."""

    def __init__(self, definition: dict[str, Any]) -> None:
        self.url = definition["url"]
        self.type = definition["type"]
        self.elements = {e["id"]: e for e in definition.get("differential", {}).get("element", [])}

    def _slice_matches(self, slicing_id: str, slice_id: str, item: Any) -> bool | None:
        """Does `item` belong to the slice? None when the discriminator cannot be worked out offline."""
        slicing = self.elements.get(slicing_id, {}).get("slicing")
        slice_element = self.elements.get(slice_id, {})
        if slicing is None:
            slicing = {"discriminator": [{"type": "value", "path": "url"}]} if slice_id.rsplit(".", 1)[-1].startswith(
                ("extension:", "modifierExtension:")) else None
        if slicing is None:
            return None
        for discriminator in slicing.get("discriminator", []):
            kind, path = discriminator["type"], discriminator["path"]
            if kind == "type" and path == "$this":
                wanted = [t["code"] for t in slice_element.get("type", [])]
                return any(isinstance(item, _PY_TYPES.get(code, object)) for code in wanted)
            if path == "url":
                profiles = [p for t in slice_element.get("type", []) for p in t.get("profile", [])]
                fixed = self.elements.get(f"{slice_id}.url", {}).get("fixedUri")
                urls = profiles or ([fixed] if fixed else [])
                if not urls:
                    return None
                if not (isinstance(item, dict) and item.get("url") in urls):
                    return False
                continue
            child = self.elements.get(f"{slice_id}.{path}", {})
            expected = next((v for k, v in child.items() if k.startswith(("fixed", "pattern"))), None)
            if expected is None and path == "system" and slice_element.get("binding"):
                codes = value_set_codes(slice_element["binding"]["valueSet"])
                systems = {system for system, _code in codes} if codes else set()
                if not systems:
                    return None
                if not (isinstance(item, dict) and item.get("system") in systems):
                    return False
                continue
            if expected is None:
                return None
            if not _contains(_children(item, path)[0] if _children(item, path) else None, expected):
                return False
        return True

    def select(self, root: dict[str, Any], element_id: str) -> list[tuple[str, Any]]:
        """(instance path, node) for every node of the instance this element id designates."""
        parts = element_id.split(".")
        nodes: list[tuple[str, Any]] = [(parts[0], root)]
        prefix = parts[0]
        for part in parts[1:]:
            name, _sep, slice_name = part.partition(":")
            current = f"{prefix}.{name}"
            chosen: list[tuple[str, Any]] = []
            for path, node in nodes:
                for number, child in enumerate(_children(node, name)):
                    if slice_name:
                        matched = self._slice_matches(current, f"{prefix}.{part}", child)
                        if matched is None:
                            raise _Unresolvable(f"{prefix}.{part}")
                        if not matched:
                            continue
                    chosen.append((f"{path}.{name}[{number}]", child))
            nodes = chosen
            prefix = f"{prefix}.{part}"
        return nodes


class _Unresolvable(Exception):
    pass


_PY_TYPES = {"date": str, "dateTime": str, "string": str, "Period": dict, "boolean": bool, "decimal": (int, float)}


def _check_element(profile: Profile, root: dict[str, Any], element_id: str, element: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    parent_id, _sep, last = element_id.rpartition(".")
    name = last.partition(":")[0]
    if not parent_id:
        return findings
    try:
        parents = profile.select(root, parent_id)
        nodes = profile.select(root, element_id)
    except _Unresolvable as error:
        return [Finding("information", element_id, f"slice {error} not checked: its discriminator needs data that "
                        "is not available offline")]
    minimum, maximum = element.get("min"), element.get("max")
    if minimum is not None or maximum not in (None, "*"):
        for path, _parent in parents:
            count = sum(1 for p, _n in nodes if p.startswith(path + "."))
            if minimum is not None and count < minimum:
                findings.append(Finding("error", path, f"{element_id}: at least {minimum} required, found {count}"))
            if maximum not in (None, "*") and count > int(maximum):
                findings.append(Finding("error", path, f"{element_id}: at most {maximum} allowed, found {count}"))
    for path, node in nodes:
        for key, expected in element.items():
            if key.startswith("fixed") and node != expected:
                findings.append(Finding("error", path, f"{element_id} must be {expected!r}, found {node!r}"))
            if key.startswith("pattern") and not _contains(node, expected):
                findings.append(Finding("error", path, f"{element_id} must contain {expected!r}"))
        findings += _binding(element_id, element, path, node)
        for constraint in element.get("constraint", []):
            context = {"value": node} if not isinstance(node, dict) else node
            try:
                result = evaluate(context, constraint["expression"], {})
            except Exception as error:  # noqa: BLE001 - a bad expression is reported, not fatal
                findings.append(Finding("warning", path, f"{constraint['key']}: cannot evaluate ({error})"))
                continue
            if result != [True]:
                findings.append(Finding(constraint.get("severity", "error"), path,
                                        f"{constraint['key']}: {constraint.get('human', constraint['expression'])}"))
    if name == "extension" and ":" in last:
        for path, node in nodes:
            findings += check_extension(node, path)
    return findings


def _binding(element_id: str, element: dict[str, Any], path: str, node: Any) -> list[Finding]:
    binding = element.get("binding") or {}
    if binding.get("strength") != "required":
        return []
    codes = value_set_codes(binding["valueSet"])
    if codes is None:
        return [Finding("information", path, f"{element_id}: required value set {binding['valueSet']} is not "
                        "available offline; codes not checked")]
    codings = node.get("coding", []) if isinstance(node, dict) and "coding" in node else [node]
    found = []
    for coding in codings:
        if isinstance(coding, dict) and (coding.get("system"), coding.get("code")) not in codes:
            found.append(Finding("error", path, f"{element_id}: {coding.get('system')}|{coding.get('code')} is not in "
                                 f"the required value set {binding['valueSet']}"))
    return found


def check_extension(extension: dict[str, Any], path: str) -> list[Finding]:
    definition = resources().get(extension.get("url", ""))
    if definition is None or definition.get("resourceType") != "StructureDefinition":
        return []
    return _check(Profile(definition), extension, path)


def _check(profile: Profile, root: dict[str, Any], path: str) -> list[Finding]:
    findings = []
    for element_id, element in profile.elements.items():
        findings += [Finding(f.severity, path + f.path[len(profile.type):] if f.path.startswith(profile.type) else
                             f.path, f.message) for f in _check_element(profile, root, element_id, element)]
    return findings


def check(resource: dict[str, Any], profiles: list[str] | None = None) -> list[Finding]:
    """Check a resource against the given profiles (default: its meta.profile) that are shipped here."""
    findings: list[Finding] = []
    for url in profiles if profiles is not None else resource.get("meta", {}).get("profile", []):
        definition = resources().get(url)
        if definition is None:
            findings.append(Finding("warning", resource.get("resourceType", ""), f"profile {url} is not shipped"))
            continue
        findings += _check(Profile(definition), resource, resource.get("resourceType", ""))
    for number, extension in enumerate(resource.get("extension", [])):
        findings += check_extension(extension, f"{resource.get('resourceType')}.extension[{number}]")
    return findings


def errors(resource: dict[str, Any], profiles: list[str] | None = None) -> list[Finding]:
    return [f for f in check(resource, profiles) if f.severity == "error"]
