"""Static vocabulary for the demo data: advertisers, product themes, keywords, interests.

Only words and codes live here; ``demo.py`` turns them into entities.

Example:
    >>> DEFAULT_ACCOUNTS[0]["name"]
    'Juniper & Sage Home'
"""

from __future__ import annotations

# The default advertisers (scale=1 → 8 campaigns each). "shared" = reached via Business Access.
DEFAULT_ACCOUNTS = (
    {
        "name": "Juniper & Sage Home",
        "country": "US",
        "currency": "USD",
        "owner": "junipersagehome",
        "domain": "www.juniperandsage.com",
        "locales": ["en"],
        "locations": ["US"],
        "metros": ["807", "501", "803"],  # Nielsen DMAs: San Francisco, New York, Los Angeles
        "shared": False,
        "themes": (
            ("Spring Sofas", ("velvet sofa", "modular sectional", "sofa bed", "linen couch", "small space sofa", "boucle armchair")),
            ("Linen Bedding", ("linen sheets", "duvet cover", "waffle blanket", "bedroom ideas", "linen pillowcase", "quilt set")),
            ("Outdoor Dining", ("patio furniture", "outdoor dining table", "teak chairs", "string lights", "garden party", "bistro set")),
            ("Rugs & Throws", ("jute rug", "wool rug", "vintage runner", "chunky knit throw", "living room rug", "washable rug")),
            ("Ceramic Lamps", ("table lamp", "ceramic lamp", "bedside lamp", "pleated lampshade", "floor lamp", "reading light")),
            ("Holiday Gifting", ("housewarming gift", "candle gift set", "hostess gift", "gift for her", "cozy gifts", "stocking stuffers")),
            ("Kitchen Refresh", ("open shelving", "stoneware dinnerware", "linen napkins", "kitchen decor", "serving bowls", "glassware set")),
            ("Home Office", ("desk chair", "walnut desk", "home office ideas", "bookshelf styling", "desk lamp", "cable storage")),
        ),
    },
    {
        "name": "Harbour & Hearth Kitchenware",
        "country": "GB",
        "currency": "GBP",
        "owner": "harbourandhearth",
        "domain": "www.harbourandhearth.co.uk",
        "locales": ["en"],
        "locations": ["GB"],
        "metros": [],
        "shared": True,
        "themes": (
            ("Cast Iron Classics", ("cast iron pan", "dutch oven", "skillet recipes", "enamel casserole", "griddle pan", "cast iron care")),
            ("Sunday Roast", ("roasting tin", "carving board", "gravy boat", "roast dinner ideas", "yorkshire pudding tin", "meat thermometer")),
            ("Bake Off Season", ("cake tin", "stand mixer", "baking set", "sourdough starter", "proving basket", "cooling rack")),
            ("Tea Time", ("teapot", "loose leaf tea", "afternoon tea set", "tea cosy", "china mugs", "cake stand")),
            ("Knife Skills", ("chef knife", "knife block", "whetstone", "paring knife", "bread knife", "knife roll")),
            ("Picnic Hampers", ("picnic hamper", "picnic blanket", "cool bag", "enamel mugs", "summer picnic ideas", "flask")),
            ("Christmas Table", ("christmas dinner", "festive tableware", "napkin rings", "table runner", "christmas crackers", "serving platter")),
            ("Small Kitchen Storage", ("kitchen storage jars", "spice rack", "pan organiser", "small kitchen ideas", "magnetic knife strip", "pantry labels")),
        ),
    },
    {
        "name": "Nordlicht Outdoor GmbH",
        "country": "DE",
        "currency": "EUR",
        "owner": "nordlicht_outdoor",
        "domain": "www.nordlicht-outdoor.de",
        "locales": ["de"],
        "locations": ["DE", "AT", "CH"],
        "metros": [],
        "shared": False,
        "themes": (
            ("Alpine Hiking", ("wanderschuhe", "hiking boots", "trekking poles", "wanderrucksack", "alpine trails", "merino socks")),
            ("Winter Layers", ("daunenjacke", "merino base layer", "softshell jacket", "thermal leggings", "winter hiking", "fleece pullover")),
            ("Camping Basics", ("zelt", "sleeping bag", "camping stove", "camping checklist", "isomatte", "headlamp")),
            ("Trail Running", ("trail running shoes", "laufweste", "running poles", "trail race", "hydration vest", "gaiters")),
            ("Family Outdoors", ("kids hiking boots", "family camping", "baby carrier", "kids rain jacket", "outdoor games", "picnic blanket")),
            ("Rain Ready", ("regenjacke", "rain trousers", "waterproof jacket", "packable poncho", "dry bag", "gore-tex boots")),
            ("Bike Touring", ("bikepacking", "fahrradtaschen", "handlebar bag", "touring bike", "bike lights", "cycling jersey")),
            ("Climbing Gear", ("kletterschuhe", "chalk bag", "climbing harness", "bouldering", "belay device", "climbing rope")),
        ),
    },
)

# Exists but was never shared with the demo user: GET → 403 code 29.
HIDDEN_ACCOUNT = {"name": "Copperline Cycles", "country": "US", "currency": "USD", "owner": "copperlinecycles"}

# Neutral vocabulary for custom accounts (``accounts=[...]`` without themes).
GENERIC_THEMES = (
    ("Evergreen", ("gift ideas", "home inspiration", "new arrivals", "best sellers", "seasonal picks", "style guide")),
    ("Seasonal Sale", ("summer sale", "winter sale", "clearance", "limited offer", "bundle deal", "free shipping")),
    ("New Collection", ("new collection", "lookbook", "trending now", "editor picks", "must haves", "launch")),
    ("Best Sellers", ("top rated", "customer favourites", "bestseller", "classic", "everyday essentials", "staples")),
)

