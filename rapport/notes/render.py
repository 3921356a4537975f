"""Markdown to safe HTML: markdown-it renders, nh3 decides what may reach a browser."""

from __future__ import annotations

from markdown_it import MarkdownIt

from rapport.core import html
from rapport.interactions.transcript import html_to_text

# CommonMark passes raw HTML through; nh3 then drops scripts, event handlers and
# javascript: links, so the sanitiser (not the Markdown options) is the one safety net.
_markdown = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def to_html(markdown: str) -> str:
    return html.clean(_markdown.render(markdown), url_schemes={"http", "https", "mailto", "tel"})


def to_text(body_html: str) -> str:
    """What search indexes: the words a reader sees, not the Markdown punctuation."""
    return html_to_text(body_html)
