"""Keyword performance by the spec's route: ad group targeting analytics with KEYWORD, joined to
the keywords. The client must be right under every way the emulator can write a KEYWORD
``targeting_value`` (the spec shows only the text), and must report, never guess, a join it cannot make."""

import datetime as dt
import json
import warnings

import pandas as pd
import pytest

import pintools as pt
from pintools.analytics.keyword_performance import KeywordJoinWarning, join_keywords, read_keyword_performance

from .conftest import NOW, TODAY, fast_client

COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH"]
START, END = TODAY - dt.timedelta(days=6), TODAY - dt.timedelta(days=1)
SHAPES = ("text", "text_per_keyword", "lowercase", "notation", "suffix", "keyword_id")
TELLS_APART = ("notation", "suffix", "keyword_id")  # shapes whose values name one keyword each


@pytest.fixture(scope="module")
def twins():
    """An emulator whose first ad group with keywords has one text under two match types (what a
    text alone cannot split) and a mixed-case, double-spaced keyword elsewhere."""
    from pintools.emulator import start

    server = start(seed=42, clock=NOW, rate_limits={"ads_analytics": None})
    client = fast_client(server)
    account = pt.read_ad_accounts(client=client).id[0]
    groups = pt.read_ad_groups(account, statuses=["ACTIVE"], client=client)
    keywords = pt.read_keywords(account, ad_group_ids=groups["id"].tolist(), client=client)
    keywords = keywords[keywords["match_type"].isin(["BROAD", "PHRASE", "EXACT"])]
    first = keywords.iloc[0]
    other = next(m for m in ("BROAD", "PHRASE", "EXACT") if m != first["match_type"])
    client.keywords.create(account, first["parent_id"], [{"value": first["value"], "match_type": other}])
    elsewhere = next(g for g in keywords["parent_id"] if g != first["parent_id"])
    client.keywords.create(account, elsewhere, [{"value": "Boucle  Accent Chair", "match_type": "EXACT"}])
    yield {"server": server, "client": client, "account": account, "group": first["parent_id"],
           "text": first["value"], "types": sorted([first["match_type"], other], key=["BROAD", "PHRASE", "EXACT"].index)}
    violations = server.control.spec_violations()
    server.stop()
    assert violations == [], violations


def _read(t, shape, **kw):
    t["server"].control.set_analytics_behaviour(shape)
    return read_keyword_performance(t["account"], START, END, columns=COLUMNS, client=t["client"], progress=False, **kw)


def _spec_columns(spec):
    return set(spec["components"]["parameters"]["query_columns"]["schema"]["items"]["enum"])


def _operations(spec):
    return {op["operationId"] for item in spec["paths"].values() for op in item.values()
            if isinstance(op, dict) and "operationId" in op}


def test_keyword_level_names_gives_text_and_match_type_through_spec_operations_only(
        aclient, account, analytics_emulator, openapi_spec_path):
    analytics_emulator.control.clear_requests()
    df = pt.read_analytics(account, START, END, level="keyword", names=True, columns=COLUMNS, client=aclient)
    assert len(df) > 0 and df.attrs["query"]["level"] == "keyword"
    assert {"ad_group_name", "keyword_id", "keyword", "match_type", "match"} <= set(df.columns)
    assert df["keyword"].notna().all() and df["match_type"].isin(["BROAD", "PHRASE", "EXACT"]).all()
    # the text and match type are the keyword's own (joined to pt.read_keywords by id)
    keywords = pt.read_keywords(account, ad_group_ids=sorted(set(df["ad_group_id"])), client=aclient)
    truth = keywords.set_index("id")[["value", "match_type", "parent_id"]].add_prefix("kw_")
    joined = df.join(truth, on="keyword_id")
    assert (joined["keyword"] == joined["kw_value"]).all() and (joined["match_type"] == joined["kw_match_type"]).all()
    assert (joined["ad_group_id"] == joined["kw_parent_id"]).all()
    names = pt.read_ad_groups(account, statuses="all", client=aclient).set_index("id")["name"]
    assert (df["ad_group_name"] == df["ad_group_id"].map(names)).all()
    # keywords add up to their ad group, day by day
    groups = pt.read_analytics(account, START, END, level="ad_group", columns=COLUMNS,
                               ad_group_ids=sorted(set(df["ad_group_id"])), client=aclient)
    pd.testing.assert_frame_equal(df.groupby(["ad_group_id", "date"])[COLUMNS].sum(),
                                  groups.set_index(["ad_group_id", "date"])[COLUMNS].sort_index(), check_names=False)
    # served only through spec operations, asking only spec columns, never KEYWORD_ID
    specs = [json.loads(openapi_spec_path.read_text())]
    newer = openapi_spec_path.parent / "pinterest-openapi-v5.23.0.json"
    specs += [json.loads(newer.read_text())] if newer.exists() else []
    calls = analytics_emulator.control.requests()
    assert calls and all(c["operation_id"] in _operations(s) for c in calls for s in specs)
    used = {c["operation_id"] for c in calls}
    assert "ad_groups_targeting_analytics/get" in used and "analytics/create_report" not in used
    assert "KEYWORD_ID" not in json.dumps(calls)
    for call in (c for c in calls if c["operation_id"].endswith("targeting_analytics/get")):
        query = {k: v if isinstance(v, str) else ",".join(v) for k, v in call["query"].items()}
        assert query["targeting_types"] == "KEYWORD"
        assert all(set(query["columns"].split(",")) <= _spec_columns(s) for s in specs)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_client_is_right_under_each_targeting_value_shape(twins, shape):
    truth = _read(twins, "keyword_id")  # ids name keywords beyond doubt: the reference numbers
    assert (truth["match"] == "by keyword id").all()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = _read(twins, shape)
    warned = [w for w in caught if issubclass(w.category, KeywordJoinWarning)]
    twin = df[(df["ad_group_id"] == twins["group"]) & (df["keyword"].str.casefold() == twins["text"].casefold())]
    others = df.drop(twin.index)
    # every keyword that is alone on its text is joined, whatever the shape
    assert others["keyword_id"].notna().all(), others[others["keyword_id"].isna()]
    key = ["keyword_id", "date"]
    pd.testing.assert_frame_equal(others.set_index(key)[COLUMNS].sort_index(),
                                  truth[truth["keyword_id"].isin(others["keyword_id"])].set_index(key)[COLUMNS]
                                  .sort_index())
    chair = df[df["keyword"].str.casefold().str.contains("boucle", na=False)]
    assert len(chair) and chair["keyword"].eq("Boucle  Accent Chair").all() and chair["match_type"].eq("EXACT").all()
    twin_truth = truth[truth["keyword_id"].isin(
        truth.loc[(truth["ad_group_id"] == twins["group"]) & (truth["keyword"] == twins["text"]), "keyword_id"])]
    if shape in TELLS_APART:  # the twins are told apart, each with its own numbers
        assert not warned
        assert sorted(set(twin["match_type"])) == twins["types"] and twin["keyword_id"].notna().all()
        pd.testing.assert_frame_equal(twin.set_index(key)[COLUMNS].sort_index(),
                                      twin_truth.set_index(key)[COLUMNS].sort_index())
    else:  # a text alone cannot say which twin: reported, never guessed, and the numbers are theirs together
        assert twin["keyword_id"].isna().all() and twin["match_type"].isna().all()
        expected = f"ambiguous: 2 keywords {twins['text']!r} ({', '.join(twins['types'])})"
        assert (twin["match"] == expected).all()
        assert len(warned) == 1 and twins["text"] in str(warned[0].message) and twins["group"] in str(warned[0].message)
        pd.testing.assert_frame_equal(twin.groupby("date")[COLUMNS].sum(),
                                      twin_truth.groupby("date")[COLUMNS].sum())


