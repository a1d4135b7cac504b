import json

import pytest

from pintools.leads import KeyRing, LeadStore, encrypt_answers

# the guide's sample key (padded) and the spec's example key (unpadded, 43 characters)
GUIDE_KEY = "u4+XFme7mKn9p6zkKBsx+H9DAwCZ/l9XqrnOHxQ46h4="
SPEC_KEY = "ucvxbV2Tdss0vNeYsdh4Qfa/1Khm2b0PqXvXeTTZh54"
ANSWERS = {"EMAIL": "abc@email.com", "FULL_NAME": "John Doe", "PHONE_NUMBER": "987654321",
           "Custom question": "Custom question answer"}


def make_lead(key=SPEC_KEY, *, lead_id="5554397289529204001", form="65300871001", account="111764359001",
              created_at="1698380898000", answers=None):
    return {"advertiser_id": account, "lead_form_id": form, "ad_id": "222254831001", "campaign_id": "333749306001",
            "ad_group_id": "4440076819001", "lead_id": lead_id, "user_id": "666644187436941001",
            "lead_form_name": "Lead form name", "campaign_name": "Campaign name", "ad_group_name": "Ad group",
            "ad_name": "Ad name", "created_at": created_at,
            "answers": encrypt_answers(ANSWERS if answers is None else answers, key), "version": "v5"}


def body(*leads):
    return json.dumps(list(leads)).encode()


@pytest.fixture
def store(tmp_path):
    s = LeadStore(tmp_path / "leads.sqlite3")
    yield s
    s.close()


@pytest.fixture
def keyring():
    ring = KeyRing()
    ring.add(SPEC_KEY, subscription_id="1", ad_account_id="111764359001")
    return ring
