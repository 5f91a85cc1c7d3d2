"""What a step pane is drawn from (`WalkView`) and what it asks of the screen that holds it
(`StepHost`, which the walk screen is). Apart from base.py so that the parts of a pane (its
consultations box) can know them without importing the pane that holds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ethicsdesk.domain.analysis import Analysis
from ethicsdesk.domain.checks import BLOCKING, Finding
from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.problem_framing import FRAMING_FIELDS
from ethicsdesk.domain.record import RecordState
from ethicsdesk.domain.walk import STEP_TITLES, STEPS, StepId

if TYPE_CHECKING:
    from ethicsdesk.errors import EditConflict
    from ethicsdesk.service import Service
    from ethicsdesk.service.records import RecordAccess

# A training walk (screens/walk.py): the steps the sample gives, not editable there
TRAINING_GIVEN: frozenset[StepId] = frozenset({"situation", "options"})
# The sample gives the facts, not the trainee's reading of them: the danger question and the kind of
# problem are the first judgements of the method, so they stay open on the given Situation step.
TRAINEE_JUDGEMENTS: frozenset[str] = frozenset(f"text:{name}" for name in FRAMING_FIELDS)


@dataclass(frozen=True)
class WalkView:
    """Everything a pane draws from: plain data, computed once per change."""

    state: RecordState
    framework: Framework
    catalogue: Catalogue
    analysis: Analysis
    lacks: dict[str, list[str]]  # what is missing, per step: the texts of `findings`
    findings: tuple[Finding, ...] = ()
    read_only: bool = False
    locked: frozenset[StepId] = frozenset()  # steps given and not editable here (training: situation, options)
    # fields a locked step still leaves open: the practitioner's own judgement on given facts (training:
    # is anyone in danger, what kind of problem is this), which the sample cannot answer for the trainee
    open_fields: frozenset[str] = frozenset()

    def editable(self, step: StepId) -> bool:
        return not self.read_only and step not in self.locked

    def field_editable(self, step: StepId, save_key: str) -> bool:
        """Whether the field saved under `save_key` on `step` takes input here."""
        return self.editable(step) or (not self.read_only and save_key in self.open_fields)

    def blocking_before(self, target: StepId) -> list[str]:
        """What stops a move forward to `target`: the required parts of each step before it."""
        before = STEPS[: STEPS.index(target)]
        return [f.text for f in self.findings if f.id in BLOCKING and f.step in before]


# The analysis last made, with what it was made from: a score press makes it for the preview (on the
# UI thread) and again for the saved state (on the writer's), from the same matrix. Held whole, so
# the framework and catalogue compared by identity cannot be others at a reused address.
_last_analysis: list[tuple[Framework, Catalogue, tuple[object, ...], Analysis]] = []


def analysis_of(state: RecordState, framework: Framework, catalogue: Catalogue) -> Analysis:
    """`analyse_record`, made once for the same inputs twice in a row (all that it reads of `state`)."""
    from ethicsdesk.domain.analysis import analyse_record

    inputs = (
        tuple(state.priority),
        tuple(state.obligations),
        tuple((o.key, o.label) for o in state.options),
        tuple(state.scores.items()),
        tuple(state.weights.items()),
        tuple(state.floor_checks.items()),
    )
    last = _last_analysis[0] if _last_analysis else None
    if last is not None and last[0] is framework and last[1] is catalogue and last[2] == inputs:
        return last[3]
    analysis = analyse_record(state, framework, catalogue)
    _last_analysis[:] = [(framework, catalogue, inputs, analysis)]
    return analysis


def walk_view(
    state: RecordState,
    reader: RecordAccess,
    *,
    read_only: bool,
    locked: frozenset[StepId],
    open_fields: frozenset[str] = frozenset(),
) -> WalkView:
    """What the panes draw from `state`: its framework, its analysis and what is missing (no SQL:
    safe on the writer's thread)."""
    from ethicsdesk.domain.checks import missing_by_step, quality_checks

    framework, catalogue = reader.framework_of(state), reader.catalogue()
    findings = quality_checks(state, framework, catalogue, reader.today())
    return WalkView(
        state=state,
        framework=framework,
        catalogue=catalogue,
        analysis=analysis_of(state, framework, catalogue),
        lacks={step: [f.text for f in found] for step, found in missing_by_step(findings).items()},
        findings=tuple(findings),
        read_only=read_only,
        locked=locked,
        open_fields=open_fields,
    )


@runtime_checkable
class StepHost(Protocol):
    """What a pane asks of the screen it is on: the view last drawn, whether the record is read-only
    there, and a change to the record run through the screen's writer (then redrawn)."""

    view: WalkView | None
    read_only: bool

    def change(
        self,
        operation: Callable[[Service, str], Any],
        *,
        seen: Callable[[], RecordState | None] | None = None,
        done: Callable[[bool, Any], None] | None = None,
        conflict: Callable[[EditConflict], None] | None = None,
    ) -> None: ...


def step_head_text(view: WalkView, step: StepId, at_event: int | None, *, read_only: bool, training: bool) -> str:
    """The line's text: the step and the record's title, the notes that apply, and what is missing."""
    lacks = view.lacks.get(step, [])
    state = view.state
    head = f"Step {STEPS.index(step) + 1} of 7 · {STEP_TITLES[step]} · {state.title or '(untitled)'}"
    if at_event is not None:
        head += f"\nreplay: as it stood after event {at_event} (read-only)"
    elif state.frozen and state.signature is not None:
        head += f"\nsigned by {state.signature.signer}, frozen (ctrl+a adds an addendum)"
    elif read_only:
        head += "\nread-only"
    elif training:
        head += "\ntraining (the facts and options are given)"
    if lacks:
        head += f"\nStill missing here ({len(lacks)}): " + " ".join(lacks)
    else:
        head += "\nNothing is missing on this step."
    return head
