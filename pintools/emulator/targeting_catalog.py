"""Static targeting vocabulary: countries, metros (US DMAs), regions, postal codes, interests,
locales, app types. Only words and codes live here; models turn them into targeting options,
targeting-analytics breakdowns and audience insights.

Example:
    >>> COUNTRIES["DE"], US_DMAS["807"]
    ('Germany', 'U.S.: San Francisco-Oakland-San Jose')
    >>> INTERESTS["935249274030"]
    'Home Decor'
"""

from __future__ import annotations

COUNTRIES = {
    "US": "United States", "CA": "Canada", "MX": "Mexico", "BR": "Brazil", "AR": "Argentina", "CO": "Colombia",
    "CL": "Chile", "GB": "United Kingdom", "IE": "Ireland", "DE": "Germany", "AT": "Austria", "CH": "Switzerland",
    "FR": "France", "ES": "Spain", "IT": "Italy", "PT": "Portugal", "GR": "Greece", "MT": "Malta", "NL": "Netherlands",
    "BE": "Belgium", "LU": "Luxembourg", "SE": "Sweden", "DK": "Denmark", "FI": "Finland", "NO": "Norway",
    "PL": "Poland", "RO": "Romania", "HU": "Hungary", "SK": "Slovakia", "CZ": "Czechia", "AU": "Australia",
    "NZ": "New Zealand", "JP": "Japan", "KR": "South Korea", "SG": "Singapore", "HK": "Hong Kong", "IL": "Israel",
}
# Nielsen DMA codes (LOCATION targeting values for the US), largest markets first.
US_DMAS = {
    "501": "U.S.: New York", "803": "U.S.: Los Angeles", "602": "U.S.: Chicago", "504": "U.S.: Philadelphia",
    "623": "U.S.: Dallas-Ft. Worth", "807": "U.S.: San Francisco-Oakland-San Jose", "511": "U.S.: Washington, DC",
    "618": "U.S.: Houston", "506": "U.S.: Boston", "524": "U.S.: Atlanta", "753": "U.S.: Phoenix",
    "819": "U.S.: Seattle-Tacoma", "539": "U.S.: Tampa-St. Petersburg", "505": "U.S.: Detroit",
    "613": "U.S.: Minneapolis-St. Paul", "528": "U.S.: Miami-Ft. Lauderdale", "751": "U.S.: Denver",
    "820": "U.S.: Portland, OR", "811": "U.S.: Reno",
}
# Metro-level LOCATION ids outside the US (numeric, like the spec's "36313": "Australia: Moreton Bay - North").
METROS = {
    "GB": {"124001": "United Kingdom: London", "124002": "United Kingdom: Manchester",
           "124003": "United Kingdom: Birmingham"},
    "DE": {"132001": "Germany: Berlin", "132002": "Germany: Munich", "132003": "Germany: Hamburg"},
    "AT": {"133001": "Austria: Vienna"},
    "CH": {"134001": "Switzerland: Zurich"},
    "CA": {"124735": "Canada: North Battleford", "124736": "Canada: Toronto", "124737": "Canada: Vancouver"},
    "AU": {"36313": "Australia: Moreton Bay - North", "36314": "Australia: Sydney", "36315": "Australia: Melbourne"},
    "FR": {"140001": "France: Paris", "140002": "France: Lyon"},
}
# ISO 3166-2 regions (REGION analytics, GEO targeting) with rough population weights.
REGIONS = {
    "US": {"US-CA": ("California", 12), "US-TX": ("Texas", 9), "US-FL": ("Florida", 7), "US-NY": ("New York", 6),
           "US-IL": ("Illinois", 4), "US-WA": ("Washington", 3), "US-GA": ("Georgia", 3)},
    "GB": {"GB-ENG": ("England", 84), "GB-SCT": ("Scotland", 8), "GB-WLS": ("Wales", 5),
           "GB-NIR": ("Northern Ireland", 3)},
    "DE": {"DE-NW": ("North Rhine-Westphalia", 22), "DE-BY": ("Bavaria", 16), "DE-BW": ("Baden-Württemberg", 13),
           "DE-BE": ("Berlin", 4), "DE-HH": ("Hamburg", 2)},
    "AT": {"AT-9": ("Vienna", 21), "AT-3": ("Lower Austria", 19), "AT-6": ("Styria", 14)},
    "CH": {"CH-ZH": ("Zurich", 18), "CH-BE": ("Bern", 12), "CH-GE": ("Geneva", 6)},
    "CA": {"CA-ON": ("Ontario", 39), "CA-QC": ("Quebec", 22), "CA-BC": ("British Columbia", 14)},
    "FR": {"FR-IDF": ("Île-de-France", 18), "FR-ARA": ("Auvergne-Rhône-Alpes", 12)},
    "AU": {"AU-NSW": ("New South Wales", 32), "AU-VIC": ("Victoria", 26), "AU-QLD": ("Queensland", 20)},
    "BE": {"BE-VOV": ("East Flanders", 13), "BE-BRU": ("Brussels", 11)},
}
# Postal-code GEO values ("US:94102").
POSTAL_CODES = {
    "US": {"US:94102": "San Francisco", "US:10001": "New York", "US:60614": "Chicago", "US:90210": "Beverly Hills",
           "US:98101": "Seattle", "US:78701": "Austin"},
    "GB": {"GB:SW1A": "London", "GB:M1": "Manchester", "GB:EH1": "Edinburgh"},
    "DE": {"DE:10115": "Berlin", "DE:80331": "München", "DE:20095": "Hamburg"},
    "AT": {"AT:1010": "Wien"},
    "CH": {"CH:8001": "Zürich"},
}
# Interest ids → names (the demo ad groups target the first ten).
INTERESTS = {
    "935249274030": "Home Decor", "949446911185": "Food and Drinks", "918530398158": "DIY and Crafts",
    "913957498817": "Gardening", "906745627471": "Travel", "941870572865": "Women's Fashion",
    "960887632144": "Outdoors", "924581335376": "Kitchen Design", "937398457236": "Bedroom Decor",
    "961238559656": "Entertaining", "925056443165": "Beauty", "900489468571": "Health", "918093243960": "Art",
    "948192800438": "Men's Fashion", "922134410098": "Parenting", "909983286710": "Architecture",
    "918105274631": "Event Planning", "919812032692": "Wedding", "902065567321": "Sport", "953061268473": "Animals",
}
# Interests of the people who engaged (PINNER_INTEREST breakdowns, audience insights subcategories).
PINNER_INTERESTS = (
    "Chocolate Cookies", "Living Room Ideas", "Small Space Living", "Capsule Wardrobe", "Weeknight Dinners",
    "Cottagecore", "Scandinavian Interior", "Hiking Trails", "Meal Prep", "Bathroom Remodel", "Indoor Plants",
    "Minimalist Decor", "Baking Recipes", "Camping Gear", "Wedding Guest Outfits", "Kids Crafts",
)
# LOCALE targeting values: the spec says "24 ISO 639-1 two-letter language codes" without listing
# them (its TargetingSpec example even shows "en-US"); which 24 is the emulator's guess.
LOCALES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "sv": "Swedish", "da": "Danish", "nb": "Norwegian Bokmål", "fi": "Finnish", "pl": "Polish",
    "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "el": "Greek", "tr": "Turkish",
    "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "id": "Indonesian", "ms": "Malay", "he": "Hebrew",
}
APPTYPES = {
    "iphone": "iPhone", "ipad": "iPad", "android_mobile": "Android mobile", "android_tablet": "Android tablet",
    "web": "Desktop web", "web_mobile": "Mobile web",
}
GENDERS = {"female": "Female", "male": "Male", "unknown": "Unspecified"}
AGE_BUCKETS = {"18-24": "18-24", "19+": "19+", "20+": "20+", "21+": "21+", "25-34": "25-34", "35-44": "35-44",
               "45-49": "45-49", "50-54": "50-54", "55-64": "55-64", "65+": "65+"}
