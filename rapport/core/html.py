"""Sanitised HTML for what users and integrations write (notes, HTML email): nh3 decides
what reaches a browser, and images load only from this site.

An <img> pointing at another host is a tracking pixel: it tells that host who read the note
or email, when, and from where, in every agent's browser. So an image keeps its `src` only
when it is a relative URL of this site; other images lose their source and show nothing
(the Content-Security-Policy's img-src 'self' data: refuses them too).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3

LINK_REL = "noopener noreferrer nofollow"


def is_same_origin(url: str) -> bool:
    """A relative URL of this site: no scheme, no host (and not protocol-relative)."""
    value = url.strip()
    if not value or value.startswith(("//", "\\")) or "\\" in value:
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def _same_origin_images(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not is_same_origin(value):
        return None
    return value


def clean(markup: str, **options) -> str:
    """nh3.clean with links marked rel=noopener and images kept only from this site."""
    options.setdefault("link_rel", LINK_REL)
    return nh3.clean(markup, attribute_filter=_same_origin_images, **options)
