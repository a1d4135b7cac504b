"""Lead ads routes: lead forms, the question types, webhook subscriptions and test leads.

Example (over HTTP):
    POST /v5/ad_accounts/{id}/leads/subscriptions {"webhook_url": "https://hooks.example.com/pins"}
    POST /v5/ad_accounts/{id}/lead_forms/{lead_form_id}/test {"answers": ["Jo Doe", "jo@example.com", ...]}
"""

from __future__ import annotations

from flask import Response, request

from pintools.emulator.errors import ApiError
from pintools.emulator.models.lead_delivery import answers_problem
from pintools.emulator.models.leads import INVALID_CODE, QUESTION_TYPES, SUBSCRIPTION_NOT_FOUND, check_create_body
from pintools.emulator.routes import params

TEST_LEAD_ID = "TEST_API"
LEAD_NOT_FOUND = (4842, "Lead not found.")


def list_lead_forms(state, ad_account_id: str) -> dict:
    """``Paginated`` of ``LeadFormResponse`` (``page_size``, ``order``, ``bookmark``)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    size, mark, descending = params.page_size(args), params.bookmark(args), params.descending(args)
    state.accounts.require(account_id)
    items, next_mark = state.lead_forms.list(account_id, size, mark, descending)
    return {"items": items, "bookmark": next_mark}


def get_lead_form(state, ad_account_id: str, lead_form_id: str) -> dict:
    """One ``LeadFormResponse``; 404 code 4842 "Lead form is not found."."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    form_id = params.path_id(lead_form_id, "lead_form_id")
    state.accounts.require(account_id)
    return dict(state.lead_forms.get(account_id, form_id))


def lead_form_questions(state) -> list:
    """The ``LeadFormQuestionType`` names as a JSON array (emulator choice: no schema in 5.12.0)."""
    return list(QUESTION_TYPES)


def create_subscription(state, ad_account_id: str) -> dict:
    """``AdAccountCreateSubscriptionRequest`` → ``AdAccountCreateSubscriptionResponse``."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    url, form_id = check_create_body(params.json_body(request))
    account = state.accounts.require(account_id)
    if form_id is not None:
        state.lead_forms.get(account_id, form_id)
    owner = (account.get("owner") or {}).get("id") or account_id
    return state.subscriptions.create(account_id, url, form_id, owner)


def list_subscriptions(state, ad_account_id: str) -> dict:
    """``Paginated`` of ``AdAccountGetSubscriptionResponse`` (``page_size``, ``bookmark``)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    size, mark = params.page_size(request.args), params.bookmark(request.args)
    state.accounts.require(account_id)
    items, next_mark = state.subscriptions.list(account_id, size, mark)
    return {"items": items, "bookmark": next_mark}


def _subscription_id(value: str) -> str:
    if not value.isdigit():
        raise ApiError(404, *SUBSCRIPTION_NOT_FOUND)
    return value


def get_subscription(state, ad_account_id: str, subscription_id: str) -> dict:
    """One subscription; 404 code 4517 "Subscription for given ids not found."."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    state.accounts.require(account_id)
    return dict(state.subscriptions.get(account_id, _subscription_id(subscription_id)))


def delete_subscription(state, ad_account_id: str, subscription_id: str) -> Response:
    """Delete one subscription: 204 with no body; 404 code 4517 when unknown."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    state.accounts.require(account_id)
    state.subscriptions.delete(account_id, _subscription_id(subscription_id))
    return Response(status=204)


def create_test_lead(state, ad_account_id: str, lead_form_id: str) -> dict:
    """``LeadFormTestRequest`` → ``{subscription_id}``; delivers one encrypted ``TEST_API`` lead.

    404 code 4842 "Lead not found." for an unknown form; 400 code 1 "Invalid parameters." when
    the answers do not fit the form's questions; 404 code 4517 (emulator choice) when no
    subscription covers the form (a form-level subscription wins over an account-level one).
    """
    account_id = params.path_id(ad_account_id, "ad_account_id")
    form_id = params.path_id(lead_form_id, "lead_form_id")
    body = params.json_body(request)
    state.accounts.require(account_id)
    form = state.lead_forms.get(account_id, form_id, not_found=LEAD_NOT_FOUND)
    answers = body.get("answers") if isinstance(body, dict) else None
    if answers_problem(form["questions"], answers):
        raise ApiError(400, INVALID_CODE, "Invalid parameters.")
    sub = state.subscriptions.matching(account_id, form_id)
    if sub is None:
        raise ApiError(404, *SUBSCRIPTION_NOT_FOUND)
    state.send_leads(sub, form, [answers], [TEST_LEAD_ID])
    return {"subscription_id": sub["id"]}


HANDLERS = {
    "lead_forms/list": list_lead_forms,
    "lead_form/get": get_lead_form,
    "lead_form_questions/get": lead_form_questions,
    "ad_accounts_subscriptions/post": create_subscription,
    "ad_accounts_subscriptions/get_list": list_subscriptions,
    "ad_accounts_subscriptions/get_by_id": get_subscription,
    "ad_accounts_subscriptions/del_by_id": delete_subscription,
    "lead_form_test/create": create_test_lead,
}
