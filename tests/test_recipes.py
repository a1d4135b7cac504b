"""Every recipe runs headless under papermill with its parameters, for one or several accounts,
into a run folder of its own with its tables and an HTML report; bad parameters fail by name."""

import json
import re
from pathlib import Path

import pytest

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
NAMES = sorted(p.stem for p in RECIPES.glob("*.ipynb"))
USD_ACCOUNT, GBP_ACCOUNT = "549755023801", "549755024040"  # the demo's first two accounts
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?$")


#: what each recipe's two-account run is given besides the accounts (each recipe runs once per session)
TWO_ACCOUNT_RUN = {
    "weekly_performance_report": {"level": "ad_group", "start_date": "2026-11-02"},
    "scale_bids_by_roas": {"dry_run": False, "target_roas": 2.0},
    "pause_low_performers": {"max_ctr": 0.009, "min_impressions": 1000},
}


@pytest.fixture(autouse=True)
def _private_state(tmp_path, monkeypatch):
    """Kernels inherit the environment: a throwaway lead store and journal folder."""
    monkeypatch.setenv("PINTOOLS_LEADS_DB", str(tmp_path / "leads.sqlite3"))
    monkeypatch.setenv("PINTOOLS_JOURNAL_DIR", str(tmp_path / "journals"))


@pytest.fixture(scope="module")
def two_account_runs(tmp_path_factory):
    """The run folder of each recipe's one run for the USD and GBP accounts (made on first use)."""
    made: dict[str, Path] = {}

    def run(recipe: str) -> Path:
        if recipe not in made:
            work = tmp_path_factory.mktemp(recipe)
            with pytest.MonkeyPatch.context() as env:
                env.setenv("PINTOOLS_LEADS_DB", str(work / "leads.sqlite3"))
                env.setenv("PINTOOLS_JOURNAL_DIR", str(work / "journals"))
                made[recipe] = _run_folder(_papermill(recipe, work, accounts=f"{USD_ACCOUNT},{GBP_ACCOUNT}",
                                                      **TWO_ACCOUNT_RUN.get(recipe, {})))
        return made[recipe]

    return run


