"""Decision checks: justifying a compromise, testing the action, decisional conflict, and what is missing.

The prompts are data; the answers live in RecordState.answers under string keys:

    justify:<principle id>:<condition id>   free text: how the condition is met for that principle
    test:<test id>                          "yes" or "no" (other text counts as answered, not as failed)
    sure:<item id>                          "yes" or "no"

`quality_checks` lists what a supervisor reading the record would find missing, step by step.
Pure Python, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ethicsdesk.domain.client_part_checks import client_part_findings
from ethicsdesk.domain.client_part_checks import client_presumed_capable as client_presumed_capable
from ethicsdesk.domain.findings import Finding as Finding
from ethicsdesk.domain.findings import join_names as _join
from ethicsdesk.domain.frameworks import CCMC_PRINCIPLE_IDS, Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.problem_framing import DANGER_FLOOR, danger_raised
from ethicsdesk.domain.prompts import ACTION_TESTS as ACTION_TESTS
from ethicsdesk.domain.prompts import JUSTIFICATION_CONDITIONS as JUSTIFICATION_CONDITIONS
from ethicsdesk.domain.prompts import SURE_ITEMS as SURE_ITEMS
from ethicsdesk.domain.prompts import Prompt as Prompt
from ethicsdesk.domain.prompts import action_test_key as action_test_key
from ethicsdesk.domain.prompts import is_no as is_no
from ethicsdesk.domain.prompts import is_yes as is_yes
from ethicsdesk.domain.prompts import sure_key as sure_key
from ethicsdesk.domain.record import PLAN_FIELDS, RecordState, justification_key
from ethicsdesk.domain.walk import STEPS as STEPS


def _fails(test: Prompt, answer: str | None) -> bool:
    return is_yes(answer) if test.fails_on == "yes" else is_no(answer)


def _answered(state: RecordState, key: str) -> bool:
    return bool(state.answers.get(key, "").strip())


def compromised_principles(state: RecordState, framework: Framework | None = None) -> list[str]:
    """The principles on which the chosen option is scored below 0.

    In the framework's order when one is given (and only its principles); otherwise in CCMC order,
    then any other ids alphabetically. Empty when no option is chosen.
    """
    chosen = state.decision.get("chosen", "")
    if not chosen:
        return []
    below = {p for (o, p), score in state.scores.items() if o == chosen and score < 0}
    if framework is not None:
        return [p for p in framework.ids if p in below]
    known = [p for p in CCMC_PRINCIPLE_IDS if p in below]
    return known + sorted(below - set(known))


@dataclass(frozen=True)
class Question:
    """One decision check as the decide step shows it and a report prints it."""

    key: str  # the RecordState.answers key
    group: str  # "justify" | "test" | "sure"
    principle: str | None  # for "justify": the compromised principle
    prompt: Prompt
    answer: str


def decision_questions(state: RecordState, framework: Framework) -> list[Question]:
    """Every decision check due for the record's chosen option, with the answers given so far."""
    questions: list[Question] = []
    for p in compromised_principles(state, framework):
        for c in JUSTIFICATION_CONDITIONS:
            key = justification_key(p, c.id)
            questions.append(Question(key, "justify", p, c, state.answers.get(key, "")))
    for group, prompts, make_key in (("test", ACTION_TESTS, action_test_key), ("sure", SURE_ITEMS, sure_key)):
        for prompt in prompts:
            key = make_key(prompt.id)
            questions.append(Question(key, group, None, prompt, state.answers.get(key, "")))
    return questions


def _situation(state: RecordState) -> list[Finding]:
    found: list[Finding] = []
    if not state.title.strip():
        found.append(Finding("no-title", "situation", "The record has no title."))
    if not state.text.get("facts", "").strip():
        found.append(Finding("no-facts", "situation", "No facts are recorded."))
    if not state.text.get("client_wishes", "").strip():
        found.append(
            Finding("no-client-wishes", "situation", "The client's own wishes and preferences are not recorded.")
        )
    if not state.text.get("question", "").strip():
        found.append(
            Finding(
                "no-question",
                "situation",
                'There is no ethics question ("Given ..., is it ethically justifiable to ...?").',
            )
        )
    return found


