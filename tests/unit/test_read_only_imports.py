"""Read-only commands must answer in about a second: they import neither Prefect nor Great Expectations."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_read_only_modules_import_neither_prefect_nor_gx() -> None:
    code = (
        "import sys, flows.cli, flows.catalog, flows.search, flows.export, flows.report; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'great_expectations')); "
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
