"""The pandas boundary: schema tables and conversion between API records and typed frames.

>>> from pintools.frames import in_currency_units, explode_targeting
"""

from .convert import explode_targeting, to_frame, to_records
from .money import in_currency_units, micro_to_units, unit_name
from .schema import AD, AD_ACCOUNT, AD_GROUP, CAMPAIGN, KEYWORD, SCHEMAS, Field, Schema

__all__ = ["AD", "AD_ACCOUNT", "AD_GROUP", "CAMPAIGN", "KEYWORD", "SCHEMAS", "Field", "Schema",
           "explode_targeting", "in_currency_units", "micro_to_units", "to_frame", "to_records",
           "unit_name"]
