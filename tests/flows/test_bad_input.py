"""Bad input ends as one clear `issues` row per file and the rest of the run goes on."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tasks.formats.codes import CODES
from tests.conftest import REFERENCE
from tests.flows.conftest import errors_logged, query

pytestmark = pytest.mark.flow

GOOD_VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello and welcome to the show.\n\n"
    "00:00:04.500 --> 00:00:07.000\nToday we talk about data.\n"
)


def _write_bad_inputs(root: Path) -> dict[str, str]:
    """Files and the error code each must produce."""
    expected = {}

    def add(name: str, data: bytes, code: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = code

    add("empty.txt", b"", "empty_file")
    add("blank.vtt", b"  \n\n \t\n", "empty_file")
    add("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary_file")
    add("truncated.json", b'{"text": "hi", "segments": [{"start": 0, "end": 1, "text": "hi"', "truncated_json")
    add("deep.json", b"[" * 1_000_000 + b"]" * 1_000_000, "json_too_deep")
    add("no_words.json", json.dumps({"text": "", "segments": []}).encode(), "no_transcript_text")
    add("long_line.txt", b"word " * 700_000, "line_too_long")
    with (root / "huge.txt").open("wb") as handle:  # one 200 MB line, over the 50 MB cap
        for _ in range(200):
            handle.write(b"a" * 1_000_000)
    expected["huge.txt"] = "file_too_large"
    outside = root.parent / "secret.txt"
    outside.write_text("Not yours to read.")
    os.symlink(outside, root / "escape.txt")
    expected["escape.txt"] = "symlink_outside_root"
    os.mkfifo(root / "pipe.vtt")
    expected["pipe.vtt"] = "not_a_regular_file"
    return expected


def test_each_bad_file_gives_one_issue_and_good_files_publish(tlake, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    expected = _write_bad_inputs(inputs)
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    (inputs / "talk.vtt").write_text(GOOD_VTT)
    (inputs / "zz copy of talk.vtt").write_text(GOOD_VTT)
    odd = "we\u0301ird name\n(1).vtt"
    (inputs / odd).write_text(GOOD_VTT.replace("data", "odd names"))
    (inputs / ".hidden.vtt").write_text(GOOD_VTT)
    with open(os.path.join(os.fsencode(inputs), b"latin1-caf\xe9.vtt"), "w") as handle:
        handle.write(GOOD_VTT.replace("data", "cafes"))
    lake = tmp_path / "lake"

    with errors_logged() as errors:
        result = tlake("run", "--input", str(inputs), lake=lake)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and not [e for e in errors if "Traceback" in e]

    errors = {
        r["source_path"]: r["code"]
        for r in query(lake, "SELECT source_path, code FROM issues WHERE severity = 'error'")
    }
    assert errors == expected
    assert all(code in CODES for code in errors.values())
    messages = query(lake, "SELECT message FROM issues WHERE severity = 'error'")
    assert all(len(m["message"]) > 10 for m in messages)

    sources = {r["source_path"]: r for r in query(lake, "SELECT source_path, status, duplicate_of FROM sources")}
    assert {p for p, r in sources.items() if r["status"] == "quarantined"} == set(expected)
    assert sources["zz copy of talk.vtt"]["status"] == "duplicate"
    assert sources["zz copy of talk.vtt"]["duplicate_of"] == "talk.vtt"
    assert {p for p, r in sources.items() if r["status"] == "published"} == {
        REFERENCE.name,
        "talk.vtt",
        odd,
        "latin1-caf\\xe9.vtt",
    }
    assert query(lake, "SELECT code FROM issues WHERE source_path = 'latin1-caf\\xe9.vtt'") == [
        {"code": "odd_file_name"}
    ]
    assert ".hidden.vtt" not in sources
    warnings = query(lake, "SELECT source_path, code FROM issues WHERE code = 'duplicate_content'")
    assert warnings == [{"source_path": "zz copy of talk.vtt", "code": "duplicate_content"}]
    for path in expected:
        assert path in result.stdout.replace("\n", " ") or path.split(".")[0] in result.stdout

    again = tlake("run", "--input", str(inputs), lake=lake)
    assert again.exit_code == 1
    snapshots = query(lake, "SELECT count(*) AS n FROM runs")
    assert snapshots == [{"n": 1}], "an unchanged input with known bad files writes nothing new"
