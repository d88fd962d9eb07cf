"""Message text that no script can ride into another user's browser (nh3, pure)."""

import nh3

ALLOWED_TAGS = {"a", "b", "strong", "i", "em", "code", "pre", "br", "p", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_message(text: str) -> str:
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def has_visible_text(html: str) -> bool:
    """False for markup that shows nothing (`<b></b>`, `<br>`): such a message is empty."""
    return bool(nh3.clean(html, tags=set()).strip())
