"""The debrief of a training attempt and the cohort view of a sample, as files a trainer keeps:
Markdown for people (the templates `reports/debrief.md.j2` and `reports/cohort.md.j2`), JSON for
other programs (the domain's own `to_json`, written as the JSON exporter writes a report).

`debrief_view` and `cohort_view` turn the domain's figures (domain/training.py) into plain view
data: text as it was typed, numbers as numbers. The Markdown templates run in the report
environment (reporting/render.py), so every piece of user text (titles, labels, names,
rationales, notes, questions) is escaped on the way out: a rationale holding `<script>` or
`| --- |` stays text. Samples are fictional, and a debrief holds no facts of the situation, so
nothing is masked here. Writing the file is the service's (service/exporting.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ethicsdesk.domain.quality import LEVEL_NAMES
from ethicsdesk.domain.training import PLAN_KEYS, PLAN_LABELS, CellComparison, Cohort, Debrief, Reference
from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.exporters import json_text
from ethicsdesk.reporting.render import render_template
from ethicsdesk.reporting.training_text import option_marks

FORMATS = ("md", "json")


def _choice(reference: Reference, key: str | None) -> dict[str, Any] | None:
    """An option as the decision section names it; `mark` is None for a key the sample lacks."""
    if key is None:
        return None
    if key not in reference.keys:
        return {"mark": None, "label": key}
    return {"mark": option_marks(reference)[key], "label": reference.label(key)}


def _cell(cell: CellComparison) -> dict[str, Any]:
    gap = None if cell.trainee is None else abs(cell.trainee - cell.reference)
    return {"trainee": cell.trainee, "reference": cell.reference, "gap": gap}


# --- the debrief ----------------------------------------------------------------------------------
def debrief_view(debrief: Debrief, obligation_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    names = obligation_names or {}
    ref = debrief.reference
    marks = option_marks(ref)
    return {
        **_debrief_header(debrief),
        "options": _option_rows(debrief, marks),
        "principles": [
            {
                "name": ref.name(p),
                "cells": [_cell(debrief.cell(k, p)) for k in ref.keys],
                "agreement": debrief.principle_agreement(p),
            }
            for p in ref.principles
        ],
        "differences": _difference_rows(debrief, marks),
        "weights": [
            {
                "principle": ref.name(w.principle),
                "trainee": w.trainee,
                "reference": w.reference,
                "agreement": w.agreement,
            }
            for w in debrief.weights
        ],
        "obligations": {
            "missed": [names.get(o, o) for o in debrief.obligations_missed],
            "added": [names.get(o, o) for o in debrief.obligations_added],
            "both": [names.get(o, o) for o in ref.obligations if o in debrief.obligations_ticked],
        },
        # each option against each floor or code rule, as the trainee and the reference judged it
        "floors": [
            {"obligation": names.get(ob, ob), "option": _choice(ref, opt), "yours": mine, "reference": theirs}
            for ob, opt, mine, theirs in debrief.floor_rows()
        ],
        "chosen": _choice(ref, debrief.chosen),
        "reference_chosen": _choice(ref, ref.chosen),
        "rationale": debrief.rationale if debrief.rationale.strip() else "",
        "reference_rationale": ref.rationale,
        # who decides and the client's part: (question, yours, the sample's)
        "client_part": [
            {"question": q, "yours": mine, "reference": theirs} for q, mine, theirs in debrief.client_part_rows()
        ],
        **_sources_and_plan(debrief),
        "discussion": list(ref.discussion),
        "domains": _domains(debrief),
        "rating": _rating(debrief),
    }


def _debrief_header(debrief: Debrief) -> dict[str, Any]:
    """Which sample, whose attempt and when, and the overall figures of agreement."""
    ref = debrief.reference
    return {
        "title": ref.title,
        "sample_id": ref.sample_id,
        "record_id": debrief.record_id,
        "trainee": debrief.trainee if debrief.trainee.strip() else "",
        "started": debrief.attempted_at[:10],
        "overall": debrief.overall,
        "scored": debrief.scored,
        "cells": len(debrief.cells),
        "weights_agreement": debrief.weights_agreement,
        "same_choice": debrief.same_choice,
    }


def _option_rows(debrief: Debrief, marks: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "mark": marks[k],
            "label": label,
            "agreement": debrief.option_agreement(k),
            "trainee_total": debrief.trainee_totals[k],
            "reference_total": debrief.reference_totals[k],
        }
        for k, label in debrief.reference.options
    ]


def _difference_rows(debrief: Debrief, marks: Mapping[str, str]) -> list[dict[str, Any]]:
    """The cells where the trainee and the reference differ most, with the reference's note."""
    ref = debrief.reference
    return [
        {
            "option": marks[c.option],
            "principle": ref.name(c.principle),
            "trainee": c.trainee,
            "reference": c.reference,
            "agreement": c.agreement,
            "note": ref.notes.get((c.option, c.principle), ""),
        }
        for c in debrief.most_different()
    ]