def test_an_ambiguous_join_is_reported_not_guessed(twins):
    with pytest.warns(KeywordJoinWarning, match="could not be joined to one keyword id") as record:
        df = _read(twins, "text", names=True)
    twin_ids = set(pt.read_keywords(twins["account"], ad_group_ids=[twins["group"]], client=twins["client"])
                   .query("value == @twins['text']")["id"])
    assert len(twin_ids) == 2
    assert not twin_ids & set(df["keyword_id"].dropna())  # neither twin is credited with the merged numbers
    rows = df[df["match"].str.startswith("ambiguous")]
    assert len(rows) and set(rows["ad_group_id"]) == {twins["group"]} and set(rows["keyword"]) == {twins["text"]}
    assert f"ad group {twins['group']}: {twins['text']!r}" in str(record[0].message)
    assert df.attrs["keyword_join"]["ambiguous"] == len(rows)


def test_elimination_needs_the_others_named_and_never_overreaches():
    kws = [{"id": "1", "value": "rug", "match_type": "BROAD"}, {"id": "2", "value": "rug", "match_type": "PHRASE"},
           {"id": "3", "value": "rug", "match_type": "EXACT"}, {"id": "4", "value": "rug", "match_type": "EXACT_NEGATIVE"}]
    only_exact = join_keywords(["rug", "[rug]"], kws)
    assert only_exact["[rug]"].keyword_id == "3"
    assert only_exact["rug"].keyword_id is None and only_exact["rug"].match == "ambiguous: 2 keywords 'rug' (BROAD, PHRASE)"
    all_named = join_keywords(["rug", "[rug]", '"rug"'], kws)
    assert (all_named["rug"].keyword_id, all_named["rug"].match) == ("1", "by elimination")
    assert join_keywords(["rugs"], kws)["rugs"].match.startswith("unmatched")


def test_out_of_reach_ranges_and_columns_are_refused_with_the_reason_before_any_call(aclient, account,
                                                                                      analytics_emulator):
    analytics_emulator.control.clear_requests()
    with pytest.raises(ValueError, match=r"targeting analytics \(targeting_types=KEYWORD\), which reach back 90 days"):
        pt.read_analytics(account, TODAY - dt.timedelta(days=120), TODAY - dt.timedelta(days=100), level="keyword",
                          client=aclient)
    with pytest.raises(ValueError, match="reach back 8 days"):
        pt.read_analytics(account, TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=9), level="keyword",
                          granularity="HOUR", client=aclient)
    with pytest.raises(ValueError, match="AD_GROUP_STATUS exist only in async reports"):
        pt.read_analytics(account, START, END, level="keyword", columns=["AD_GROUP_STATUS"], client=aclient)
    with pytest.raises(ValueError, match="cannot pick keywords by ids"):
        pt.read_analytics(account, START, END, level="keyword", ids=["1"], client=aclient)
    ops = {c["operation_id"] for c in analytics_emulator.control.requests()}
    assert not {op for op in ops if "analytics" in op or "report" in op}
