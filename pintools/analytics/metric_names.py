"""Friendly names for Pinterest's analytics columns: Ads Manager's display names and plain words.

Where the mapping comes from
----------------------------
Pinterest's OpenAPI files (5.12.0 and 5.23.0) list the column names but **describe none of
them**. Display names and definitions exist only at run time, from
``GET /resources/delivery_metrics`` ("``display_name`` … matches how the metric is named in our
native tools like Pinterest Ads Manager"), which pintools does not call. So this table is
**pintools' choice**, not Pinterest's word. It rests on:

* the naming convention the project reads into the column names (API digest §8): suffix ``_1`` =
  paid, ``_2`` = earned (after a save), ``TOTAL_`` = both, or every channel and action for
  conversions; ``*_IN_MICRO_DOLLAR`` = micro-units of the ad account's currency;
* the display names Ads Manager shows ("Spend", "Impressions", "Pin clicks", "Outbound clicks",
  "Saves", "Checkouts", "Checkout value", "ROAS", "CTR", "CPC", "CPM", …), as third-party
  metric glossaries quote them.

Rules of thumb behind the choices: a plain word means the paid + earned total when Pinterest
has one (``impressions`` → ``TOTAL_IMPRESSION``, ``clicks`` → ``TOTAL_CLICKTHROUGH``); money in
exact micro-units (``spend`` → ``SPEND_IN_MICRO_DOLLAR``, ``revenue`` = checkout value);
where Pinterest has no total column the paid one, and the description says so
(``outbound clicks`` → ``OUTBOUND_CLICK_1``, ``saves`` → ``REPIN_1``). Descriptions are
pintools' wording; those made from the name alone say "(from the name)".

Names are matched case- and separator-insensitively (``"Pin clicks"``, ``pin_clicks``,
``PIN-CLICKS``), and a plural matches its singular (see :func:`name_key`).

>>> ALIASES["spend"], ALIASES["pin clicks"], ALIASES["revenue"]
('SPEND_IN_MICRO_DOLLAR', 'TOTAL_CLICKTHROUGH', 'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR')
>>> name_key("Pin clicks") == name_key("pin_click")
True
"""

from __future__ import annotations

import re

