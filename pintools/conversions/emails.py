"""Email addresses as pasted from CRMs and exports, made into addresses that can match.

Exports carry invisible characters (a zero-width space from a web form, a BOM from a CSV), a
display name (``Jo Doe <jo@example.com>``), a ``mailto:`` link or a sentence's full stop; hashed
as given, none of them can ever match a Pinterest user. :func:`clean_email` removes them and
says what it removed (never quoting the address), and :func:`normalise_email` then refuses what
still is not an address. :func:`~pintools.conversions.hashing.normalise_and_hash` runs both.

>>> clean_email("\ufeffJo Doe <Jo@Example.com>")
('Jo@Example.com', '1 invisible character, display name removed')
>>> normalise_email("Jo@Example.com"), normalise_email("jo at example dot com")
('jo@example.com', None)
"""

from __future__ import annotations

import re

#: Characters that print as nothing: Unicode format characters (category Cf: zero-width space and
#: joiners, soft hyphen, BOM, direction marks…), the combining grapheme joiner and the Hangul fillers.
_INVISIBLE = re.compile("[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
                        "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
                        "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                        "\U000e0001\U000e0020-\U000e007f]")
_DISPLAY_NAME = re.compile(r"[^<>]*<([^<>]*)>[\s.]*")
#: Never in an address a mail system hands out (outside quoted local parts, which nobody uses).
_NOT_IN_EMAIL = r"@\s<>()\[\],;:\"\\\x00-\x1f\x7f"
_LABEL = rf"[^{_NOT_IN_EMAIL}.\-]+(?:-+[^{_NOT_IN_EMAIL}.\-]+)*"  # a domain label: no dot, no "-" at either end
#: A lower-cased address :func:`normalise_email` accepts: something before one "@", and two or more
#: domain labels (so a dot inside the domain, none at its ends, no empty label).
EMAIL = re.compile(rf"[^{_NOT_IN_EMAIL}]+@{_LABEL}(?:\.{_LABEL})+")


def clean_email(text: str) -> tuple[str, str | None]:
    """``(address, note)``: invisible characters, a display name (``Name <addr>``), a
    ``mailto:`` prefix (and its ``?subject=…``) and trailing dots removed; ``note`` says what was
    removed (never quoting the value), None when nothing was. Case is kept: see
    :func:`normalise_email`.

    >>> clean_email("Jo Doe <mailto:Jo@Example.com>"), clean_email("jo@example.com.")
    (('Jo@Example.com', 'display name, mailto: prefix removed'), ('jo@example.com', 'trailing dot removed'))
    >>> clean_email("jo\u200b@example.com"), clean_email("jo@example.com")
    (('jo@example.com', '1 invisible character removed'), ('jo@example.com', None))
    """
    changes = []
    if not text.isascii():
        text, count = _INVISIBLE.subn("", text)
        if count:
            changes.append(f"{count} invisible character{'s' if count > 1 else ''}")
            text = text.strip()
    if ">" in text and "<" in text:
        match = _DISPLAY_NAME.fullmatch(text)
        if match:
            text = match.group(1).strip()
            changes.append("display name")
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0].strip()
        changes.append("mailto: prefix")
    if text.endswith("."):
        stripped = text.rstrip(".").rstrip()
        changes.append("trailing dot" if len(text) - len(stripped) == 1 else "trailing dots")
        text = stripped
    return text, (", ".join(changes) + " removed") if changes else None


def clean_emails(texts: list[str | None]) -> tuple[list[str | None], list[str | None] | None]:
    """:func:`clean_email` over trimmed values: ``(cleaned, notes)``, with ``notes`` None when no
    value needed cleaning (checked at C speed over the joined text, so clean columns cost one
    join). An address left empty by the cleaning is kept as "", which is refused.

    >>> clean_emails(["a@b.co", None, "mailto:c@d.co"])
    (['a@b.co', None, 'c@d.co'], [None, None, 'mailto: prefix removed'])
    """
    joined = "\n".join(filter(None, texts)) + "\n"
    if joined.isascii() and ">" not in joined and ":" not in joined and ".\n" not in joined:
        return texts, None
    cleaned: list[str | None] = []
    notes: list[str | None] = []
    for text in texts:
        if text is None:
            cleaned.append(None)
            notes.append(None)
        else:
            text, note = clean_email(text)
            cleaned.append(text)
            notes.append(note)
    return cleaned, notes if any(notes) else None


def normalise_email(text: str) -> str | None:
    """Lower-cased; ``None`` unless it has one "@", something before it, a dot inside the domain, no
    empty domain label nor one that starts or ends with "-", and no spaces, brackets, commas,
    semicolons, colons, quotes or control characters. Run :func:`clean_email` first to remove
    what pasted addresses carry.

    >>> normalise_email("Jo.Doe@Example.COM"), normalise_email("not-an-email"), normalise_email("a@b@c.com")
    ('jo.doe@example.com', None, None)
    >>> normalise_email("jo@example..com"), normalise_email("jo@example.com."), normalise_email("Jo <jo@x.com>")
    (None, None, None)
    """
    text = text.lower()
    return text if EMAIL.fullmatch(text) else None


__all__ = ["clean_email", "clean_emails", "normalise_email"]