def _sources_and_plan(debrief: Debrief) -> dict[str, Any]:
    """The trainee's sources and plan beside the reference's, where the sample has them."""
    ref = debrief.reference
    shown = bool(ref.sources or ref.plan)
    return {
        "sources": (
            [{"who": "Yours", "entries": list(debrief.sources)}, {"who": "Reference", "entries": list(ref.sources)}]
            if shown
            else []
        ),
        "plan": [
            {
                "label": PLAN_LABELS[key],
                "yours": debrief.plan.get(key, "not written"),
                "reference": ref.plan.get(key, "not written"),
            }
            for key in PLAN_KEYS
            if shown and (key in ref.plan or key in debrief.plan)
        ],
    }


def _domains(debrief: Debrief) -> list[dict[str, str]]:
    """The four domains after ECQAT, the trainee's mark beside the reference's (domain/quality.py),
    and the trainer's mark when the attempt is rated ("" when not)."""
    from ethicsdesk.domain.quality import DOMAIN_NAMES, MARK_NAMES

    rated = debrief.rating.marks if debrief.rating is not None else {}
    return [
        {
            "name": DOMAIN_NAMES[d],
            "yours": MARK_NAMES.get(mine, mine),
            "reference": MARK_NAMES.get(theirs, theirs),
            "rated": MARK_NAMES.get(rated.get(d, ""), ""),
        }
        for d, mine, theirs in debrief.domains
    ]


def _rating(debrief: Debrief) -> dict[str, Any] | None:
    """The trainer's rating of the attempt: level, its name, who, when and the note; None unrated."""
    from ethicsdesk.domain.quality import LEVEL_NAMES

    r = debrief.rating
    if r is None:
        return None
    return {"level": r.level, "label": LEVEL_NAMES.get(r.level, ""), "by": r.rated_by, "on": r.rated_at[:10],
            "note": r.note}


def debrief_markdown(debrief: Debrief, obligation_names: Mapping[str, str] | None = None) -> str:
    return _markdown("debrief.md.j2", debrief_view(debrief, obligation_names))


# --- the cohort -----------------------------------------------------------------------------------
def cohort_view(cohort: Cohort, obligation_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    names = obligation_names or {}
    ref = cohort.reference
    marks = option_marks(ref)
    return {
        "title": ref.title,
        "sample_id": ref.sample_id,
        "overall": cohort.overall,
        "attempts": [
            {
                "trainee": a.trainee,
                "started": a.attempted_at[:10],
                "chose": marks.get(a.chosen, "?") if a.chosen else "–",
                "overall": a.overall,
                "weights_agreement": a.weights_agreement,
                "missed": [names.get(o, o) for o in a.obligations_missed],
                "domains_done": a.domains_done,
                "level": a.level,
                "level_label": LEVEL_NAMES.get(a.level, "") if a.level is not None else "",
            }
            for a in cohort.attempts
        ],
        "options": [
            {
                "mark": marks[k],
                "label": label,
                "reference": k == ref.chosen,
                "chosen_by": cohort.choices.get(k, 0),
                "cells": [
                    {
                        "principle": ref.name(c.principle),
                        "reference": c.reference,
                        "counts": [c.counts.get(s, 0) for s in (-2, -1, 0, 1, 2)],
                        "unscored": c.unscored,
                        "mean": c.mean,
                        "agreement": c.agreement,
                    }
                    for c in (cohort.cell(k, p) for p in ref.principles)
                ],
            }
            for k, label in ref.options
        ],
        "undecided": cohort.undecided,
        "missed": [{"name": names.get(o, o), "attempts": n} for o, n in cohort.missed],
        "added": [{"name": names.get(o, o), "attempts": n} for o, n in cohort.added],
        "widest": [
            {
                "option": marks[c.option],
                "principle": ref.name(c.principle),
                "minimum": c.minimum,
                "maximum": c.maximum,
                "reference": c.reference,
                "mean": c.mean,
            }
            for c in cohort.widest()
            if c.mean is not None
        ],
    }


def cohort_markdown(cohort: Cohort, obligation_names: Mapping[str, str] | None = None) -> str:
    return _markdown("cohort.md.j2", cohort_view(cohort, obligation_names))


# --- files ----------------------------------------------------------------------------------------
def _markdown(template: str, view: dict[str, Any]) -> str:
    # the shipped templates only: an agency's --templates folder is for the rationale report
    return render_template("md", template, view).rstrip("\n") + "\n"


def as_json(data: dict[str, Any]) -> str:
    return json_text(data)


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise BadInput(f"'{fmt}' is not a format of the debrief or the cohort view; use md or json.")


def debrief_file(debrief: Debrief, fmt: str = "md", obligation_names: Mapping[str, str] | None = None) -> bytes:
    """The bytes of a debrief file in `fmt` (md or json)."""
    _check(fmt)
    text = debrief_markdown(debrief, obligation_names) if fmt == "md" else as_json(debrief.to_json())
    return text.encode("utf-8")


def cohort_file(cohort: Cohort, fmt: str = "md", obligation_names: Mapping[str, str] | None = None) -> bytes:
    """The bytes of a cohort file in `fmt` (md or json)."""
    _check(fmt)
    text = cohort_markdown(cohort, obligation_names) if fmt == "md" else as_json(cohort.to_json())
    return text.encode("utf-8")
