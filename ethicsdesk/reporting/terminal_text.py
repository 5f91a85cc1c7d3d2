"""Record text on its way to a terminal: one function, `shown`, used by every face.

Record text is typed by other people (a shared database, an imported file), and a terminal obeys
what it is sent: ESC[2J clears the screen, OSC 52 writes the clipboard, OSC 8 makes a link, a C1
control (U+009B is a one-byte CSI) starts a sequence, and a bidirectional override reverses what
follows it. `print`, Rich and Textual (markup off) pass all of them through (shared/STACK.md), so
every face shows such a character as its visible escape, `\\u001b`: readable, never obeyed.

The same escape is valid JSON, so JSON for other programs passes through `shown` too and still
decodes to the original text (json.dumps escapes C0 controls itself but not C1 or bidi controls).
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings, overrides and isolates.
_UNSHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# One line (a message, a table cell): line breaks and tabs too.
_UNSHOWN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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
