"""The shipped report templates' compiled code kept between processes (render.py): it follows the
template's source, it is kept apart per kind of environment, and an agency's templates never use it."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ethicsdesk.reporting.render import _compiled_templates, report_environment


def render_with(folder: Path, cache: jinja2.BytecodeCache | None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, auto_reload=False)
    return env.get_template("t.j2").render(name="Ada")


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    cache = _compiled_templates("TestEnvironment", "md")
    assert cache is not None
    (tmp_path / "t.j2").write_text("one {{ name }}")
    assert render_with(tmp_path, cache) == "one Ada"
    assert render_with(tmp_path, cache) == "one Ada"  # from the cache, in a new environment
    (tmp_path / "t.j2").write_text("two {{ name }}")
    assert render_with(tmp_path, cache) == "two Ada"


def test_environments_of_another_kind_or_format_do_not_share_compiled_code() -> None:
    kinds = [("Environment", "md"), ("SandboxedEnvironment", "md"), ("Environment", "html")]
    caches = [_compiled_templates(kind, fmt) for kind, fmt in kinds]
    assert len({c.pattern for c in caches if isinstance(c, jinja2.FileSystemBytecodeCache)}) == 3


def test_only_the_shipped_templates_are_kept(tmp_path: Path) -> None:
    assert report_environment("html").bytecode_cache is not None
    assert report_environment("html", tmp_path).bytecode_cache is None  # an agency's folder


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    cache = _compiled_templates("TestEnvironment", "html")
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    cache.directory = str(tmp_path / "missing")  # every write fails
    (tmp_path / "t.j2").write_text("{{ name }}")
    assert render_with(tmp_path, cache) == "Ada"
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / (cache.pattern % cache.get_cache_key("t.j2", str(tmp_path / "t.j2")))).write_bytes(b"junk")
    assert render_with(tmp_path, cache) == "Ada"  # unreadable: compiled afresh