# The open-ended buckets under 65 overlap the ranges, so breakdowns leave them out.
OVERLAPPING_AGES = ("19+", "20+", "21+")
# Typical shares (Pinterest skews female and 25–44, mobile first).
GENDER_SHARES = {"female": 0.7, "male": 0.22, "unknown": 0.08}
AGE_SHARES = {"18-24": 0.2, "19+": 0.27, "20+": 0.26, "21+": 0.25, "25-34": 0.3, "35-44": 0.22, "45-49": 0.08, "50-54": 0.07,
              "55-64": 0.08, "65+": 0.05}
APPTYPE_SHARES = {"iphone": 0.35, "android_mobile": 0.25, "web": 0.15, "web_mobile": 0.12, "ipad": 0.08,
                  "android_tablet": 0.05}
PLACEMENT_SHARES = {"ALL": {"SEARCH": 0.35, "BROWSE": 0.55, "OTHER": 0.10}, "SEARCH": {"SEARCH": 1.0},
                    "BROWSE": {"BROWSE": 1.0}, "OTHER": {"OTHER": 1.0}}

# Audience-insight categories (L1 interests) and a few of their subcategories.
AUDIENCE_CATEGORIES = {
    "Home Decor": ("935249274030", ("Living Room Ideas", "Bedroom Ideas", "Small Space Living", "Wall Decor")),
    "Food and Drinks": ("949446911185", ("Weeknight Dinners", "Baking", "Cocktails", "Healthy Recipes")),
    "DIY and Crafts": ("918530398158", ("Home Projects", "Sewing", "Paper Crafts", "Upcycling")),
    "Gardening": ("913957498817", ("Container Gardening", "Vegetable Gardens", "Indoor Plants")),
    "Travel": ("906745627471", ("Travel Destinations", "Road Trips", "Packing Tips")),
    "Women's Fashion": ("941870572865", ("Capsule Wardrobe", "Street Style", "Work Outfits")),
    "Beauty": ("925056443165", ("Nail Art", "Skincare", "Hairstyles")),
    "Health": ("900489468571", ("Workouts", "Mindfulness", "Nutrition")),
    "Art": ("918093243960", ("Painting", "Drawing", "Photography")),
    "Event Planning": ("918105274631", ("Party Ideas", "Holiday Entertaining", "Baby Showers")),
    "Parenting": ("922134410098", ("Kids Activities", "Nursery", "Family Recipes")),
    "Architecture": ("909983286710", ("Modern Homes", "Cabins", "Interior Architecture")),
}
DEVICES = {"iphone": "iPhone", "android_mobile": "Android mobile", "web": "Desktop web", "ipad": "iPad",
           "web_mobile": "Mobile web", "android_tablet": "Android tablet"}
