"""Records for the report tests, built with a fixed clock and fixed ids so that reports are
byte-for-byte repeatable: the discharge sample as imported, the threat sample walked on to a
requested consultation, and a record with hostile text in every field."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import decision_questions
from ethicsdesk.domain.client_part import FIELD_CHOICES
from ethicsdesk.domain.problem_framing import FRAMING_FIELDS
from ethicsdesk.domain.record import TEXT_FIELDS
from ethicsdesk.service import Service, signing
from ethicsdesk.service.records import Clock
from ethicsdesk.service.review import RatingInput
from ethicsdesk.settings import User
from tests.conftest import DILEMMAS

SUPERVISOR = User("Dana Whitlock", "supervisor")

GOLDEN = Path(__file__).parent / "golden"

# Every kind of text that has broken a report somewhere: markup and script, Markdown block and
# table syntax, an unclosed right-to-left override, Hebrew, Arabic, CJK, and a very long line.
HOSTILE_LABEL = (
    "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"
    " | a | b | `code` **bold** [link](javascript:alert(1)) \u202eevil עברית 中文 &amp;"
)
HOSTILE_LINES = [
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\"><svg onload=alert(1)>",
    "| cell | break |",
    "|---|---|",
    "# Not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "```",
    "[link](javascript:alert(1)) ![image](http://example.invalid/x.png) <http://example.invalid>",
    "**bold** _em_ ~~strike~~ \\ back\\slash & &amp; &lt; $x$",
    "\u202eright-to-left override: עברית والعربية",
    "中文汉字 日本語のテキスト 한국어",
    "x" * 3000,
]
HOSTILE_TEXT = "\n".join(HOSTILE_LINES)


class SteppingClock(Clock):
    """Timestamps one second apart from a fixed start, and record ids counted (rec0000001, ...)."""

    def __init__(self) -> None:
        self._seconds = itertools.count()
        self._ids = itertools.count(1)

    def now(self) -> str:
        n = next(self._seconds)
        return f"2025-03-04T09:{n // 60 % 60:02d}:{n % 60:02d}.000000Z"

    def new_id(self) -> str:
        return f"rec{next(self._ids):07d}"


@pytest.fixture
def clock() -> Clock:
    """Every service of a report test runs on a stepping clock, so that reports are byte-for-byte
    repeatable (the records' times and ids are in them)."""
    return SteppingClock()


@pytest.fixture
def discharge_id(service: Service) -> str:
    """The discharge sample as imported: reference weighing and decision, nothing more."""
    return service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])[0]


@pytest.fixture
def threat_id(service: Service) -> str:
    """The threat sample walked on: legal floors checked, the decision justified and tested, and a
    consultation requested."""
    rid = service.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])[0]
    service.editing.set_text(rid, "capacity", "He has capacity; he is angry, not confused.")
    service.editing.set_text(
        rid, "unknowns", "Whether the firearm is still in the house.\nWhether he has told anyone else."
    )
    state = service.record(rid)
    chosen = state.decision["chosen"]
    # The case manager's own weighing differs from the reference: she scores the broken confidence harder.
    service.editing.score(rid, chosen, "fidelity", -2)
    service.editing.note(rid, chosen, "fidelity", "He trusted me with it; he will feel betrayed.")
    for floor in ("duty-to-warn", "imminent-risk"):
        for option in state.options:
            honours = None if option.key == "crisis-evaluation-only" else option.key in (chosen, "warn-only")
            service.editing.check_floor(rid, floor, option.key, honours)
    # a code rule: the case manager ticks it herself (the sample does not, since nothing in
    # it is falsified) and judges that the status quo, which leaves the threat out of the notes, breaks it
    service.editing.set_obligation(rid, "documentation-integrity", True)
    for option in state.options:
        service.editing.check_floor(rid, "documentation-integrity", option.key, option.key != state.options[0].key)
    # consultation from earlier steps: a colleague and the ethics committee, answers written in
    service.editing.request_consultation(
        rid, "Lee Marsh", "Have you had to warn anyone before?", kind="colleague", step="obligations"
    )
    service.editing.record_consultation_answer(rid, 1, "Once; the police asked for the exact words he used.")
    service.editing.request_consultation(
        rid, "Northside ethics committee", "Is warning without telling him first defensible?",
        kind="committee", step="options",
    )
    service.editing.record_consultation_answer(
        rid, 2, "Yes, if telling him first would raise the risk.", outcome="concur", conditions="Tell him within a day."
    )
    service.editing.decide(
        rid, "mitigation", "Tell him once the police say it is safe; share only the threat and the name."
    )
    service.editing.decide(rid, "follow_up", "2025-03-05")
    for q in decision_questions(service.record(rid), service.framework_of(state)):
        passes = "no" if q.prompt.fails_on == "yes" else "yes"  # the liking test passes on "no"
        answer = "no" if q.key == "sure:supported" else (passes if q.group != "justify" else f"Met: {q.prompt.title}.")
        service.editing.answer(rid, q.key, answer)
    service.editing.request_consultation(rid, "Dana Whitlock", "Do you agree the duty to warn applies here?")
    return rid


