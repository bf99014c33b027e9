"""The README is a contract with users: it must name every issue code and every reader."""

from __future__ import annotations

import re

from tasks.formats import READERS
from tasks.formats.codes import CODES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_issue_code_is_documented() -> None:
    section = README.split("### Issue codes", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))
    assert documented == set(CODES)


def test_every_reader_is_listed() -> None:
    for reader in READERS:
        if reader.FORMAT != "rttm":
            assert f"`{reader.FORMAT}`" in README, reader.FORMAT


def test_every_code_used_in_the_code_is_registered() -> None:
    used = set()
    for path in [*ROOT.joinpath("tasks").rglob("*.py"), *ROOT.joinpath("flows").rglob("*.py")]:
        used |= set(re.findall(r'(?:Finding|InputError)\(\s*"([a-z_]+)"', path.read_text()))
    assert used <= set(CODES), used - set(CODES)


def test_every_guarantee_names_a_test_that_exists() -> None:
    section = README.split("## Guarantees", 1)[1].split("\n## ", 1)[0]
    cited = re.findall(r"`(tests/[\w/]+\.py)?(?:::)?(test_\w+)?`", section)
    current = None
    checked = 0
    for path, name in cited:
        current = path or current
        if name:
            assert current is not None
            assert re.search(rf"^def {name}\(", (ROOT / current).read_text(), flags=re.MULTILINE), (current, name)
            checked += 1
    assert checked >= 10
