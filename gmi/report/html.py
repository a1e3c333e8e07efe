"""A self-contained HTML report for the physiotherapist: charts (PNG inside the file), tables, the plan and
adherence, the norms with their sources. One file, no scripts, no links to fetch; prints cleanly to PDF.

Long histories stay quick: the charts use the history's buckets (at most 120 points each) and the tables
show the latest rows; every row is in the TSV and JSON exports.
"""

from __future__ import annotations

import base64
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Iterable, Sequence

from gmi.core.norms import LR_THRESHOLD_LABEL, NORMS, DEFAULT_LR_ACCURACY_THRESHOLD_PTS, DEFAULT_LR_RT_THRESHOLD_MS
from gmi.report.charts import Chart, adherence_chart, guided_minutes_chart, laterality_accuracy_chart, \
    laterality_rt_chart, pain_chart, peak_chart
from gmi.report.dataset import Dataset
from gmi.report.history import EXAMPLE_LABEL, KIND_LABELS
from gmi.store.location import atomic_write_bytes

TABLE_ROWS = 12
EXPOSURE_ROWS = 15

CSS = """
:root { --ink: #1b1f24; --muted: #555; --line: #d0d4da; --left: #0072B2; --right: #B36B00; --warn: #A33B00; }
* { box-sizing: border-box; }
body { font: 16px/1.5 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 60rem; padding: 1.5rem; background: #fff; }
h1 { font-size: 1.9rem; margin: 0 0 .2rem; } h2 { font-size: 1.35rem; margin: 2rem 0 .5rem;
     border-bottom: 2px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
.meta { color: var(--muted); margin: 0; }
.example { border: 3px solid var(--warn); color: var(--warn); font-weight: bold; padding: .6rem .9rem;
           border-radius: .4rem; margin: 1rem 0; }
figure { margin: .8rem 0 1.2rem; } figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .92rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: var(--warn); font-weight: bold; } .left { color: var(--left); } .right { color: var(--right); }
.note { color: var(--muted); font-size: .9rem; }
tr.sim td:first-child::after { content: " (example)"; color: var(--warn); font-size: .8rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; } figure, table, tr { break-inside: avoid; }
  .example { border-width: 2px; }
  @page { size: A4; margin: 15mm 12mm; }
}
"""


def _e(x: Any) -> str:
    return escape("" if x is None else str(x))


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _s(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.2f} s"