def _obligations(state: RecordState, catalogue: Catalogue) -> list[Finding]:
    found: list[Finding] = []
    if not state.obligations:
        # Every dilemma touches some duty (confidentiality at least); an empty list means the step
        # has not been done yet, so it must not look complete.
        found.append(Finding("no-obligations", "obligations", "No duty is ticked on the Obligations step."))
    for oid in state.obligations:
        if catalogue.get(oid) is None:
            found.append(
                Finding(
                    "unknown-obligation",
                    "obligations",
                    f"The ticked duty '{oid}' is not in the catalogue.",
                    oid,
                )
            )
    if danger_raised(state.text) and DANGER_FLOOR not in state.obligations and catalogue.get(DANGER_FLOOR):
        # the danger question ticked it; unticking it since leaves the answer and the duties at odds
        found.append(
            Finding(
                "danger-floor-unticked",
                "obligations",
                f"Someone may be in immediate danger (Situation), but {catalogue.obligation(DANGER_FLOOR).name} "
                "is not ticked: tick it, or change the answer if the danger is over.",
                DANGER_FLOOR,
            )
        )
    for floor in catalogue.floors:
        if floor.id not in state.obligations:
            continue
        missing = [o.label or o.key for o in state.options if (floor.id, o.key) not in state.floor_checks]
        if missing:
            found.append(
                Finding(
                    "floor-unchecked",
                    "obligations",
                    f"{floor.name} is a {floor.floor_name}, but not every option has been checked against it "
                    f"(not yet: {_join(missing)}).",
                    floor.id,
                )
            )
    return found


def _weigh(state: RecordState, framework: Framework) -> list[Finding]:
    found: list[Finding] = []
    if not state.options:
        found.append(Finding("nothing-to-weigh", "weigh", "There are no options to weigh yet."))
    if (state.framework, state.framework_version) != (framework.id, framework.version):
        found.append(
            Finding(
                "framework-mismatch",
                "weigh",
                f"The record was weighed under {state.framework} version {state.framework_version}, but "
                f"these checks use {framework.id} version {framework.version}.",
            )
        )
    for option in state.options:
        label = option.label or option.key
        empty = [p for p in framework.ids if (option.key, p) not in state.scores]
        if len(empty) == len(framework.ids):
            text = f"{label} has not been scored."
        elif empty:
            text = f"{label} has no score on {_join([framework.name_of(p) for p in empty])}."
        else:
            continue
        found.append(Finding("unscored", "weigh", text, option.key))
    return found


def _decide(state: RecordState, framework: Framework, catalogue: Catalogue, today: date | None) -> list[Finding]:
    found: list[Finding] = []
    chosen = state.decision.get("chosen", "")
    option = state.option(chosen) if chosen else None
    if option is None:
        found.append(Finding("no-choice", "decide", "No option has been chosen."))
    if not state.decision.get("rationale", "").strip():
        found.append(Finding("no-rationale", "decide", "There is no rationale for the decision."))
    follow_up = state.decision.get("follow_up", "").strip()
    if not follow_up:
        found.append(Finding("no-follow-up", "decide", "No follow-up date is set."))
    elif today is not None and not state.frozen and follow_up < today.isoformat():  # a signed plan is history
        found.append(Finding("follow-up-past", "decide", f"The follow-up date, {follow_up}, is past; set the next."))
    if option is None:
        return found
    label = option.label or option.key
    found += _chosen_against_floors(state, catalogue, chosen, label)
    found += _compromises_unjustified(state, framework, label)
    found += _tests_of_the_action(state)
    return found


def _chosen_against_floors(state: RecordState, catalogue: Catalogue, chosen: str, label: str) -> list[Finding]:
    """A ticked floor or code rule that the chosen option is marked as not honouring."""
    found: list[Finding] = []
    for floor in catalogue.floors:
        if floor.id in state.obligations and state.floor_checks.get((floor.id, chosen)) is False:
            if floor.floor == "rule":  # a code rule is broken, not failed (Dolgoff's Ethical Rules Screen)
                finding = Finding(
                    "chosen-breaks-rule",
                    "decide",
                    f"The chosen option, {label}, breaks a code rule: {floor.name} "
                    f"({', '.join(floor.provisions[:1])}); weighing cannot make up for it.",
                    floor.id,
                )
            else:
                finding = Finding(
                    "chosen-breaks-floor",
                    "decide",
                    f"The chosen option, {label}, is marked as not honouring {floor.name}, a {floor.floor_name}.",
                    floor.id,
                )
            found.append(finding)
    return found


