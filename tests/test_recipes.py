"""Every recipe runs headless under papermill with its parameters and writes its outputs."""

import json
from pathlib import Path

import pytest

RECIPES = Path(__file__).resolve().parents[1] / "recipes"


def _parameters_cell(path: Path) -> dict:
    nb = json.loads(path.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    return tagged[0]


@pytest.mark.parametrize("recipe", sorted(p.name for p in RECIPES.glob("*.ipynb")))
def test_each_recipe_has_one_typed_and_commented_parameters_cell(recipe):
    import papermill as pm

    cell = _parameters_cell(RECIPES / recipe)
    params = pm.inspect_notebook(str(RECIPES / recipe))
    assert "output_dir" in params, f"{recipe} must take output_dir"
    for name, info in params.items():
        assert info["inferred_type_name"] != "None", f"{recipe}: parameter {name} has no type annotation"
        assert info["help"], f"{recipe}: parameter {name} has no comment"
    assert cell["source"]


def test_weekly_performance_report_writes_csv_and_png(tmp_path):
    import pandas as pd
    import papermill as pm

    out = tmp_path / "out"
    pm.execute_notebook(str(RECIPES / "weekly_performance_report.ipynb"), str(tmp_path / "run.ipynb"),
                        parameters={"output_dir": str(out), "level": "ad_group", "start_date": "2026-11-02"},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    csvs, pngs = list(out.glob("weekly_ad_group_*_2026-11-02.csv")), list(out.glob("*.png"))
    assert len(csvs) == 1 and len(pngs) == 1
    df = pd.read_csv(csvs[0], dtype={"ad_account_id": str, "ad_group_id": str})
    assert set(df["date"]) == {f"2026-11-{d:02d}" for d in range(2, 9)}
    assert {"ad_group_id", "ad_group_name", "SPEND_IN_DOLLAR", "TOTAL_IMPRESSION"} <= set(df.columns)
    assert pngs[0].read_bytes()[:4] == b"\x89PNG"
