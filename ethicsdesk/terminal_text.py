"""Record text on its way to a terminal: one function, `shown`, used by every face.

Record text is typed by other people (a shared database, an imported file), and a terminal obeys
what it is sent: ESC[2J clears the screen, OSC 52 writes the clipboard, OSC 8 makes a link, a C1
control (U+009B is a one-byte CSI) starts a sequence, and a bidirectional override reverses what
follows it. `print`, Rich and Textual (markup off) pass all of them through, so
every face shows such a character as its visible escape, `\\u001b`: readable, never obeyed.

The same escape is valid JSON, so JSON for other programs passes through `shown` too and still
decodes to the original text (json.dumps escapes C0 controls itself but not C1 or bidi controls).
"""

from __future__ import annotations

import re

# The characters neutralised, in one place for every face and report: C0 controls but tab and line
# feed, DEL and the C1 controls; and bidi embeddings, overrides and isolates.
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSHOWN = re.compile(f"[{_C0_C1}{_BIDI}]")
# One line (a message, a table cell): line breaks and tabs too.
_UNSHOWN_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_CONTROLS = re.compile(f"[{_C0_C1}]")
BIDI_CONTROLS = re.compile(f"[{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def shown(text: str, *, one_line: bool = False) -> str:
    """`text` with every character a terminal would act on written as its `\\uXXXX` escape; line
    breaks (CRLF read as one) and tabs are kept unless `one_line`."""
    if one_line:
        return _UNSHOWN_ONE_LINE.sub(_escape, text)
    return _UNSHOWN.sub(_escape, text.replace("\r\n", "\n"))


def needs_showing(text: str) -> bool:
    """Whether `shown` would change `text` (a fast test for a screen's every line)."""
    return _UNSHOWN.search(text) is not None


def replaced(text: str) -> str:
    """`text` with every control character but tab and line feed as U+FFFD (CRLF read as one line
    break): for text that is read rather than obeyed but may still be printed to a terminal (a
    Markdown report, the debrief), where a visible escape would read as something the user typed.
    Bidi controls are left to the caller, who isolates them."""
    return _CONTROLS.sub("\ufffd", text.replace("\r\n", "\n"))
