"""Keys and how the walk works, in one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Every line fits 72 columns: the window is 80 wide at most, less its border, padding and scrollbar,
# so nothing wraps at 80x24. A literal "[" is written "\\[", or the markup parser eats it (and "[ and ]
# move" showed as "move").
HELP = """\
[b]ethicsdesk — keys[/b]

[b]Everywhere[/b]
  F1        this help             ctrl+p   command palette (all actions)
  ctrl+q    quit (everything you typed is already saved)

[b]Home[/b]
  n      new record               enter  open the highlighted record
  /      search                   r      replay its history
  t      practise on a sample dilemma (training)
  c      a sample's cohort        v      consultation requests

[b]The walk[/b]  (seven steps; the list on the left shows where you are)
  ctrl+n     next step (says what is still missing first)
  ctrl+b     previous step
  tab        next field           shift+tab  previous field
  ctrl+e     export the rationale report
  ctrl+o     ask a supervisor, committee or colleague from this step
  f2         all that the step still lacks (f2 or escape goes back)
  ctrl+d     training: compare your work with the reference
  ctrl+a     signed records: add an addendum beside the signed reasoning
  escape     back to your records

[b]Options[/b]
  a add    e edit    d remove    \\[ and ] move up and down
  f        floor and code-rule check of the highlighted option

[b]Weigh[/b]  (principles are rows, options are columns)
  arrows     move from cell to cell
  1 2 3 4 5  score -2 -1 0 +1 +2    + and -  raise or lower a score
  x          clear the cell         enter    write a note on the cell
  0 1 2 3    in the "wt" column: how much the principle matters here
  a          the full analysis: tensions, robustness, ranked view

Scores: -2 strongly compromises, -1 compromises, 0 neutral,
+1 upholds, +2 strongly upholds. ethicsdesk shows the figures;
it never picks the answer for you.

Every change is saved as you make it, as an event in the record's
tamper-evident log. Press escape to close this help."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 100%; height: 90%; border: round $primary; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(HELP)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
