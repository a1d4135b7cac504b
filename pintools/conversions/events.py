"""Event names: from the names tracking plans use ("Order Completed") to Pinterest's.

Pinterest accepts the ``event_name`` values of :data:`~pintools.conversions.fields.EVENT_NAMES`.
Tracking plans (Segment, RudderStack, GA4/Firebase, Shopify web pixels, Meta/TikTok/Snap pixel names)
use other names; :func:`map_event_names` translates the common ones (compared case-, punctuation- and
camelCase-insensitively: ``AddPaymentInfo`` = ``add_payment_info`` = ``Payment Info Entered``) and refuses
the rest by name, so an event is never sent under a guessed name. A product view (``Product Viewed``,
``view_item``, ``ViewContent``) is 5.23.0's ``view_content``; send it as ``page_visit`` with
``extra={"Product Viewed": "page_visit"}`` if your reports count it there. :func:`from_tracking_events`
also flattens the ``properties`` of such exports (order id, revenue, currency, products, search query)
into the columns :func:`~pintools.conversions.prepare.prepare_conversions` understands.

>>> map_event_names(pd.Series(["Order Completed", "Products Searched", "checkout"])).tolist()
['checkout', 'search', 'checkout']
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from .dtypes import TEXT
from .fields import EVENT_NAMES
from .prepare import decimal_text

#: Tracking names (compared lower-case, punctuation ignored) and the Pinterest event they are.
TRACKING_NAMES: dict[str, str] = {
    "order completed": "checkout", "product purchased": "checkout", "purchase": "checkout",
    "order placed": "checkout", "transaction": "checkout", "completed purchase": "checkout",
    "product added": "add_to_cart", "add to cart": "add_to_cart", "added to cart": "add_to_cart",
    "signed up": "signup", "sign up": "signup", "registration": "signup", "complete registration": "signup",
    "account created": "signup",
    "lead generated": "lead", "lead": "lead", "generate lead": "lead", "form submitted": "lead",
    "products searched": "search", "product searched": "search", "search": "search", "searched": "search",
    "product list viewed": "view_category", "category viewed": "view_category", "view item list": "view_category",
    "page": "page_visit", "page viewed": "page_visit", "page view": "page_visit", "pageview": "page_visit",
    "video played": "watch_video", "video playback started": "watch_video", "video watched": "watch_video",
    "video content playing": "watch_video",
    # events 5.23.0 added
    "payment info entered": "add_payment_info", "add payment info": "add_payment_info",
    "product added to wishlist": "add_to_wishlist", "wishlist added": "add_to_wishlist",
    "add to wishlist": "add_to_wishlist",
    "checkout started": "initiate_checkout", "begin checkout": "initiate_checkout",
    "initiate checkout": "initiate_checkout",
    "application installed": "app_install", "app installed": "app_install", "app install": "app_install",
    "subscribed": "subscribe", "subscription started": "subscribe", "subscribe": "subscribe",
    "view content": "view_content", "content viewed": "view_content",
    # a product (detail) view: 5.23.0's view_content (page_visit before it; extra= can send it there)
    "product viewed": "view_content", "view item": "view_content",
    # GA4 / Firebase, Shopify web pixels, Meta, TikTok and Snap standard names (compared in this key form)
    "view search results": "search", "search submitted": "search", "first open": "app_install",
    "install": "app_install", "in app purchase": "checkout", "ecommerce purchase": "checkout",
    "checkout completed": "checkout", "complete payment": "checkout", "place an order": "checkout",
    "payment info submitted": "add_payment_info", "add billing": "add_payment_info",
    "product added to cart": "add_to_cart", "collection viewed": "view_category", "list view": "view_category",
    "start checkout": "initiate_checkout", "submit form": "lead", "video start": "watch_video",
}


def _key(name: object) -> str:
    """``"AddPaymentInfo"``, ``"add_payment_info"`` and ``"Add Payment Info"`` all become ``"add payment info"``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(name))
    return re.sub(r"[\W_]+", " ", spaced.lower()).strip()


def map_event_names(names: pd.Series, extra: Mapping[str, str] | None = None, *, unknown: str = "error") -> pd.Series:
    """Pinterest event names for tracking names; Pinterest's own names pass through.

    ``extra`` adds or overrides mappings (``{"Quote Requested": "lead"}``). ``unknown="error"``
    raises ``ValueError`` listing every name it cannot map; ``"custom"`` sends them as the
    ``custom`` event; ``"keep"`` leaves them for :func:`prepare_conversions` to report per row.

    >>> map_event_names(pd.Series(["Quote Requested"]), {"Quote Requested": "lead"}).tolist()
    ['lead']
    >>> map_event_names(pd.Series(["Coupon Applied"]), unknown="custom").tolist()
    ['custom']
    """
    if unknown not in {"error", "custom", "keep"}:
        raise ValueError(f"unknown= must be 'error', 'custom' or 'keep', got {unknown!r}")
    table = dict(TRACKING_NAMES)
    table.update({_key(name): name for name in EVENT_NAMES})
    for source, target in (extra or {}).items():
        if target not in EVENT_NAMES:
            raise ValueError(f"extra maps {source!r} to {target!r}, which is not a Pinterest event name "
                             f"({', '.join(EVENT_NAMES)})")
        table[_key(source)] = target
    keys = names.astype(TEXT).map(_key, na_action="ignore")
    mapped = keys.map(table).astype(TEXT)
    missing = names.notna() & mapped.isna()
    if missing.any():
        if unknown == "error":
            counts = names[missing].value_counts()
            listed = ", ".join(f"{name!r} ({n})" for name, n in counts.head(10).items())
            raise ValueError(f"no Pinterest event name for {listed}; map them with "
                             f"extra={{name: one of {', '.join(EVENT_NAMES)}}} or pass unknown='custom'")
        mapped[missing] = "custom" if unknown == "custom" else names[missing].astype(TEXT)
    return mapped