# COLUMN | aliases (";"-separated), then the description on indented lines
_TABLE = """
SPEND_IN_MICRO_DOLLAR | spend; amount spent; ad spend; cost
    Amount spent, in micro-units of the ad account's currency (1,000,000 = 1.00).
SPEND_IN_DOLLAR | spend in currency
    Amount spent, in units of the ad account's currency (whatever the name says).
TOTAL_IMPRESSION | impressions
    Times your ads were on screen, paid and earned (IMPRESSION_1 + IMPRESSION_2).
IMPRESSION_1
    Paid impressions.
PAID_IMPRESSION
    Paid impressions.
IMPRESSION_2 | earned impressions
    Earned impressions: your ads shown again after people saved them.
TOTAL_CLICKTHROUGH | clicks; pin clicks; total clicks; clickthroughs
    Pin clicks, paid and earned (CLICKTHROUGH_1 + CLICKTHROUGH_2).
CLICKTHROUGH_1 | paid pin clicks; paid clicks
    Pin clicks from paid impressions.
CLICKTHROUGH_2 | earned pin clicks; earned clicks
    Pin clicks from earned impressions.
OUTBOUND_CLICK_1 | outbound clicks; paid outbound clicks
    Clicks to your destination URL from paid impressions. Pinterest has no total column: add OUTBOUND_CLICK_2 for
    paid + earned.
OUTBOUND_CLICK_2 | earned outbound clicks
    Clicks to your destination URL from earned impressions.
REPIN_1 | saves; paid saves; repins
    Saves of your ads from paid impressions. Pinterest has no total column: add REPIN_2 for paid + earned.
REPIN_2 | earned saves; earned repins
    Saves of your ads from earned impressions.
TOTAL_ENGAGEMENT | engagements
    Engagements (saves, Pin clicks, outbound clicks, closeups, swipes…), paid and earned (ENGAGEMENT_1 +
    ENGAGEMENT_2).
ENGAGEMENT_1 | paid engagements
    Engagements from paid impressions.
ENGAGEMENT_2 | earned engagements
    Engagements from earned impressions.
ENGAGEMENT_RATE
    Engagements per impression (a ratio).
TOTAL_REPIN_RATE | save rate
    Saves per impression, paid and earned (a ratio).
REPIN_RATE | paid save rate
    Saves per paid impression (a ratio).
CTR | click through rate; clickthrough rate; pin click rate
    Click-through rate: Pin clicks per impression (a ratio: 0.012 = 1.2 %).
CTR_2 | earned ctr
    Earned click-through rate (from the name).
OUTBOUND_CTR | outbound click rate; outbound click through rate
    Outbound clicks per impression (a ratio).
CPC_IN_MICRO_DOLLAR | cpc; cost per click; cost per pin click
    Cost per Pin click, in micro-units of the account's currency.
CPM_IN_MICRO_DOLLAR | cpm; cost per thousand impressions; cost per mille
    Cost per 1,000 impressions, in micro-units of the account's currency.
CPM_IN_DOLLAR
    Cost per 1,000 impressions, in units of the account's currency.
COST_PER_OUTBOUND_CLICK_IN_DOLLAR | cpoc
    Cost per outbound click, in units of the account's currency.
ECPE_IN_DOLLAR | cpe; cost per engagement
    Cost per engagement, in units of the account's currency.
ECPV_IN_DOLLAR | cpv; cost per view; cost per video view
    Cost per video view, in units of the account's currency.
ECPCV_IN_DOLLAR | cpcv; cost per completed view
    Cost per completed video view, in units of the account's currency.
TOTAL_CONVERSIONS | conversions
    Conversions of every event type (Pinterest Tag or Conversions API) attributed to your ads within the
    attribution windows.
TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR | conversion value
    Value of all conversions, in micro-units of the account's currency.
TOTAL_CHECKOUT | checkouts; purchases; orders
    Checkout conversions (purchases): every channel (web, in-app, offline) and action (click, engagement, view).
TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR | checkout value; revenue; sales; purchase value; order value
    Value of checkout conversions (revenue), in micro-units of the account's currency.
CHECKOUT_ROAS | roas; return on ad spend
    Return on ad spend: checkout value / spend (a ratio).
TOTAL_CHECKOUT_QUANTITY | items purchased; units sold
    Items in checkout conversions.
TOTAL_CONVERSIONS_QUANTITY
    Items in conversions of every event type.
TOTAL_WEB_ADD_TO_CART | add to cart; adds to cart; add to carts
    Web add-to-cart conversions, every action (in-app ones: TOTAL_INAPP_ADD_TO_CART). Sync analytics carry only
    its click and view parts: TOTAL_CLICK_ADD_TO_CART, TOTAL_VIEW_ADD_TO_CART.
LEADS
    Leads from lead ads (lead forms); Pinterest Tag lead events are TOTAL_LEAD.
TOTAL_LEAD | lead conversions
    Lead conversions (Pinterest Tag or Conversions API).
COST_PER_LEAD | cpl
    Cost per lead from lead ads.
TOTAL_SIGNUP | signups; sign ups
    Sign-up conversions.
TOTAL_PAGE_VISIT | page visits
    Page-visit conversions.
TOTAL_CUSTOM | custom conversions
    Custom conversions.
TOTAL_VIDEO_MRC_VIEWS | video views
    Video views by the MRC standard (at least half on screen for 2 continuous seconds), paid and earned.
VIDEO_MRC_VIEWS_1 | paid video views
    Video views (MRC standard) from paid impressions.
VIDEO_MRC_VIEWS_2 | earned video views
    Video views (MRC standard) from earned impressions.
TOTAL_VIDEO_3SEC_VIEWS | 3s video views; 3 second video views
    Video plays of at least 3 continuous seconds, paid and earned.
TOTAL_VIDEO_P100_COMPLETE | video completions; completed video views; 100% video views
    Video plays to the end, paid and earned.
TOTAL_VIDEO_AVG_WATCHTIME_IN_SECOND | average watch time; avg watch time; watch time
    Average watch time per video play, in seconds.
TOTAL_IMPRESSION_USER | reach; unique users
    People who saw your ads (reach).
TOTAL_IMPRESSION_FREQUENCY | frequency
    Impressions per person reached.
COST_PER_OUTBOUND_CLICK
    Cost per outbound click (async reports; sync analytics have COST_PER_OUTBOUND_CLICK_IN_DOLLAR).
CPV_IN_MICRO_DOLLAR
    Cost per video view, in micro-units of the account's currency.
CPCV_IN_MICRO_DOLLAR
    Cost per completed video view, in micro-units of the account's currency.
CAMPAIGN_OBJECTIVE_TYPE | objective
    The campaign's objective (AWARENESS, CONSIDERATION, …).
TOTAL_IDEA_PIN_PRODUCT_TAG_VISIT | product tag visits
    Visits through product tags on Idea Pins, paid and earned.
QUIZ_COMPLETED | completed quizzes
    Quizzes completed (quiz ads).
TOTAL_WEB_SESSIONS
    Web sessions on your site after an ad interaction (from the name).
CAMPAIGN_DAILY_SPEND_CAP
    The campaign's daily spend cap, in micro-units of the account's currency.
CAMPAIGN_LIFETIME_SPEND_CAP
    The campaign's lifetime spend cap, in micro-units of the account's currency.
"""


def _parse(table: str) -> dict[str, tuple[tuple[str, ...], str]]:
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    column = ""
    for line in table.strip().splitlines():
        if line.startswith(" "):
            aliases, description = out[column]
            out[column] = (aliases, f"{description} {line.strip()}".strip())
        else:
            column, _, aliases = (part.strip() for part in line.partition("|"))
            out[column] = (tuple(a.strip() for a in aliases.split(";") if a.strip()), "")
    return out


_ENTRIES = _parse(_TABLE)

#: alias → Pinterest column, as written in the table (use :func:`name_key` to look one up)
ALIASES: dict[str, str] = {alias: column for column, (aliases, _) in _ENTRIES.items() for alias in aliases}
#: column → pintools' description (see the module docstring for where they come from)
DESCRIPTIONS: dict[str, str] = {column: description for column, (_, description) in _ENTRIES.items()}


