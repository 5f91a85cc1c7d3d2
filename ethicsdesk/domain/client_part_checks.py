"""The checks of the client's part in a decision: who decides, whether a capable client took part,
and the surrogate's standard where a surrogate decides (listed with the others by checks.py)."""

from __future__ import annotations

from ethicsdesk.domain.client_part import shown_value
from ethicsdesk.domain.findings import Finding, join_names
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import RecordState


def client_presumed_capable(state: RecordState) -> bool:
    """Whether the record treats the client as able to take part in this decision.

    The capacity field is prose ("assessed by Dr X, lacks capacity for finances only"), and a check
    that guessed from prose would be wrong both ways, so it is not read. What the record does say in a
    form a check can read is who decides: a surrogate decides only for someone who cannot (a minor, or a
    client found to lack capacity for this decision). Otherwise the presumption of capacity holds, as
    it does in law and in the codes (self-determination, NACM 2 and 5): ticking the capacity duty says
    capacity is in question, not that it is absent. To lift the flag honestly, name the surrogate."""
    return state.text.get("decision_maker", "") != "surrogate"


# The surrogate's standard is asked of the rationale (or the capacity note) by the two names the
# standards go by: a narrow test for a named standard, not a guess at what the prose means.
SURROGATE_STANDARDS = ("substituted judg", "best interest")


def _names_surrogate_standard(state: RecordState) -> bool:
    text = (state.decision.get("rationale", "") + " " + state.text.get("capacity", "")).lower()
    return any(standard in text for standard in SURROGATE_STANDARDS)


def client_part_findings(state: RecordState, catalogue: Catalogue) -> list[Finding]:
    who = state.text.get("decision_maker", "")
    if who == "duty":
        # A step a legal or safety floor makes the professional's own (a mandated report, a duty to
        # protect) is not the client's to take, and involving the client first could endanger them:
        # no call to involve them. But the exemption stands only where such a floor is ticked.
        floors = [o for o in catalogue.floors if o.id in state.obligations and o.floor in ("legal", "safety")]
        if floors:
            return []
        return [
            Finding(
                "duty-without-floor",
                "decide",
                "Who decides is recorded as a professional duty, but no legal or safety floor is ticked on the "
                "Obligations step: tick the floor that makes it a duty, or record who decides.",
            )
        ]
    if who == "surrogate" and not _names_surrogate_standard(state):
        return [
            Finding(
                "surrogate-standard",
                "decide",
                "A surrogate decides, but the rationale does not say by which standard: the client's known wishes "
                "(substituted judgement) first, best interests only where those wishes cannot be known.",
            )
        ]
    if state.text.get("client_involved", "") != "no" or not client_presumed_capable(state):
        return []
    decided = f" (who decides: {shown_value('decision_maker', who).lower()})" if who else ""
    # where a legal or safety floor is ticked, the step may be the professional's own duty: say how
    # to record that, rather than only pushing to involve a client whom involving could endanger
    named = [o.name for o in catalogue.floors if o.id in state.obligations and o.floor in ("legal", "safety")]
    duty = (
        f"; or, if {join_names(named)} makes this step your own duty, record who decides as a professional duty"
        if named
        else ""
    )
    return [
        Finding(
            "capable-client-left-out",
            "decide",
            f"The client took no part in this decision{decided}, though nothing in the record says they cannot "
            "decide for themselves: involve them, or, if they lack capacity for this decision, record the "
            f"surrogate who decides for them{duty}.",
        )
    ]
