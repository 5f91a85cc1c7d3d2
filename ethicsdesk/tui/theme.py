"""The high-contrast theme (yellow and white on black), switched on and off from the command palette."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="ethicsdesk-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    warning="#FFFF00",
    error="#FF5555",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)