def _compromises_unjustified(state: RecordState, framework: Framework, label: str) -> list[Finding]:
    """A principle the choice compromises without a whole justification, or without mitigation."""
    found: list[Finding] = []
    compromised = compromised_principles(state, framework)
    for p in compromised:
        missing = [
            c.title.lower() for c in JUSTIFICATION_CONDITIONS if not _answered(state, justification_key(p, c.id))
        ]
        if missing:
            found.append(
                Finding(
                    "unjustified-compromise",
                    "decide",
                    f"{label} compromises {framework.name_of(p)}, but the justification is incomplete "
                    f"(missing: {_join(missing)}).",
                    p,
                )
            )
    if compromised and not state.decision.get("mitigation", "").strip():
        found.append(
            Finding(
                "no-mitigation",
                "decide",
                "The choice compromises a principle, but no mitigation is recorded.",
            )
        )
    return found


def _tests_of_the_action(state: RecordState) -> list[Finding]:
    """The tests of the action and the decisional-conflict items: unanswered, failed, or no."""
    found: list[Finding] = []
    unanswered = [t.title.lower() for t in ACTION_TESTS if not _answered(state, action_test_key(t.id))]
    if unanswered:
        found.append(Finding("tests-unanswered", "decide", f"Tests of the action not answered: {_join(unanswered)}."))
    for t in ACTION_TESTS:
        if _fails(t, state.answers.get(action_test_key(t.id))):
            found.append(
                Finding(
                    "test-failed", "decide", f"The {t.title.lower()} test was answered {t.fails_on}: {t.question}", t.id
                )
            )
    unanswered = [i.title.lower() for i in SURE_ITEMS if not _answered(state, sure_key(i.id))]
    if unanswered:
        found.append(
            Finding("sure-unanswered", "decide", f"Decisional-conflict items not answered: {_join(unanswered)}.")
        )
    for i in SURE_ITEMS:
        if is_no(state.answers.get(sure_key(i.id))):
            found.append(
                Finding(
                    "decisional-conflict",
                    "decide",
                    f'Decisional conflict: the answer to "{i.question}" was no.',
                    i.id,
                )
            )
    return found


def _consult(state: RecordState, catalogue: Catalogue) -> list[Finding]:
    ticked = [o for o in catalogue.floors if o.id in state.obligations]
    word = "code rule" if all(o.floor == "rule" for o in ticked) else "floor"
    floors = [o.name if word == "code rule" else f"{o.name} ({o.floor_name})" for o in ticked]
    signing_off = state.consultation is not None and state.consultation.state != "withdrawn"
    if signing_off or state.signature is not None:
        return []
    # a consultation asked from an earlier step answers "consultation is due now" for a floor;
    # the sign-off consultation is still to come
    consulted = any(c.state != "withdrawn" for c in state.step_consultations)
    if floors and not consulted:
        # a code rule alone puts no one in danger today: consult before acting, not "now"
        due = (
            f"consult before acting on {'them' if len(floors) > 1 else 'it'}."
            if word == "code rule"
            else "consultation is due now, alongside any report or emergency call you owe, never delaying it."
        )
        return [
            Finding(
                "floor-without-consultation",
                "consult",
                f"{_join(floors)} {f'are {word}s' if len(floors) > 1 else f'is a {word}'}, "
                "but no supervisor consultation is requested; " + due,
            )
        ]
    if consulted:
        return [
            Finding(
                "no-consultation",
                "consult",
                "Consultation was asked during the walk, but none is requested yet for sign-off.",
            )
        ]
    return [Finding("no-consultation", "consult", "No supervisor consultation has been requested.")]


