"""The conversion token: a long-lived token dedicated to sending conversions (``oauth/conversion_token``, 5.23.0).

Pinterest makes one from a valid OAuth token with ``ads:write``; the call takes no ad account (the
token is its user's and "can be used across multiple ad accounts under an user ID"). pintools stores
it in the profile, next to the other secrets (the config file is written 0600), with the host it
came from; a client connected through that profile then sends conversions with it
(``client.conversions.stored_token``). A ``conversion_token=`` argument or ``PINTEREST_CONVERSION_TOKEN``
still wins over the stored one. The token never appears in a repr, a log or a message.

>>> obtain_conversion_token(profile="work")     # doctest: +SKIP
ConversionToken(****)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..api.conversions import ConversionToken
from ..api.oauth import create_conversion_token

if TYPE_CHECKING:
    from ..client import Client


def obtain_conversion_token(client: "Client | None" = None, *, profile: str | None = None,
                            store: bool = True) -> ConversionToken:
    """Ask Pinterest for a new conversion token; keep it for ``client`` and store it in the profile.

    Without ``client`` it connects through ``profile`` (default ``$PINTOOLS_PROFILE`` or ``default``),
    never to the built-in emulator. With ``store=True`` the token is saved in that profile for the
    client's host (an emulator client's token is never stored). The client then uses it for
    ``events/create``; with a profile, every later ``pt.connect(profile=...)`` does too.

    >>> token = obtain_conversion_token(profile="work")               # doctest: +SKIP
    >>> pt.send_conversions(orders, "549755885175")   # sent with the token  # doctest: +SKIP
    """
    from .. import config
    from ..client import connect

    if client is None:
        client = connect(profile=profile, emulator=False, quiet=True)
    answer = create_conversion_token(client.requestor)
    token = ConversionToken(answer["access_token"])
    client.conversions.stored_token = token
    if store and client.mode != "emulator":
        settings = config.load_settings(profile=profile)
        settings.config.save_conversion_token(settings.profile, answer["access_token"].strip(),
                                              client.requestor.base_url)
    return token

