"""The import contracts of .importlinter hold: notifications knows no domain, dependencies point one way
and no app's modules import each other in a cycle."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    # The command a developer runs, from the checkout root: it finds the root packages there. No cache, so
    # a checkout gets no .import_linter_cache folder from the tests.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [lint_imports, "--config", ROOT / ".importlinter", "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