def _outcome(state: RecordState) -> list[Finding]:
    # A signed record takes its outcome as an addendum, not in the step's fields: nothing to type there.
    if state.frozen or state.text.get("outcome", "").strip():
        return []
    return [Finding("no-outcome", "outcome", "What happened is not recorded yet (come back when you know).")]


# --- what an ethics consultation asks for and the record leaves empty ---------------------
# The client's choice is at issue when the case manager ticked capacity or informed consent: those
# duties are about the client's own decision. Recorded wishes alone are not enough (nearly every
# record has them, and a colleague's impairment or a payer's pressure puts no choice of the client's
# in question), so they do not make a capacity assessment due.
CHOICE_AT_ISSUE = ("capacity", "informed-consent")
PLAN_PARTS = {
    "plan_actions": "who does what by when",
    "plan_communication": "how it is communicated and to whom",
    "plan_revisit": "what would make you revisit the decision",
}


def _consultation_items(state: RecordState) -> list[Finding]:
    found: list[Finding] = []
    # A training attempt is given its situation by the sample and cannot edit it (tui: TRAINING_GIVEN),
    # so nothing is asked of the trainee there; the sources and the plan are the trainee's own work.
    given = state.kind == "training"
    if not state.stakeholders and not given:
        text = "No stakeholders are listed; add them on the Situation step."
        found.append(Finding("no-stakeholders", "situation", text))
    ticked = [o for o in CHOICE_AT_ISSUE if o in state.obligations]
    if ticked and not state.text.get("capacity", "").strip() and not given:
        found.append(
            Finding(
                "capacity-not-assessed",
                "situation",
                f"The client's choice is at issue ({_join(ticked)} ticked), but decision-making capacity is not "
                "assessed; record it on the Situation step.",
            )
        )
    if not state.sources:
        found.append(
            Finding(
                "no-sources",
                "obligations",
                "No sources consulted are listed (codes, policy, law, literature, colleagues); add them on the "
                "Obligations step.",
            )
        )
    empty = [PLAN_PARTS[f] for f in PLAN_FIELDS if not state.text.get(f, "").strip()]
    if len(empty) == len(PLAN_FIELDS):
        found.append(Finding("no-plan", "decide", "No implementation plan is recorded; write it on the Decide step."))
    elif empty:
        found.append(
            Finding(
                "plan-incomplete", "decide", f"The implementation plan leaves out {'; '.join(empty)} (Decide step)."
            )
        )
    return found


def quality_checks(
    state: RecordState, framework: Framework, catalogue: Catalogue, today: date | None = None
) -> list[Finding]:
    """What a supervisor would find missing, in the order of the walk's steps; with `today`, a
    follow-up date before it on an unsigned record too (reports leave it out: they repeat to the byte).

    Decision findings about the chosen option (floors, justification, mitigation, tests,
    decisional conflict) appear only once an option is chosen; "no-choice", "no-rationale" and
    "no-follow-up" appear until those are filled in.
    """
    found = _situation(state) + _obligations(state, catalogue)
    if len(state.options) < 2:
        found.append(
            Finding(
                "too-few-options",
                "options",
                f"The record has {len(state.options)} option(s); a dilemma needs at least two, "
                "including the status quo.",
            )
        )
    found += _weigh(state, framework) + _decide(state, framework, catalogue, today)
    found += client_part_findings(state, catalogue)
    found += _consult(state, catalogue) + _outcome(state) + _consultation_items(state)
    return sorted(found, key=lambda f: STEPS.index(f.step) if f.step in STEPS else len(STEPS))  # stable


# What must be there before the walk moves on past a step (the rest is asked for, never blocking:
# the client's wishes, say, cannot always be known yet).
BLOCKING = frozenset(
    {"no-title", "no-facts", "no-question", "too-few-options", "nothing-to-weigh", "unscored", "no-choice",
     "no-rationale"}
)


def missing_by_step(findings: list[Finding]) -> dict[str, list[Finding]]:
    """`quality_checks`' findings under each step of the walk: the one list of what is missing that
    the step line, the Decide box, the review, the report and `show` all print. A step with an
    empty list is complete."""
    by_step: dict[str, list[Finding]] = {s: [] for s in STEPS}
    for f in findings:
        by_step.setdefault(f.step, []).append(f)
    return by_step