# Campaign positions within one cycle of 8: objective, CBO?, campaign label, "mixed" status.
CAMPAIGN_CYCLE = (
    ("AWARENESS", True, "Awareness", "ACTIVE"),
    ("CONSIDERATION", True, "Prospecting", "ACTIVE"),
    ("WEB_CONVERSION", True, "Conversions", "ACTIVE"),
    ("CATALOG_SALES", True, "Catalog Shopping", "ACTIVE"),
    ("VIDEO_COMPLETION", False, "Video Views", "PAUSED"),
    ("CONSIDERATION", False, "Traffic", "ACTIVE"),
    ("WEB_CONVERSION", True, "Retargeting", "ARCHIVED"),
    ("AWARENESS", True, "Launch Teaser", "DRAFT"),
)

AD_GROUP_LABELS = {
    "AWARENESS": ("Broad Reach", "Interest – Home & Style", "Lookalike 1%", "Video Reach", "Placement – Browse"),
    "CONSIDERATION": ("Prospecting – Interests", "Keywords – Search", "Lookalike 3%", "Broad Auto", "Placement – Search"),
    "WEB_CONVERSION": ("Checkout – Site Visitors", "Add to Cart – 30d", "Lookalike Purchasers", "Prospecting", "Email List"),
    "CATALOG_SALES": ("All Products", "Best Sellers", "Dynamic Retargeting", "New Arrivals", "Sale Items"),
    "VIDEO_COMPLETION": ("Video – 25-44", "Video – Broad", "Video – Interests", "Video – Lookalike", "Video – Search"),
}

CREATIVES = {
    "AWARENESS": ("REGULAR", "VIDEO", "IDEA"),
    "CONSIDERATION": ("REGULAR", "CAROUSEL", "COLLECTION"),
    "WEB_CONVERSION": ("REGULAR", "COLLECTION", "CAROUSEL"),
    "CATALOG_SALES": ("SHOPPING", "SHOPPING", "COLLECTION"),
    "VIDEO_COMPLETION": ("VIDEO", "MAX_VIDEO", "VIDEO"),
}

CTA_BY_OBJECTIVE = {
    "AWARENESS": "LEARN_MORE",
    "CONSIDERATION": "SHOP_NOW",
    "WEB_CONVERSION": "BUY_NOW",
    "CATALOG_SALES": "SHOP_NOW",
    "VIDEO_COMPLETION": "WATCH_NOW",
}

# Interest ids (12-digit numeric strings, as Pinterest's interest ids look).
INTEREST_IDS = (
    "935249274030", "949446911185", "918530398158", "913957498817", "906745627471", "941870572865",
    "960887632144", "924581335376", "937398457236", "961238559656",
)
AGE_GROUPS = (["25-34", "35-44"], ["25-34", "35-44", "45-49"], ["18-24", "25-34"], ["35-44", "45-49", "50-54"])
APPTYPE_GROUPS = (["iphone", "android_mobile", "web_mobile"], ["web", "ipad", "iphone"], ["iphone", "ipad", "android_mobile", "android_tablet", "web", "web_mobile"])
GENDER_GROUPS = (["female"], ["female", "male"], ["female", "male", "unknown"])

KEYWORD_MODIFIERS = ("ideas", "sale", "best", "inspo", "for small spaces", "aesthetic", "diy", "2024", "cheap", "luxury")
ACCOUNT_NEGATIVES = (("free", "EXACT_NEGATIVE"), ("diy tutorial", "PHRASE_NEGATIVE"), ("jobs", "EXACT_NEGATIVE"))
CAMPAIGN_NEGATIVES = (("second hand", "PHRASE_NEGATIVE"), ("coupon code", "PHRASE_NEGATIVE"))

# Rough USD→local factors for demo money (kept integers in micro units, rounded to a cent).
CURRENCY_FACTORS = {"USD": 1.0, "GBP": 0.8, "EUR": 0.92, "CAD": 1.35, "AUD": 1.5, "JPY": 150.0}

# Customer lists per ad account, in upload order: name choices, uploaded records (low, high) and
# the share matched to Pinterest users (low, high). The last one matches fewer than 100 Pinterest
# users, so it is TOO_SMALL ("the list has less than 100 Pinterest users"), and so is its audience.
CUSTOMER_LISTS = (
    (("Newsletter Subscribers", "Email Subscribers – All", "Newsletter – Engaged Openers"), (38_000, 140_000),
     (0.38, 0.62)),
    (("Past Purchasers – Last 12 Months", "Customers – Repeat Buyers", "Purchasers – All Time"), (9_000, 48_000),
     (0.42, 0.66)),
    (("Loyalty Club – Gold Tier", "VIP Early Access List", "Trade Program Members"), (120, 190), (0.3, 0.5)),
)
CUSTOMER_LIST_DESCRIPTIONS = (
    "Hashed emails from the newsletter platform, refreshed monthly.",
    "Hashed emails of customers who placed an order, from the shop platform.",
    None,
)
# Audiences beside the three customer-list audiences: (audience_type, name, description, size range).
SITE_AUDIENCES = (
    ("VISITOR", "Site Visitors – 30 Days", "All tag events, web and app, last 30 days.", (24_000, 260_000)),
    ("VISITOR", "Add to Cart – 14 Days", None, (1_800, 18_000)),
    ("ENGAGEMENT", "Pin Engagers – 90 Days", "People who engaged with Pins from our claimed domain.",
     (8_000, 150_000)),
)
ACTALIKE_AUDIENCE = ("Actalike 3% – Past Purchasers", 3)  # name, percentage; seeded on the purchasers audience
