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
    declared = [ln.split(":")[0].strip() for ln in "".join(cell["source"]).splitlines() if ln.strip()]
    assert list(params) == declared, f"papermill cannot parse some parameter lines of {recipe}"
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
    assert {"ad_group_id", "ad_group_name", "currency", "SPEND", "TOTAL_IMPRESSION"} <= set(df.columns)
    assert pngs[0].read_bytes()[:4] == b"\x89PNG"


def _run(recipe: str, tmp_path: Path, **parameters) -> Path:
    import papermill as pm

    out = tmp_path / "out"
    pm.execute_notebook(str(RECIPES / f"{recipe}.ipynb"), str(tmp_path / f"{recipe}-run.ipynb"),
                        parameters={"output_dir": str(out), **parameters}, kernel_name="python3",
                        progress_bar=False, cwd=str(tmp_path))
    return out


def test_scale_bids_by_roas_applies_when_not_a_dry_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PINTOOLS_JOURNAL_DIR", str(tmp_path / "journals"))
    out = _run("scale_bids_by_roas", tmp_path, dry_run=False, target_roas=2.0)
    plan = json.loads((out / "scale_bids_by_roas.plan.json").read_text())
    applied = json.loads((out / "scale_bids_by_roas.applied.json").read_text())
    assert plan["changes"] and {c["result"] for c in applied["changes"]} <= {"applied", "skipped", "blocked"}
    assert any(c["result"] == "applied" for c in applied["changes"])


def test_pause_low_performers_dry_run_writes_only_the_plan(tmp_path):
    out = _run("pause_low_performers", tmp_path, max_ctr=0.009, min_impressions=1000)
    changes = json.loads((out / "pause_low_performers.plan.json").read_text())["changes"]
    assert changes and all(c["after"] == "PAUSED" for c in changes)
    assert not (out / "pause_low_performers.applied.json").exists()


def test_apply_spreadsheet_on_an_unedited_template_plans_nothing(tmp_path):
    out = _run("apply_spreadsheet", tmp_path)
    assert (out / "template.xlsx").exists()
    assert json.loads((out / "spreadsheet.plan.json").read_text())["changes"] == []


def test_recipe_cli_lists_and_runs_with_typed_parameters(tmp_path, capsys):
    from pintools.cli import main

    assert main(["recipe", "list"]) == 0
    listing = capsys.readouterr().out
    assert "weekly_performance_report" in listing and "dry_run: bool = True" in listing
    output = tmp_path / "run.ipynb"
    code = main(["recipe", "run", "pause_low_performers", "-p", "min_impressions", "500", "-p", "output_dir", str(tmp_path / "o"),
                 "--output", str(output)])
    assert code == 0 and output.exists()


def test_unknown_or_mistyped_parameters_fail_before_any_cell_runs(tmp_path):
    from pintools.recipes import run_recipe

    with pytest.raises(ValueError, match="has no parameter colour; it takes: account_id"):
        run_recipe("pause_low_performers", tmp_path / "x.ipynb", {"colour": "red"})
    with pytest.raises(ValueError, match="min_impressions must be int, got 'seven'"):
        run_recipe("pause_low_performers", tmp_path / "x.ipynb", {"min_impressions": "seven"})
    assert not (tmp_path / "x.ipynb").exists()


def test_a_recipe_failing_midway_saves_the_partial_notebook_and_names_the_cell(tmp_path):
    from pintools.recipes import RecipeFailed, run_recipe

    output = tmp_path / "failed.ipynb"
    with pytest.raises(RecipeFailed) as info:
        run_recipe("pause_low_performers", output, {"level": "campaign", "output_dir": str(tmp_path / "o")})
    assert output.exists() and info.value.cell is not None
    assert f"cell {info.value.cell}" in str(info.value) and str(output) in str(info.value)
