"""HTTP plumbing: one requestor, the retry policy, rate budgets, auth and the error tree.

>>> from pintools.http import errors
>>> issubclass(errors.NotFound, errors.PinterestError)
True
"""

from . import errors
from .auth import RefreshingToken
from .errors import (
    AuthError,
    BadResponse,
    ConnectionFailed,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    PinterestError,
    RateLimited,
    ServerError,
    WriteOutcomeUnknown,
)
from .ratelimit import Rate, RateBudget
from .requestor import ApiResponse, Requestor, StaticToken
from .retry import RetryPolicy
from .sandbox import SandboxUnavailable
from .shared_budget import SharedBudgetUnavailable, SharedRateBudget

__all__ = [
    "ApiResponse", "AuthError", "BadResponse", "ConnectionFailed", "InvalidRequest", "NotFound",
    "PermissionDenied", "PinterestError", "Rate", "RateBudget", "RateLimited", "RefreshingToken",
    "Requestor", "RetryPolicy", "SandboxUnavailable", "ServerError",
    "SharedBudgetUnavailable", "SharedRateBudget", "StaticToken", "WriteOutcomeUnknown", "errors",
]
