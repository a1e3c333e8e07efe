"""An HL7 FHIR R4 Bundle (type "collection") of Observations for one profile.

- Pain ratings (NRS 0–10) use LOINC 72514-3; expected pain, laterality accuracy and median reaction time per
  side, and range-of-motion peak angles use the project's own codes (MEASURES, documented in docs/export.md).
  The CodeSystem URLs are names only: nothing is ever fetched from them.
- The Patient is a pseudonym only: an identifier, no name, birth date or address.
- Example data from `gmi demo` carries the meta tag ``simulated``.
When fhir.resources (the ``fhir`` extra) is installed the Bundle is checked against its models before it is
written (R4B models, FHIR 4.3: the same Bundle, Observation and Patient structure as R4).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from gmi.core.errors import GmiError
from gmi.report.dataset import Dataset, SessionData
from gmi.store.location import atomic_write_bytes

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
MEASURES = "https://gmi.example/fhir/CodeSystem/gmi-measures"
MOVEMENTS = "https://gmi.example/fhir/CodeSystem/gmi-movements"
TAGS = "https://gmi.example/fhir/CodeSystem/gmi-tags"
PSEUDONYMS = "https://gmi.example/fhir/NamingSystem/gmi-pseudonym"
PAIN_NRS = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

# code → display (docs/export.md lists them with units)
LOCAL_CODES = {
    "laterality-accuracy-left": "Left/right judgement accuracy, left-side pictures",
    "laterality-accuracy-right": "Left/right judgement accuracy, right-side pictures",
    "laterality-median-rt-left": "Left/right judgement median reaction time (correct answers), left-side pictures",
    "laterality-median-rt-right": "Left/right judgement median reaction time (correct answers), right-side pictures",
    "expected-pain": "Pain expected before a graded exposure activity (NRS 0-10)",
    "rom-peak-angle": "Range of motion: largest joint angle in a session, camera estimate",
    "rom-target-angle": "Range of motion: the plan's target angle",
    "movement": "Movement measured",
}
SIMULATED_TAG = {"system": TAGS, "code": "simulated", "display": "example data made by gmi demo, not a real patient"}
PAIN_TEXTS = {"pain_before": "Pain now, before a graded exposure session",
              "pain_experienced": "Worst pain while doing a graded exposure activity",
              "pain_after": "Pain now, after a graded exposure session",
              "pain_nrs": "Pain after an imagery or mirror therapy session"}


def _urn(*parts: Any) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'gmi:' + ':'.join(map(str, parts)))}"


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": round(float(value), 3), "unit": unit, "system": UCUM, "code": code}


def _local(code: str) -> dict[str, Any]:
    return {"coding": [{"system": MEASURES, "code": code, "display": LOCAL_CODES[code]}], "text": LOCAL_CODES[code]}


class BundleBuilder:
    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.patient_url = _urn(data.subject, "patient")
        self.entries: list[dict[str, Any]] = [{"fullUrl": self.patient_url, "resource": {
            "resourceType": "Patient", "id": self.patient_url.rsplit(":", 1)[1],
            "identifier": [{"system": PSEUDONYMS, "value": data.subject}]}}]

    def observation(self, s: SessionData, key: str, code: dict[str, Any], category: str, value: dict[str, Any],
                    **extra: Any) -> None:
        url = _urn(self.data.subject, s.id, key)
        resource: dict[str, Any] = {
            "resourceType": "Observation", "id": url.rsplit(":", 1)[1], "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": category}]}], "code": code,
            "subject": {"reference": self.patient_url, "display": self.data.subject},
            "effectiveDateTime": s.row["started_at"], "valueQuantity": value,
            "identifier": [{"system": "https://gmi.example/fhir/gmi-session", "value": f"ses-{s.label}/{key}"}], **extra}
        if s.simulated:
            resource["meta"] = {"tag": [SIMULATED_TAG]}
        self.entries.append({"fullUrl": url, "resource": resource})

    def laterality(self, s: SessionData) -> None:
        method = {"text": f"answers given with {s.row['input_method'] or 'unknown input'}"}
        part = s.part or "body part"
        for side, fig in sorted(s.sides.items()):
            if fig.get("accuracy") is not None:
                self.observation(s, f"laterality-accuracy-{side}", _local(f"laterality-accuracy-{side}"), "exam",
                                 _quantity(100 * fig["accuracy"], "%", "%"), method=method,
                                 note=[{"text": f"{part}: {fig['correct']} of {fig['n']} correct"}])
            if fig.get("median_rt_ms") is not None:
                self.observation(s, f"laterality-median-rt-{side}", _local(f"laterality-median-rt-{side}"), "exam",
                                 _quantity(fig["median_rt_ms"], "ms", "ms"), method=method,
                                 note=[{"text": f"{part}: median of {fig['correct']} correct answers"}])

    def pain(self, s: SessionData) -> None:
        ratings = s.ratings()
        for name, text in PAIN_TEXTS.items():
            value = ratings.get(name)
            if isinstance(value, (int, float)):
                code = {"coding": [{"system": LOINC, "code": PAIN_NRS[0], "display": PAIN_NRS[1]}], "text": text}
                self.observation(s, name, code, "survey", _quantity(value, "{score}", "{score}"))
        if isinstance(ratings.get("expected_pain"), (int, float)):
            self.observation(s, "expected-pain", _local("expected-pain"), "survey",
                             _quantity(ratings["expected_pain"], "{score}", "{score}"))

    def range_of_motion(self, s: SessionData) -> None:
        peaks = [r["peak_deg"] for r in s.rows.get("exposure_reps", []) if r.get("peak_deg") is not None]
        movement = s.settings.get("movement")
        if not peaks or not movement:
            return
        components = [{"code": _local("movement"),
                       "valueCodeableConcept": {"coding": [{"system": MOVEMENTS, "code": movement}],
                                                "text": movement.replace("_", " ")}}]
        target = s.settings.get("targets", {}).get("target_deg")
        if target is not None:
            components.append({"code": _local("rom-target-angle"), "valueQuantity": _quantity(target, "deg", "deg")})
        side = s.settings.get("side")
        extra: dict[str, Any] = {"component": components,
                                 "method": {"text": "pose estimation from a webcam (about ±7°)"}}
        if side in ("left", "right", "both"):
            extra["bodySite"] = {"text": f"{side} side"}
        self.observation(s, "rom-peak-angle", _local("rom-peak-angle"), "exam", _quantity(max(peaks), "deg", "deg"),
                         **extra)

    def build(self) -> dict[str, Any]:
        for s in self.data.sessions:
            if s.kind == "laterality":
                self.laterality(s)
            elif s.kind == "exposure":
                self.pain(s)
                self.range_of_motion(s)
            else:
                self.pain(s)
        bundle: dict[str, Any] = {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "collection",
                                  "timestamp": self.data.exported_at, "entry": self.entries}
        if self.data.has_example_data:
            bundle["meta"] = {"tag": [SIMULATED_TAG]}
        return bundle


def bundle(data: Dataset) -> dict[str, Any]:
    return BundleBuilder(data).build()


def validate(doc: dict[str, Any]) -> bool:
    """Check the Bundle against fhir.resources' models when installed; False when the extra is missing."""
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError:
        return False
    try:
        Bundle.model_validate(doc)
    except Exception as exc:      # pydantic's ValidationError: a bug in gmi, said plainly
        raise GmiError("E-EXPORT-FHIR", f"The FHIR Bundle gmi built is not valid: {str(exc)[:500]}",
                       fix="please report this to the gmi project; the other export formats still work") from None
    return True


def write_fhir(data: Dataset, out: Path) -> list[Path]:
    doc = bundle(data)
    validate(doc)
    path = out / f"sub-{data.subject}_fhir-bundle.json"
    atomic_write_bytes(path, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    return [path]
