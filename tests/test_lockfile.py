"""The lock files pin every dependency pyproject.toml names, at a version its range admits (issue 14:
"a pinned lock file … used by the Makefile so every machine installs the same versions")."""
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return pins


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("base.lock", PROJECT["dependencies"]),
        ("test.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
    ],
)
def test_every_dependency_is_pinned_within_its_range(lock, requirements):
    pins = _pins(lock)
    problems = []
    for text in requirements:
        req = Requirement(text)
        pinned = pins.get(canonicalize_name(req.name))
        if pinned is None:
            problems.append(f"{req.name}: not in requirements/{lock}")
        elif not req.specifier.contains(pinned, prereleases=True):
            problems.append(f"{req.name}: {pinned} is outside {req.specifier}")
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_the_makefile_installs_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install -q -r requirements/base.lock" in makefile
    assert "pip install -q -r requirements/test.lock" in makefile
    assert "--no-deps -e ." in makefile