def aliases_of(column: str) -> tuple[str, ...]:
    """The friendly names of a Pinterest column (empty when it has none).

    >>> aliases_of("TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR")[:2]
    ('checkout value', 'revenue')
    """
    return _ENTRIES.get(column, ((), ""))[0]


def plain_key(name: str) -> str:
    """Upper case, every run of separators (space, ``_``, ``-``, ``.``, ``/``, …) as one ``_``.

    >>> plain_key(" Pin-clicks ")
    'PIN_CLICKS'
    """
    return "_".join(re.findall(r"[A-Z0-9%]+", str(name).upper())).replace("%", "")


def name_key(name: str) -> str:
    """:func:`plain_key` with each word's plural ``S`` dropped (``CLICKS`` → ``CLICK``), so that a
    plural and its singular meet. Applied to both sides of a comparison, it needs no grammar.

    >>> name_key("Pin clicks"), name_key("ROAS"), name_key("gross")
    ('PIN_CLICK', 'ROA', 'GROSS')
    """
    words = plain_key(name).split("_")
    return "_".join(w[:-1] if len(w) > 3 and w.endswith("S") and not w.endswith("SS") else w for w in words)


def describe(column: str) -> str:
    """pintools' description of a column: from the table, else from the name's parts, else ``""``.

    >>> describe("TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR")
    'Value of checkout conversions after a click, in micro-units of the account currency (from the name).'
    >>> describe("REPIN_2")
    'Saves of your ads from earned impressions.'
    """
    if column in DESCRIPTIONS:
        return DESCRIPTIONS[column]
    return _from_name(column)


_EVENTS = ("PAGE_VISIT", "SIGNUP", "CHECKOUT", "CUSTOM", "ADD_TO_CART", "LEAD", "SEARCH", "WATCH_VIDEO",
           "VIEW_CATEGORY", "APP_INSTALL", "UNKNOWN")
_CHANNELS = {"WEB": "web", "INAPP": "in-app", "OFFLINE": "offline", "PINTEREST": "Pinterest"}
_ACTIONS = {"CLICK": "a click", "ENGAGEMENT": "an engagement", "VIEW": "a view"}
_EVENT = "|".join(_EVENTS)
_CONVERSION = re.compile(rf"^TOTAL_(?:(?P<channel>WEB|INAPP|OFFLINE|PINTEREST)_)?(?:(?P<action>CLICK|ENGAGEMENT|VIEW)_)?"
                         rf"(?P<event>{_EVENT})(?P<what>_VALUE_IN_MICRO_DOLLAR|_QUANTITY|_CONVERSION_RATE)?$")
_PER_CHANNEL = re.compile(rf"^(?:(?P<channel>WEB|INAPP|OFFLINE|PINTEREST)_)?(?P<event>{_EVENT})_(?P<what>COST_PER_ACTION|ROAS)$")
_DEVICE = "DESKTOP|MOBILE|TABLET"
_CROSS = re.compile(rf"^TOTAL_(?P<event>{_EVENT})_(?P<a>{_DEVICE})_ACTION_TO_(?P<b>{_DEVICE})_CONVERSION$")
_PAID_EARNED = re.compile(r"^(?P<base>.+)_(?P<n>[12])$")


def _from_name(column: str) -> str:
    note = " (from the name)."
    if m := _CONVERSION.match(column):
        base = f"{_CHANNELS.get(m['channel'], '')} {m['event'].lower().replace('_', '-')}".strip()
        text = {None: f"{base} conversions", "_VALUE_IN_MICRO_DOLLAR": f"value of {base} conversions",
                "_QUANTITY": f"items in {base} conversions", "_CONVERSION_RATE": f"{base} conversion rate"}[m["what"]]
        text += f" after {_ACTIONS[m['action']]}" if m["action"] else ""
        text += ", in micro-units of the account currency" if m["what"] == "_VALUE_IN_MICRO_DOLLAR" else ""
        return text[0].upper() + text[1:] + note
    if m := _PER_CHANNEL.match(column):
        event = m["event"].lower().replace("_", "-")
        what = "Cost per" if m["what"] == "COST_PER_ACTION" else "Return on ad spend of"
        channel = f"{_CHANNELS[m['channel']]} " if m["channel"] else ""
        return f"{what} {channel}{event} conversion{'' if what == 'Cost per' else 's'}{note}"
    if m := _CROSS.match(column):
        event = m["event"].lower().replace("_", "-")
        return f"{event.capitalize()} conversions on {m['b'].lower()} after an ad action on {m['a'].lower()}{note}"
    if column.endswith("_ID"):
        return f"Id of the {column[:-3].lower().replace('_', ' ')}{note}"
    if column.endswith(("_NAME", "_STATUS")):
        return f"{column.capitalize().replace('_', ' ')}{note}"
    if m := _PAID_EARNED.match(column):
        return f"{m['base'].replace('_', ' ').capitalize()}, from {'paid' if m['n'] == '1' else 'earned'} impressions{note}"
    return ""