def fixed_signing_key(user: str) -> signing.SigningKey:
    """An Ed25519 key from a fixed seed: Ed25519 signatures are deterministic, so reports stay repeatable."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return signing.SigningKey(user, base64.b64encode(raw).decode(), private)


@pytest.fixture
def signed_threat_id(service: Service, threat_id: str, db_url: str) -> str:
    """The threat record answered, rated and signed by the supervisor, with an addendum after signing."""
    supervisor = Service.open(db_url, SUPERVISOR, service.clock)
    assert isinstance(supervisor, Service)
    try:
        supervisor.review.answer_consultation(
            threat_id,
            "concur-with-changes",
            "The duty to warn applies: the threat is specific, the person identifiable, the means at hand.",
            "Agree with the police when the client is told, not before the named man is safe; record each call's time.",
            rating=RatingInput(
                {"question": "met", "information": "met", "analysis": "partly", "conclusions": "met"},
                3,
                "The analysis names the floor but not how the client's own safety was weighed.",
            ),
        )
        supervisor.review.sign(threat_id, fixed_signing_key(SUPERVISOR.name))
    finally:
        supervisor.close()
    service.review.add_addendum(
        threat_id, "outcome", "What happened after the calls.",
        "The named man was warned at 16:10; the police removed the rifle that evening.\n"
        "The client kept his next appointment.",
    )
    return threat_id


@pytest.fixture
def hostile_id(service: Service) -> str:
    """A record with hostile text in every field a person can fill in."""
    return build_hostile_record(service)


def build_hostile_record(service: Service) -> str:
    rid = service.editing.create_record(HOSTILE_LABEL, case_code="<b>C-1</b>|x")
    for name in TEXT_FIELDS:
        # a choice takes no free text
        if name not in ("title", "case_code", "outcome", *FIELD_CHOICES, *FRAMING_FIELDS):
            service.editing.set_text(rid, name, HOSTILE_TEXT)
    service.editing.set_list(rid, "tags", [HOSTILE_LABEL])
    service.editing.set_stakeholders(rid, [(HOSTILE_LABEL, HOSTILE_TEXT)])
    first = service.editing.add_option(rid, HOSTILE_LABEL, HOSTILE_TEXT)
    second = service.editing.add_option(rid, HOSTILE_LABEL + " 2", HOSTILE_TEXT)
    state = service.record(rid)
    fw = service.framework_of(state)
    for n, p in enumerate(fw.ids):
        service.editing.score(rid, first, p, 2 if n % 2 else -2)
        service.editing.score(rid, second, p, -1 if n % 2 else 1)
        service.editing.note(rid, first, p, HOSTILE_TEXT[:1900])
    service.editing.decide(rid, "chosen", first)
    for field in ("rationale", "mitigation"):
        service.editing.decide(rid, field, HOSTILE_TEXT)
    service.editing.decide(rid, "follow_up", "2026-12-15")  # a date, read as one: it cannot carry text
    for q in decision_questions(service.record(rid), fw):
        service.editing.answer(rid, q.key, HOSTILE_TEXT[:3900])
    # asked mid-walk: whom, the question and the answer written in are user text too
    service.editing.request_consultation(rid, HOSTILE_LABEL, HOSTILE_TEXT, kind="committee", step="options")
    service.editing.record_consultation_answer(rid, 1, HOSTILE_TEXT, conditions=HOSTILE_TEXT)
    service.editing.request_consultation(rid, HOSTILE_LABEL, HOSTILE_TEXT)
    service.editing.set_text(rid, "outcome", HOSTILE_TEXT)
    return rid


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run in an empty folder (default export paths land in the current folder)."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
