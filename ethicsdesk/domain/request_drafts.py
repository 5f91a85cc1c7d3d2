"""A consultation request while it is being written, kept as typed like every other field of the walk.

The Consult step's form (the sign-off request) and the window ctrl+o opens (a request from any step)
each keep whom they ask (kind and name) and the question as text fields of the record: rows of
`record_texts` (no migration), saved by the path every other field takes (a `field.set` event through
the service), so closing the terminal loses nothing typed. They are drafts of a request, not part of
the reasoning: no report shows them. The window's draft is emptied once its request is asked; the
Consult step's form goes on showing what was asked, as before.
"""

from __future__ import annotations

SIGN_OFF_DRAFT = {"kind": "request_kind", "name": "request_name", "question": "request_question"}
ASK_DRAFT = {"kind": "ask_kind", "name": "ask_name", "question": "ask_question"}
REQUEST_DRAFT_FIELDS = (*SIGN_OFF_DRAFT.values(), *ASK_DRAFT.values())


def drafted_kind(text: str, kinds: tuple[str, ...], default: str) -> str:
    """The kind a draft holds, read as one of `kinds` (the consultant kinds); anything else (nothing
    chosen yet, or text a draft was given by other means: it is only a draft) reads as `default`."""
    return text if text in kinds else default