def _parameters_cell(path: Path) -> dict:
    nb = json.loads(path.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    return tagged[0]


def _papermill(recipe: str, tmp_path: Path, **parameters) -> Path:
    import papermill as pm

    out = tmp_path / "out"
    pm.execute_notebook(str(RECIPES / f"{recipe}.ipynb"), str(tmp_path / f"{recipe}-run.ipynb"),
                        parameters={"output_dir": str(out), **parameters}, kernel_name="python3",
                        progress_bar=False, cwd=str(tmp_path))
    return out


def _run_folder(out: Path) -> Path:
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1 and STAMP.match(folders[0].name), f"expected one run folder, got {folders}"
    return folders[0]


@pytest.mark.parametrize("recipe", NAMES)
def test_each_recipe_has_one_typed_and_commented_parameters_cell(recipe):
    import papermill as pm

    cell = _parameters_cell(RECIPES / f"{recipe}.ipynb")
    params = pm.inspect_notebook(str(RECIPES / f"{recipe}.ipynb"))
    declared = [ln.split(":")[0].strip() for ln in "".join(cell["source"]).splitlines() if ln.strip()]
    assert list(params) == declared, f"papermill cannot parse some parameter lines of {recipe}"
    assert {"accounts", "output_dir", "run_folder"} <= set(params), f"{recipe} must take accounts and its output folder"
    for name, info in params.items():
        assert info["inferred_type_name"] != "None", f"{recipe}: parameter {name} has no type annotation"
        assert info["help"], f"{recipe}: parameter {name} has no comment"


@pytest.mark.parametrize("recipe", NAMES)
def test_plain_papermill_with_a_misspelt_parameter_fails_naming_it_and_the_closest_one(recipe, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as info:
        _papermill(recipe, tmp_path, acounts=USD_ACCOUNT)
    assert info.value.ename == "ParameterError"
    assert "no parameter 'acounts' (did you mean 'accounts'?)" in info.value.evalue
    assert not (tmp_path / "out").exists(), "nothing may be written before the parameters are checked"


@pytest.mark.parametrize("recipe", NAMES)
def test_each_recipe_runs_for_two_accounts_into_a_timestamped_folder_with_an_html_report(recipe, two_account_runs):
    run = two_account_runs(recipe)
    report = (run / "report.html").read_text()
    assert report.startswith("<!DOCTYPE html>") and USD_ACCOUNT in report and GBP_ACCOUNT in report
    assert "import pintools" not in report, "the report shows results, not code"
    assert list(run.glob("*.csv")), f"{recipe} wrote no table"


def test_weekly_report_tables_are_rounded_in_currency_units_and_never_add_currencies(two_account_runs):
    import pandas as pd

    run = two_account_runs("weekly_performance_report")
    daily = pd.read_csv(run / "daily_ad_group.csv", dtype=str)
    assert set(daily["date"]) == {f"2026-11-{d:02d}" for d in range(2, 9)}
    assert {"ad_group_id", "ad_group_name", "currency", "spend", "ctr_%", "impressions"} <= set(daily.columns)
    numbers = daily[["spend", "ctr_%", "cpc", "roas", "conversion_value"]].stack()
    assert numbers.str.fullmatch(r"-?\d+(\.\d{1,2})?").all(), "money and ratios are rounded to 2 decimals"
    assert daily["conversions"].notna().all() and (daily["conversions"] == "0").any(), "zero is 0, not blank"
    accounts = pd.read_csv(run / "accounts.csv", dtype=str).set_index("ad_account_id")
    assert accounts.loc[[USD_ACCOUNT, GBP_ACCOUNT], "currency"].tolist() == ["USD", "GBP"]
    assert len(accounts) == 2, "one row per account: totals are never added across currencies"
    assert len(list(run.glob("spend_*.png"))) == 2 and (run / "daily_ad_group.xlsx").exists()


def test_scale_bids_by_roas_reviews_each_ad_group_in_its_currency_and_applies(two_account_runs):
    import pandas as pd

    run = two_account_runs("scale_bids_by_roas")
    review = pd.read_csv(run / "review.csv", dtype=str)
    currencies = dict(zip(review["ad_account_id"], review["currency"], strict=True))
    assert currencies == {USD_ACCOUNT: "USD", GBP_ACCOUNT: "GBP"} and set(review["field"]) == {"bid"}
    assert review[["before", "after"]].stack().str.fullmatch(r"\d+(\.\d{1,2})?").all(), "bids in units, not micros"
    assert (review["result"] == "applied").any()
    assert {p.name for p in run.glob("*.applied.json")} == {f"{USD_ACCOUNT}.applied.json", f"{GBP_ACCOUNT}.applied.json"}
    report = (run / "report.html").read_text()
    assert review["name"].iloc[0] in report and "verdict" in report


def test_pause_low_performers_dry_run_writes_plans_and_a_review_only(two_account_runs):
    import pandas as pd

    run = two_account_runs("pause_low_performers")
    review = pd.read_csv(run / "review.csv", dtype=str)
    assert len(review) and set(review["after"]) == {"PAUSED"} and set(review["before"]) == {"ACTIVE"}
    assert list(run.glob("*.plan.json")) and not list(run.glob("*.applied.json"))


def test_apply_spreadsheet_on_unedited_templates_plans_nothing(two_account_runs):
    run = two_account_runs("apply_spreadsheet")
    for account in (USD_ACCOUNT, GBP_ACCOUNT):
        assert (run / f"template_{account}.xlsx").exists()
        assert json.loads((run / f"{account}.plan.json").read_text())["changes"] == []


def test_recipe_cli_runs_each_time_into_a_new_folder_holding_every_output(tmp_path, capsys):
    from pintools.cli import main

    assert main(["recipe", "list"]) == 0
    listing = capsys.readouterr().out
    assert "weekly_performance_report" in listing and "dry_run: bool = True" in listing
    runs = []
    for _ in range(2):
        assert main(["recipe", "run", "export_leads", "-p", "output_file", "leads.xlsx",
                     "--output-dir", str(tmp_path / "runs")]) == 0
        runs.append(capsys.readouterr().out)
    folders = sorted(p for p in (tmp_path / "runs").iterdir())
    assert len(folders) == 2 and all(STAMP.match(f.name) for f in folders), "a second run never overwrites the first"
    for folder in folders:
        assert {p.name for p in folder.iterdir()} == {"export_leads.ipynb", "leads.xlsx", "report.html"}
        assert any(str(folder) in out for out in runs)


def test_recipe_cli_exit_codes_bad_parameters_2_failure_1(tmp_path, capsys):
    from pintools.cli import main

    out = ["--output-dir", str(tmp_path / "runs")]
    assert main(["recipe", "run", "pause_low_performers", "-p", "colour", "red", *out]) == 2
    assert "has no parameter 'colour'" in capsys.readouterr().err
    assert main(["recipe", "run", "pause_low_performers", "-p", "min_impressions", "seven", *out]) == 2
    assert "min_impressions must be int, got 'seven'" in capsys.readouterr().err
    assert not (tmp_path / "runs").exists(), "refused before any folder or cell"
    assert main(["recipe", "run", "pause_low_performers", "-p", "level", "campaign", *out]) == 2  # the check cell's
    assert "level must be one of ad_group, ad, got 'campaign'" in capsys.readouterr().err
    assert main(["recipe", "run", "weekly_performance_report", "-p", "start_date", "2026-11-10",
                 "-p", "end_date", "2026-11-01", *out]) == 1
    err = capsys.readouterr().err
    assert "recipe weekly_performance_report failed in cell" in err
    partial = Path(re.search(r"saved at (\S+\.ipynb)", err).group(1))
    assert partial.exists() and STAMP.match(partial.parent.name), "the failed notebook is kept in its run folder"
    assert main(["recipe", "run", "pause_low_performers", "--output", "out/x.ipynb"]) == 2


def test_run_recipe_refuses_before_any_cell_runs(tmp_path):
    from pintools.recipe_params import ParameterError
    from pintools.recipes import run_recipe

    with pytest.raises(ParameterError, match="no parameter 'account_id' .replaced by 'accounts'"):
        run_recipe("pause_low_performers", {"account_id": USD_ACCOUNT}, output_dir=tmp_path / "o")
    with pytest.raises(ParameterError, match="no ad account 123 among those the credentials see"):
        run_recipe("pause_low_performers", {"accounts": "123"}, output_dir=tmp_path / "o")


def test_run_folders_of_the_same_second_never_collide_and_a_given_one_must_be_new(tmp_path, monkeypatch):
    from pintools import recipe_params
    from pintools.recipe_params import ParameterError, new_run_folder

    monkeypatch.setattr(recipe_params, "run_stamp", lambda: "2026-12-04T140501Z")
    first, second = new_run_folder("weekly", tmp_path), new_run_folder("weekly", tmp_path)
    assert (first.name, second.name) == ("2026-12-04T140501Z", "2026-12-04T140501Z-2")
    monkeypatch.chdir(tmp_path)
    assert new_run_folder("weekly").parent == Path("out") / "weekly", "the default root is out/<recipe>"
    (first / "report.html").write_text("an earlier run")
    with pytest.raises(ParameterError, match="already holds files"):
        new_run_folder("weekly", run_folder=first)


def test_the_check_cell_takes_an_id_papermill_read_as_a_number_as_its_text_and_refuses_other_types():
    from pintools.recipe_params import ParameterError, check_parameters

    history = ["", "x", "# Parameters\naccounts = 549755023801\nmax_ctr = 1\n"]
    namespace = {"__annotations__": {"accounts": str, "max_ctr": float}, "accounts": 549755023801, "max_ctr": 1,
                 "In": history}
    check_parameters(namespace, "pause_low_performers")
    assert namespace["accounts"] == "549755023801" and namespace["max_ctr"] == 1
    with pytest.raises(ParameterError, match="parameter max_ctr must be float, got 'low' .str."):
        check_parameters({**namespace, "max_ctr": "low"}, "pause_low_performers")
    with pytest.raises(ParameterError, match="parameter accounts must be str, got True"):
        check_parameters({**namespace, "accounts": True}, "pause_low_performers")
