"""The README documents every setting and every CLI command."""

from __future__ import annotations

import argparse
import re

import pytest

from accord.cli.main import build_parser
from accord.config import SETTINGS_DOC
from tests.support import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def _settings_table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in _section("Settings").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`ACCORD_"):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


def test_every_setting_is_in_the_readme() -> None:
    table = _settings_table()
    missing = [name for name, _, _ in SETTINGS_DOC if name not in table]
    assert not missing, f"README.md's settings table lacks {missing}"


def test_every_readme_setting_exists() -> None:
    known = {name for name, _, _ in SETTINGS_DOC}
    unknown = sorted(set(_settings_table()) - known)
    assert not unknown, f"README.md documents settings the code does not have: {unknown}"


def test_readme_defaults_match_the_code() -> None:
    table = _settings_table()
    for name, default, _ in SETTINGS_DOC:
        assert table[name][0] == default, name


def test_every_setting_is_read_by_the_code() -> None:
    source = (REPO_ROOT / "server" / "accord" / "config.py").read_text(encoding="utf-8")
    for name, _, _ in SETTINGS_DOC:
        assert source.count(f'"{name}"') >= 2, f"{name} is documented but never read"


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix} {name}".strip()
                children = _commands(sub, path)
                found += children or [path]
    return found


COMMANDS = _commands(build_parser())


def test_the_walk_finds_nested_commands() -> None:
    assert {"serve", "migrate", "user create", "token create", "export-schema"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_cli_section(command: str) -> None:
    assert f"`accord {command}" in _section("CLI"), f"README.md's CLI section lacks {command}"
