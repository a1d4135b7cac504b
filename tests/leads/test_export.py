"""export_leads: CSV and XLSX for a CRM, ids as text, times as naive UTC ISO strings."""

import csv

import pytest

from pintools.leads.export import export_leads
from pintools.leads.frames import read_leads
from pintools.leads.store import LeadStore

BIG_ID = "5493000000012345678"  # would lose digits as a float in a spreadsheet


@pytest.fixture
def store(tmp_path):
    s = LeadStore(tmp_path / "leads.sqlite3")
    d = s.save_delivery(b"[]")
    s.add_lead({"lead_id": BIG_ID, "lead_form_id": "0650000000000000001", "advertiser_id": "549755885175",
                "created_at": "1763208000000"},  # 2025-11-15T12:00:00Z
               {"EMAIL": "ada@example.com", "ZIP_CODE": "02134"}, delivery_id=d)
    s.add_lead({"lead_id": "7", "lead_form_id": "0650000000000000002", "created_at": "1763294400000"},  # a day later
               {"EMAIL": "bob@example.com", "Company size": "1-10"}, delivery_id=d)
    yield s
    s.close()


def test_csv_keeps_ids_and_leading_zeros_as_text(store, tmp_path):
    path = export_leads(store, tmp_path / "out" / "leads.csv")
    assert path == tmp_path / "out" / "leads.csv" and path.exists()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["lead_id"] for r in rows] == [BIG_ID, "7"]
    assert rows[0]["lead_form_id"] == "0650000000000000001" and rows[0]["ZIP_CODE"] == "02134"
    assert rows[0]["created_at_utc"] == "2025-11-15T12:00:00"
    assert "created_at" not in rows[0]
    assert rows[1]["Company size"] == "1-10" and rows[1]["ZIP_CODE"] == ""


def test_xlsx_has_text_id_cells_and_naive_utc_iso_times(store, tmp_path):
    from openpyxl import load_workbook

    path = export_leads(store, tmp_path / "leads.xlsx")
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert "created_at_utc" in header and "lead_id" in header
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["lead_id"].value == BIG_ID and row["lead_id"].data_type == "s"
    assert row["lead_form_id"].value == "0650000000000000001" and row["lead_form_id"].data_type == "s"
    assert row["created_at_utc"].value == "2025-11-15T12:00:00" and row["created_at_utc"].data_type == "s"
    assert ws.max_row == 3


def test_since_and_form_filter_a_store_a_path_or_a_frame(store, tmp_path):
    def ids(path):
        with path.open(newline="", encoding="utf-8") as fh:
            return [r["lead_id"] for r in csv.DictReader(fh)]

    assert ids(export_leads(store, tmp_path / "a.csv", since="2025-11-16")) == ["7"]
    assert ids(export_leads(store.path, tmp_path / "b.csv", form="0650000000000000001")) == [BIG_ID]
    frame = read_leads(store)
    assert ids(export_leads(frame, tmp_path / "c.csv", since="2025-11-16T00:00:00+00:00")) == ["7"]
    assert ids(export_leads(frame, tmp_path / "d.csv", form="0650000000000000002")) == ["7"]


def test_an_empty_store_writes_just_the_header(tmp_path):
    with LeadStore(tmp_path / "empty.sqlite3") as empty:
        path = export_leads(empty, tmp_path / "empty.csv")
    header = path.read_text(encoding="utf-8").splitlines()
    assert len(header) == 1 and "created_at_utc" in header[0] and "lead_id" in header[0]


def test_the_default_store_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PINTOOLS_LEADS_DB", str(tmp_path / "default.sqlite3"))
    path = export_leads(None, tmp_path / "x.xlsx")
    assert path.exists() and (tmp_path / "default.sqlite3").exists()


def test_an_unknown_suffix_is_refused_before_writing(store, tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.csv or \.xlsx"):
        export_leads(store, tmp_path / "leads.json")
    assert not (tmp_path / "leads.json").exists()


RECIPE = __import__("pathlib").Path(__file__).resolve().parents[2] / "recipes" / "export_leads.ipynb"


def test_the_export_recipe_parameters_parse():
    import papermill as pm

    params = pm.inspect_notebook(str(RECIPE))
    assert list(params) == ["store", "accounts", "since", "form", "output_file", "output_dir", "run_folder"]
    assert all(p["inferred_type_name"] == "str" and p["help"] for p in params.values())


def test_the_export_recipe_runs_headless_on_an_empty_default_store(tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("PINTOOLS_LEADS_DB", str(tmp_path / "state" / "leads.sqlite3"))
    out = tmp_path / "out"
    pm.execute_notebook(str(RECIPE), str(tmp_path / "run.ipynb"), parameters={"output_dir": str(out)},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    (run,) = out.iterdir()  # the run's own timestamped folder
    lines = (run / "leads.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "created_at_utc" in lines[0]


def test_the_export_recipe_writes_xlsx_from_a_given_store(store, tmp_path):
    import papermill as pm
    from openpyxl import load_workbook

    pm.execute_notebook(str(RECIPE), str(tmp_path / "run.ipynb"),
                        parameters={"store": str(store.path), "form": "0650000000000000001",
                                    "output_dir": str(tmp_path / "o"), "output_file": "leads.xlsx"},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    (run,) = (tmp_path / "o").iterdir()
    assert sorted(p.name for p in run.iterdir()) == ["leads.xlsx", "report.html"]
    ws = load_workbook(run / "leads.xlsx").active
    assert ws.max_row == 2 and BIG_ID in [c.value for c in ws[2]]