_PROPERTY_COLUMNS = {
    "order_id": "order_id", "orderid": "order_id", "checkout_id": "order_id",
    "revenue": "value", "total": "value", "value": "value", "price": "value",
    "currency": "currency", "query": "search_string", "search_query": "search_string",
    "search_term": "search_string", "email": "email", "phone": "phone",
}
_PRODUCT_KEYS = {"product_id": "id", "sku": "id", "id": "id", "price": "item_price", "quantity": "quantity",
                 "name": "item_name", "category": "item_category", "brand": "item_brand"}


def from_tracking_events(df: pd.DataFrame, *, event_column: str = "event", properties_column: str = "properties",
                         extra: Mapping[str, str] | None = None, unknown: str = "error") -> pd.DataFrame:
    """Flatten a tracking export (one row per call, a ``properties`` dict) into event columns.

    ``event_name`` comes from :func:`map_event_names`; from ``properties`` it takes the order
    id, revenue/total (as ``value``), currency, the search query (as ``search_string``, the
    spec's field) and ``products`` (as ``contents`` and ``content_ids``). Other columns of
    ``df`` (``messageId``, ``timestamp``, ``email``…) are kept for the column mapping.

    >>> calls = pd.DataFrame({"event": ["Products Searched"], "messageId": ["m1"],
    ...                       "properties": [{"query": "velvet sofa"}]})
    >>> from_tracking_events(calls)[["event_name", "search_string"]].iloc[0].tolist()
    ['search', 'velvet sofa']
    """
    if event_column not in df:
        raise ValueError(f"no {event_column!r} column; name the tracking event column with event_column=")
    out = df.drop(columns=[c for c in (event_column, properties_column) if c in df])
    out.insert(0, "event_name", map_event_names(df[event_column], extra, unknown=unknown))
    if "messageId" in out and "event_id" not in out:
        out = out.rename(columns={"messageId": "event_id"})
    if properties_column in df:
        props = df[properties_column].map(lambda p: p if isinstance(p, Mapping) else {})
        for key, column in _PROPERTY_COLUMNS.items():
            values = props.map(lambda p, k=key: p.get(k))
            if values.notna().any() and column not in out:
                out[column] = values
        products = props.map(lambda p: p.get("products"))
        if products.notna().any():
            out["contents"] = products.map(_contents_of, na_action="ignore")
            out["content_ids"] = out["contents"].map(lambda items: [i["id"] for i in items if "id" in i] or None,
                                                     na_action="ignore")
    if "event_id" not in out and "order_id" in out:
        out["event_id"] = out["event_name"].astype(TEXT) + ":" + out["order_id"].astype(TEXT)
    return out


def _contents_of(products) -> list[dict]:
    items = []
    for product in products or []:
        if isinstance(product, Mapping):
            items.append({_PRODUCT_KEYS[k]: v for k, v in product.items() if k in _PRODUCT_KEYS and v is not None})
    return items


def contents_from_items(items: pd.DataFrame, *, by: str, id: str = "id", item_price: str | None = "item_price",
                        quantity: str | None = "quantity", item_name: str | None = None,
                        item_category: str | None = None, item_brand: str | None = None) -> pd.Series:
    """``custom_data.contents`` per order from a line-items frame (one row per product).

    Returns a Series indexed by ``by`` holding lists of product objects; map it onto the
    orders: ``orders["contents"] = orders.order_id.map(contents_from_items(lines, by="order_id"))``.

    >>> lines = pd.DataFrame({"order_id": ["A", "A"], "sku": ["S1", "S2"], "price": [9.5, 20], "qty": [2, 1]})
    >>> contents_from_items(lines, by="order_id", id="sku", item_price="price", quantity="qty")["A"]
    [{'id': 'S1', 'item_price': '9.5', 'quantity': 2}, {'id': 'S2', 'item_price': '20', 'quantity': 1}]
    """
    names = {"id": id, "item_price": item_price, "quantity": quantity, "item_name": item_name,
             "item_category": item_category, "item_brand": item_brand}
    chosen = {field: column for field, column in names.items() if column is not None}
    missing = [column for column in [by, *chosen.values()] if column not in items]
    if missing:
        raise ValueError(f"line items have no column(s) {missing}; they have {list(items.columns)}")
    frame = items[[by, *chosen.values()]].rename(columns={v: k for k, v in chosen.items()})
    if "item_price" in frame:
        price = frame["item_price"]
        frame["item_price"] = price.map(lambda v: decimal_text(v) if isinstance(v, (int, float)) else v,
                                        na_action="ignore")
    if "quantity" in frame:
        frame["quantity"] = pd.to_numeric(frame["quantity"]).astype("Int64")
    records = frame.drop(columns=[by]).astype(object).where(frame.drop(columns=[by]).notna(), None)
    rows = [{k: (int(v) if k == "quantity" else str(v)) for k, v in record.items() if v is not None}
            for record in records.to_dict("records")]
    return pd.Series(rows, index=frame[by].to_numpy()).groupby(level=0, sort=False).agg(list)
