"""An agency's report templates are code someone else wrote: what such a template may read, and how
long and how much it may render (render.py builds the environment over these).

- Reading. Jinja2's FileSystemLoader follows a symlink out of its folder: `ln -s ~/.config/…/key.pem
  DIR/logo.j2` and `{% include 'logo.j2' %}` put a private signing key into a report.
  `ConfinedLoader` resolves every template path and refuses anything whose real path is outside
  the folder it was found in, anything that is not a regular file (a FIFO blocks, a
  device never ends), and a file larger than any template.
- Time and size. The sandbox blocks `os`, but not work: nested `range(100000)` loops and `9**(9**9)`
  ran until killed. `BoundedSandbox` counts every item a template's `range` makes and looks at the
  clock at every call, attribute and item a template reaches; it refuses powers and repetitions too
  large for any report (before the compiler folds the constants, too); and `render_bounded` stops a
  report larger than any report. A self-include or a recursive macro (RecursionError) and
  MemoryError are one sentence too (render.py).
"""

from __future__ import annotations

import contextvars
import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ethicsdesk.errors import BadInput

MAX_TEMPLATE_BYTES = 1_000_000
MAX_OUTPUT_CHARS = 20_000_000  # a report is tens of KiB; a thousand times more is no report
MAX_RANGE_ITEMS = 1_000_000  # items all of a render's range() calls may make together
MAX_RESULT_BITS = 64_000  # a number of more bits (about 19,000 digits) is in no report
MAX_SECONDS = 10.0


class TemplateLimit(SecurityError):
    """A template that goes past one of the bounds above (a TemplateError: render.py names the
    template file and line)."""


@dataclass
class _Budget:
    deadline: float
    range_items: int = MAX_RANGE_ITEMS

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"it ran longer than {MAX_SECONDS:g} seconds, longer than any report takes")


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _spend_time() -> None:
    budget = _budget.get()
    if budget is not None:
        budget.check_time()


def _bounded_range(*args: int) -> range:
    items = range(*args)
    budget = _budget.get()
    if budget is not None:
        budget.check_time()
        budget.range_items -= len(items)
        if budget.range_items < 0:
            raise TemplateLimit(f"its loops make more than {MAX_RANGE_ITEMS:,} items, more than any report needs")
    return items


def _bits(number: int) -> float:
    return math.log2(abs(number)) if number else 0.0


def _refuse_huge_power(left: Any, right: Any) -> None:
    integers = isinstance(left, int) and isinstance(right, int)
    if integers and right > 0 and right * _bits(left) > MAX_RESULT_BITS:
        raise TemplateLimit(f"{left} ** {right} is a number too large for any report")


def _refuse_huge_repeat(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        repeated = isinstance(sequence, str | list | tuple) and isinstance(times, int)
        if repeated and len(sequence) * times > MAX_OUTPUT_CHARS:
            raise TemplateLimit("it repeats a text or a list more times than any report holds")
    integers = isinstance(left, int) and isinstance(right, int)
    if integers and _bits(left) + _bits(right) > MAX_RESULT_BITS:
        raise TemplateLimit("it multiplies numbers too large for any report")


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox with bounds on time, loop items, powers and repetitions (see the module)."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.globals.pop("lipsum", None)  # lipsum(n=10**9) writes without end

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _spend_time()
        if operator == "**":
            _refuse_huge_power(left, right)
        elif operator == "*":
            _refuse_huge_repeat(left, right)
        return self.binop_table[operator](left, right)

    def call(self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _spend_time()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _spend_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _spend_time()
        return super().getitem(obj, argument)


@contextmanager
def _bounded() -> Iterator[_Budget]:
    budget = _Budget(time.monotonic() + MAX_SECONDS)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template rendered within the bounds (TemplateLimit past one of them)."""
    parts: list[str] = []
    size = 0
    with _bounded() as budget:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"it writes more than {MAX_OUTPUT_CHARS:,} characters, more than any report")
            budget.check_time()
            parts.append(chunk)
    return "".join(parts)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only regular files whose real path is inside the folder they
    were found in, and none larger than MAX_TEMPLATE_BYTES (see the module)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = os.path.join(folder, *pieces)
            if os.path.lexists(candidate):
                return _read_inside(folder, candidate)
        raise jinja2.TemplateNotFound(template)


def _read_inside(folder: str, candidate: str) -> tuple[str, str, Callable[[], bool]]:
    root, real = os.path.realpath(folder), os.path.realpath(candidate)
    if os.path.commonpath([root, real]) != root:
        raise BadInput(f"The report template {candidate} leads outside {folder}; templates are read only from inside.")
    if not os.path.isfile(real):
        raise BadInput(f"The report template {candidate} is not a regular file.")
    try:
        with open(real, "rb") as f:
            data = f.read(MAX_TEMPLATE_BYTES + 1)
        mtime = os.path.getmtime(real)
    except OSError as exc:
        raise BadInput(f"The report template {candidate} cannot be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise BadInput(f"The report template {candidate} is larger than any template ({MAX_TEMPLATE_BYTES:,} bytes).")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"The report template {candidate} is not UTF-8 text.") from None

    def uptodate() -> bool:
        try:
            return os.path.getmtime(real) == mtime
        except OSError:
            return False

    return source, os.path.normpath(candidate), uptodate