def _num(x: Any, fmt: str = "{:g}") -> str:
    return "—" if x is None else fmt.format(x)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], classes: Sequence[str] = (),
          row_classes: Sequence[str] | None = None) -> str:
    head = "".join(f"<th scope='col'>{_e(h)}</th>" for h in headers)
    body = []
    for k, row in enumerate(rows):
        cls = f" class='{row_classes[k]}'" if row_classes and row_classes[k] else ""
        cells = "".join(f"<td class='{classes[i]}'>{c}</td>" if i < len(classes) and classes[i] else f"<td>{c}</td>"
                        for i, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure(chart: Chart) -> str:
    from gmi.report.render import chart_png

    data = base64.b64encode(chart_png(chart)).decode("ascii")
    notes = " ".join(_e(n) for n in chart.notes)
    example = f" <strong>Includes {_e(EXAMPLE_LABEL)}.</strong>" if chart.example else ""
    return (f"<figure><img alt='{_e(chart.title)}: {_e(chart.caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{_e(chart.caption)} {notes}{example}</figcaption></figure>")


class Report:
    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.h = data.history

    def header(self) -> str:
        d, s = self.data, self.data.sessions
        period = f"{s[0].row['started_at'][:10]} to {s[-1].row['started_at'][:10]}" if s else "no sessions yet"
        out = [f"<h1>gmi progress report: {_e(d.subject)}</h1>",
               f"<p class='meta'>Sessions {period}" + (f" (from {d.since.isoformat()})" if d.since else "") +
               f". Made {_e(d.exported_at)} with gmi {_e(d.gmi_version)}. Body part: {_e(self.h.part)}.</p>"]
        if d.has_example_data:
            n = sum(x.simulated for x in s)
            out.append(f"<div class='example' role='note'>This report contains {n} sessions of {_e(EXAMPLE_LABEL)}. "
                       "They are marked “example” in the tables.</div>")
        return "\n".join(out)

    def summary(self) -> str:
        rows = []
        for kind, label in KIND_LABELS.items():
            items = [x for x in self.data.sessions if x.kind == kind]
            if not items:
                continue
            minutes = sum(float(x.row.get("minutes") or 0) for x in items)
            rows.append([_e(label), str(len(items)), str(sum(x.row["status"] == "completed" for x in items)),
                         items[0].row["started_at"][:10], items[-1].row["started_at"][:10], f"{minutes:.0f}"])
        if not rows:
            return "<h2>Summary</h2><p>No sessions yet.</p>"
        return "<h2>Summary</h2>" + table(["Practice", "Sessions", "Completed", "First", "Last", "Minutes"], rows,
                                          ["", "num", "num", "", "", "num"])

    def plan(self) -> str:
        out = ["<h2>Plan</h2>"]
        if not self.data.plans:
            return out[0] + "<p>No exposure plan installed.</p>"
        current = self.data.plans[-1]
        try:
            plan = current.plan()
        except Exception:
            plan = None
        example = " (example plan made by gmi demo)" if current.id in self.data.demo_plan_ids else ""
        written = plan.written.isoformat() if plan else "—"
        out.append(f"<p><strong>{_e(plan.title if plan and plan.title else current.file_name)}</strong>{_e(example)}<br>"
                   f"Written by {_e(current.author)} on {_e(written)}; installed {_e(current.installed_at[:10])} "
                   f"(file {_e(current.file_name)}, patient {_e(current.patient)}).</p>")
        if plan is not None:
            rows = []
            for item in plan.items:
                levels = "; ".join(
                    f"{lv.number}: {lv.sets}×{lv.reps}" + (f" to {lv.target_deg:g}°" if lv.target_deg is not None else "")
                    + (f", hold {lv.hold_s:g} s" if lv.hold_s else "") for lv in item.levels)
                what = (item.movement or "").replace("_", " ") + (f" ({item.side})" if item.side else "") \
                    if item.movement else _e(item.activity)
                rows.append([_e(item.name), str(item.fear), _e(what), _e(levels)])
            out.append(table(["Step (easiest first)", "Fear 0–100", "Movement or activity", "Levels: sets×reps, target"],
                             rows, ["", "num", "", ""]))
            out.append(f"<p class='note'>Stop rule: pain above {plan.stop.pain_above}/10 during a session.</p>")
        if len(self.data.plans) > 1:
            older = ", ".join(f"{_e(p.file_name)} by {_e(p.author)} (installed {_e(p.installed_at[:10])})"
                              for p in self.data.plans[:-1])
            out.append(f"<p class='note'>Earlier plans: {older}.</p>")
        return "\n".join(out)

    def adherence(self) -> str:
        out = ["<h2>Prescribed practice and adherence</h2>"]
        out.append(table(["Practice", "Prescribed"], [[_e(KIND_LABELS.get(k, k)), _e(d.describe())]
                                                       for k, d in self.h.doses.items()]))
        if not self.h.adherence:
            return "\n".join(out) + "<p>No sessions yet.</p>"
        out.append(figure(adherence_chart(self.h)))
        kinds = [k for k in KIND_LABELS if any(k in b.prescribed for b in self.h.adherence)]
        rows = []
        for b in self.h.adherence[-TABLE_ROWS:]:
            rows.append([b.start.isoformat()] + [f"{b.done.get(k, 0)} of {b.prescribed[k]}" if k in b.prescribed else "—"
                                                 for k in kinds] + [_pct(b.fraction)])
        out.append(f"<h3>Latest {min(TABLE_ROWS, len(self.h.adherence))} weeks</h3>")
        out.append(table(["Week from"] + [KIND_LABELS[k] for k in kinds] + ["Done"], rows,
                         [""] + ["num"] * (len(kinds) + 1)))
        out.append("<p class='note'>Each day prescribes the dose of the GMI stage the patient was in (from the "
                   "programme's stage changes); exposure is prescribed from its first to its last session. Completed "
                   "sessions only.</p>")
        return "\n".join(out)

    def laterality(self) -> str:
        out = ["<h2>Left/right recognition</h2>"]
        if not self.h.laterality:
            return out[0] + "<p>No laterality sessions.</p>"
        for s in self.h.laterality:
            out.append(f"<h3>{_e(s.part.capitalize())}, answers with {_e(s.input_method)}</h3>")
            out.append(figure(laterality_accuracy_chart(s)))
            out.append(figure(laterality_rt_chart(s)))
            rows, classes = [], []
            for b in s.buckets[-TABLE_ROWS:]:
                l, r = b.left, b.right
                diff = None if l.median_rt_ms is None or r.median_rt_ms is None else l.median_rt_ms - r.median_rt_ms
                acc_diff = None if l.accuracy is None or r.accuracy is None else 100 * (l.accuracy - r.accuracy)
                flag = (diff is not None and abs(diff) > DEFAULT_LR_RT_THRESHOLD_MS) or \
                    (acc_diff is not None and abs(acc_diff) > DEFAULT_LR_ACCURACY_THRESHOLD_PTS)
                rows.append([b.start.isoformat(), str(b.sessions), f"{l.n}", _pct(l.accuracy), _pct(r.accuracy),
                             _s(l.median_rt_ms), _s(r.median_rt_ms),
                             ("—" if diff is None else f"{diff / 1000:+.2f} s")
                             + (" <span class='flag'>uneven</span>" if flag else "")])
                classes.append("sim" if b.simulated else "")
            unit = {1: "Day", 7: "Week from"}.get(s.bucket_days, f"{s.bucket_days} days from")
            out.append(table([unit, "Sessions", "Left pictures", "Accuracy left", "Accuracy right", "Median RT left",
                              "Median RT right", "Left − right"], rows,
                             ["", "num", "num", "num", "num", "num", "num", "num"], classes))
            note = (f"Uneven: more than {DEFAULT_LR_RT_THRESHOLD_MS / 1000:.1f} s or "
                    f"{DEFAULT_LR_ACCURACY_THRESHOLD_PTS:.0f} points apart — a {LR_THRESHOLD_LABEL}. "
                    "Median RT: median of the sessions' medians of correct answers.")
            if s.left_out:
                note += f" {s.left_out} sessions answered with another input method are not shown (compare within one method)."
            out.append(f"<p class='note'>{_e(note)}</p>")
        return "\n".join(out)

    def guided(self) -> str:
        if not self.h.guided:
            return ""
        out = ["<h2>Imagined movements and mirror therapy</h2>", figure(guided_minutes_chart(self.h))]
        rows = [[b.start.isoformat(), f"{b.imagery_min_per_day:.1f}", f"{b.mirror_min_per_day:.1f}"]
                for b in self.h.guided[-TABLE_ROWS:]]
        unit = {1: "Day", 7: "Week from"}.get(self.h.guided_bucket_days, "From")
        out.append(table([unit, "Imagery, min/day", "Mirror, min/day"], rows, ["", "num", "num"],
                         ["sim" if b.simulated else "" for b in self.h.guided[-TABLE_ROWS:]]))
        symptoms = sum(len(s.rows.get("session_symptoms", [])) for s in self.data.sessions)
        vivid = [s.ratings().get("vividness") for s in self.data.sessions if s.kind == "imagery"]
        vivid = [v for v in vivid if v is not None]
        text = []
        if vivid:
            text.append(f"Latest vividness ratings (1–5): {', '.join(f'{v:g}' for v in vivid[-5:])}.")
        if symptoms or any(s.kind == "mirror" for s in self.data.sessions):
            text.append(f"Symptoms reported during mirror therapy (pain, nausea, dizziness): {symptoms}.")
        if text:
            out.append(f"<p>{_e(' '.join(text))}</p>")
        return "\n".join(out)

    def exposure(self) -> str:
        if not self.h.exposure:
            return ""
        out = ["<h2>Graded exposure</h2>"]
        for movement, points in self.h.peaks.items():
            out.append(figure(peak_chart(movement, points)))
        if self.h.pain:
            out.append(figure(pain_chart(self.h.pain)))
        latest = self.h.exposure[-EXPOSURE_ROWS:]
        rows = []
        for s in latest:
            r = s.ratings
            fear = "—" if r.get("fear_before") is None else f"{r['fear_before']:g} → {_num(r.get('fear_after'))}"
            rows.append([s.day.isoformat(), _e(s.item), _num(s.level), _num(s.target_deg, "{:.0f}°"),
                         _num(s.peak_deg, "{:.0f}°"), f"{s.reps_at_target} of {s.reps_done}",
                         _num(s.expected_pain), _num(s.experienced_pain), fear, _e(r.get("outcome_happened", "—"))])
        out.append(f"<h3>Latest {len(latest)} sessions</h3>")
        out.append(table(["Date", "Step", "Level", "Target", "Peak", "At target", "Expected pain", "Experienced pain",
                          "Fear", "Feared outcome happened"], rows,
                         ["", "", "num", "num", "num", "num", "num", "num", "num", ""],
                         ["sim" if s.simulated else "" for s in latest]))
        return "\n".join(out)

    def norms(self) -> str:
        rows = []
        for n in NORMS.values():
            rt = f"{n.rt_mean_s:g} ± {n.rt_sd_s:g} s" if n.rt_sd_s is not None else f"about {n.rt_mean_s:g} s"
            studies = "<br>".join(f"{_e(st.text)} — {_e(st.source)}" for st in n.studies)
            mark = " (this patient)" if n.part == self.h.part else ""
            rows.append([_e(n.part) + mark, f"≥ {n.accuracy_min:.0%}", rt, _e(n.source), studies or "—"])
        return ("<h2>Norms and sources</h2>" +
                table(["Body part", "Accuracy", "Reaction time", "Guidance", "Studies"], rows) +
                "<ul class='note'>"
                f"<li>Left–right difference: no published cut-off; flagged above {DEFAULT_LR_RT_THRESHOLD_MS:.0f} ms or "
                f"{DEFAULT_LR_ACCURACY_THRESHOLD_PTS:.0f} points, a {_e(LR_THRESHOLD_LABEL)}.</li>"
                "<li>Pain (NRS 0–10): a change of about 2 points or 30 % is clinically important (Farrar et al. 2001, "
                "Pain 94:149).</li>"
                "<li>Fear of harm (0–100): a change of more than 20 points is a real change (Leeuw et al. 2007).</li>"
                "<li>Camera angles: MediaPipe knee angle vs inertial sensors −2.3 ± 6.4° from the side, −13.9 ± 15.1° "
                "from an oblique view; BlazePose vs manual 2D MAE 7.07°.</li>"
                "<li>Practice alone improves scores (Boonstra 2012): compare test-mode sessions for change.</li></ul>")

    def about(self) -> str:
        return ("<h2>About this report</h2><p class='note'>gmi never stores camera frames; this report and the "
                "exports hold numbers only (times, counts, angles, ratings). The tables show the latest rows; every "
                "session and trial is in the TSV and JSON exports (<code>gmi export --format tsv|json</code>). "
                "The FHIR export carries the same measures as Observations.</p>")

    def html(self) -> str:
        body = "\n".join(part for part in (self.header(), self.summary(), self.plan(), self.adherence(), self.laterality(),
                                           self.guided(), self.exposure(), self.norms(), self.about()) if part)
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>gmi report: {_e(self.data.subject)}</title><style>{CSS}</style></head>"
                f"<body>{body}</body></html>")


def write_html(data: Dataset, out: Path) -> list[Path]:
    path = out / f"sub-{data.subject}_report.html"
    atomic_write_bytes(path, Report(data).html().encode("utf-8"))
    return [path]
