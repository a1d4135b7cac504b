"""The project's packaging promises: environment.yml mirrors pyproject, import stays light."""

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    for sep in "<>=!~ [":
        req = req.split(sep)[0]
    return req.strip().lower().replace("_", "-")


def test_environment_yml_lists_pyprojects_dependencies_and_installs_the_package_with_its_extras():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    pip_lines = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    runtime = {_name(d) for d in project["dependencies"]}
    notebooks = {_name(d) for d in project["optional-dependencies"]["notebooks"]}
    assert runtime <= conda, f"environment.yml lacks runtime deps {runtime - conda}"
    assert notebooks <= conda, f"environment.yml lacks notebook deps {notebooks - conda}"
    extras = set(project["optional-dependencies"]) - {"all"}
    assert [line.replace('"', "") for line in pip_lines] == [f"-e .[{','.join(sorted(extras))}]"]


def test_import_pintools_does_not_load_pandas_requests_or_flask():
    heavy = "('pandas', 'requests', 'flask', 'waitress')"
    code = f"import sys, pintools; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
