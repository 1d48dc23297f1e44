"""What people write in workspaces: a small Markdown subset, rendered once and sanitised."""

import re

import nh3
from markdown_it import MarkdownIt

# CommonMark without raw HTML or images (photos go through the upload pipeline); markdown-it
# already refuses javascript: and data: links, and nh3 cleans the result once more.
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["image"])
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h3",
    "h4",
    "hr",
}
MENTION = re.compile(r"(?<![\w@])@([\w.-]{2,60})")


def render(text: str, members=()) -> str:
    """The text as safe HTML; an @mention of one of `members` stands out."""
    html = _markdown.render(text)
    html = re.sub(r"<h[12]>", "<h3>", html)
    html = re.sub(r"</h[12]>", "</h3>", html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return _mentions_marked(html, members)


def _mentions_marked(html: str, members) -> str:
    """Wraps each @mention of a member in <strong class="mention">, in text only (never inside
    a tag or a link's address). The handle is letters, digits, dots and dashes: safe as it is."""
    known = {m.lower() for m in MENTION.findall(html)}
    if not known or not members:
        return html
    handles = {name for name in known if mentioned(f"@{name}", members)}
    if not handles:
        return html

    def mark(match):
        name = match.group(1)
        if name.lower() not in handles:
            return match.group(0)
        return f'<strong class="mention">@{name}</strong>'

    parts = re.split(r"(<[^>]+>)", html)
    return "".join(part if part.startswith("<") else MENTION.sub(mark, part) for part in parts)


def mentioned(text: str, members) -> list:
    """The members a text mentions: @Aino (a unique first name in the group), or
    @Aino.Virtanen."""
    names = {m.lower() for m in MENTION.findall(text)}
    if not names:
        return []
    first_names: dict[str, list] = {}
    for member in members:
        first_names.setdefault(member.first_name.lower(), []).append(member)
    found = []
    for member in members:
        full = f"{member.first_name}.{member.last_name}".lower().replace(" ", ".")
        first = member.first_name.lower()
        if full in names or (first in names and len(first_names[first]) == 1):
            found.append(member)
    return found
