"""Every promise of the README holds: its Python runs, its recipes are installable and valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import palliativ_data as pdata
from palliativ_data._cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


def test_the_readme_has_code_to_check():
    assert _blocks("python") and len(_blocks("yaml")) >= 2 and _blocks("bash")


@pytest.mark.parametrize("number", range(len(_blocks("python"))))
def test_python_blocks_run(number, capsys):
    exec(compile(_blocks("python")[number], f"README.md python block {number + 1}", "exec"), {})
    assert capsys.readouterr().out  # the examples print something


def test_commands_in_the_readme_exist_and_accept_their_options():
    parser = build_parser()
    lines = [line for block in _blocks("bash") for line in block.splitlines()]
    commands = [line.split("#")[0].split() for line in lines if line.startswith("palliativ-data ")]
    assert commands
    for argv in commands:
        args = parser.parse_args(argv[1:])  # exits (fails the test) on an unknown option
        assert args.command == argv[1]


def test_every_command_has_json_as_the_readme_says():
    assert "Every command has `-h` with examples and `--json`" in README
    subcommands = build_parser()._subparsers._group_actions[0].choices
    for name, sub in subcommands.items():
        assert "--json" in sub.format_help(), name


def test_ci_recipes_are_valid_and_installable():
    recipes = [yaml.safe_load(block) for block in _blocks("yaml")]
    text = "\n".join(_blocks("yaml"))
    assert "OWNER" not in text
    for pin in re.findall(r"palliativ-data==([\w.]+)", text):  # a pinned release must exist
        assert pin == pdata.__version__, pin
    steps = recipes[0]["jobs"]["validate"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[0] == "python -m pip install ."  # installs the checkout itself: always installable
    hook = recipes[1]["repos"][0]["hooks"][0]
    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert hook["id"] == offered["id"] and hook["files"] == offered["files"]
    assert hook["entry"].startswith(offered["entry"])
