"""The import contracts in pyproject.toml hold, and they would catch a broken import.

The second and third tests run import-linter on a temporary copy of the package with one bad
import added, so a contract that silently checks nothing (as a forbidden external package does
without ``include_external_packages``) fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _config() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        section: dict[str, object] = tomllib.load(fh)["tool"]["importlinter"]
    return section


def _contracts() -> list[dict[str, object]]:
    contracts = _config()["contracts"]
    assert isinstance(contracts, list)
    return contracts


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def copy_of_the_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "regie",
        root / "src" / "regie",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "data", "locale", "*.yaml"),
    )
    return root


def test_the_configuration_forbids_django_in_the_core() -> None:
    assert _config()["include_external_packages"] is True, "forbidden external packages would be ignored"
    core = [c for c in _contracts() if c["type"] == "forbidden" and "regie.core" in c["source_modules"]]  # type: ignore[operator]
    assert core, "no forbidden contract for regie.core"
    forbidden = set(core[0]["forbidden_modules"])  # type: ignore[call-overload]
    assert {"django", "regie.register", "regie.web"} <= forbidden


def test_the_import_contracts_are_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("core/_architecture_probe.py", "import django.db\n", "The engine (regie.core) is pure"),
        (
            "register/_architecture_probe.py",
            "import regie.web.views\n",
            "The domain never imports the interfaces",
        ),
        (
            "register/models/_architecture_probe.py",
            "from regie.register import services\n",
            "Register layers",
        ),
    ],
)
def test_a_bad_import_breaks_its_contract(
    copy_of_the_project: Path, module: str, bad_import: str, contract: str
) -> None:
    probe = copy_of_the_project / "src" / "regie" / module
    probe.write_text(bad_import)
    try:
        result = _lint(copy_of_the_project)
    finally:
        probe.unlink()
    assert result.returncode != 0, result.stdout[-4000:]
    assert f"Contracts: {len(_contracts()) - 1} kept, 1 broken." in result.stdout, result.stdout[-4000:]
    report = result.stdout.split("Broken contracts", 1)[1]
    assert contract in report
    assert "_architecture_probe" in report
