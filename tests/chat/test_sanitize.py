"""No script reaches another user's browser: XSS payloads (OWASP XSS Filter Evasion Cheat Sheet and friends)."""

import re
from html.parser import HTMLParser

import pytest

from chat.models import Message
from chat.sanitize import clean_message
from notifications.models import Notification
from tests.chat.helpers import send

# From the OWASP XSS Filter Evasion Cheat Sheet
# (https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html)
# and the PortSwigger XSS cheat sheet: scripts, event handlers, script URLs in every disguise.
XSS_PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    (
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&'
        '#x58&#x53&#x53&#x27&#x29">x</a>'
    ),
    "<a href=\"jav&#x09;ascript:alert('XSS');\">tab</a>",
    "<a href=\" &#14;  javascript:alert('XSS');\">x</a>",
    '<a href="https://example.com" onclick="alert(1)">site</a>',
    '<a href="https://example.com" onmouseover=alert(1)>hover</a>',
    "<b onmouseover=alert(1)>bold</b>",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    "<iframe src=https://evil.example/></iframe>",
    "<BODY ONLOAD=alert('XSS')>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<p style=\"width: expression(alert('XSS'));\">x</p>",
    "<STYLE>@import'https://xss.rocks/xss.css';</STYLE>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    (
        '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4b'
        "Wxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5"
        "rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cG"
        'U9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScrip'
        'tAccess="always"></EMBED>'
    ),
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<details open ontoggle=alert(1)>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<video><source onerror="alert(1)">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    '<a href="java\0script:alert(1)">nul</a>',
    '"><script>alert(document.cookie)</script>',
]

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "object", "embed", "style", "link", "meta", "base", "form", "input", "button",
    "img", "svg", "math", "body", "details", "video", "audio", "source", "table", "div",
}  # fmt: skip
SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|livescript):", re.IGNORECASE)


class TagCollector(HTMLParser):
    """What a browser would build from the HTML: every tag and its attributes (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered, html
    assert "javascript:" not in lowered, html
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered), html
    for tag, attrs in tags_of(html):
        assert tag not in DANGEROUS_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in ("href", "src", "action", "formaction", "background"):
                assert not SCRIPT_SCHEMES.match(value or ""), html


def test_the_list_is_long_enough():
    assert len(set(XSS_PAYLOADS)) >= 20


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_clean_message_removes_every_script(payload):
    assert_harmless(clean_message(payload))


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rest_post_stores_and_sends_only_harmless_content(recruiter_client, seeker, conversation, payload):
    response = send(recruiter_client, conversation, f"see: {payload}")

    if "\0" in payload:
        # A NUL never reaches the database: the API refuses it (the socket path strips it in clean_message).
        assert response.status_code == 400
        assert not Message.objects.exists()
        return
    assert response.status_code == 201, response.content
    assert_harmless(response.data["content"])
    stored = Message.objects.get()
    assert stored.content == response.data["content"]
    assert_harmless(stored.content)
    # What the other participant's socket is sent (and replayed) is the stored content too.
    event = Notification.objects.get(recipient=seeker, event_type="new_message")
    assert_harmless(event.data["message"]["content"])
    notice = Notification.objects.get(recipient=seeker, notification_type="message")
    assert_harmless(notice.message)


@pytest.mark.parametrize(
    "link",
    [
        '<a href="https://example.com/jobs/42">the job</a>',
        '<a href="http://example.com/">site</a>',
        '<a href="https://example.com" target="_blank" rel="opener">site</a>',
    ],
)
def test_http_links_are_kept_and_cannot_reach_back_to_the_page(link):
    cleaned = clean_message(link)

    [(tag, attrs)] = tags_of(cleaned)
    assert tag == "a"
    assert attrs["href"].startswith(("http://", "https://"))
    assert set(attrs["rel"].split()) == {"noopener", "noreferrer", "nofollow"}
    assert "target" not in attrs


def test_a_link_with_a_query_string_keeps_its_address():
    cleaned = clean_message('<a href="https://example.com/x?a=1&b=2">job</a>')

    [(_, attrs)] = tags_of(cleaned)
    assert attrs["href"] == "https://example.com/x?a=1&b=2"


def test_simple_formatting_is_kept():
    assert clean_message("<b>bold</b> <em>soft</em> <code>x = 1</code>") == (
        "<b>bold</b> <em>soft</em> <code>x = 1</code>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
        ("Tom & Jerry <3", "Tom &amp; Jerry &lt;3"),
        ("x<5 and y>2", "x&lt;5 and y&gt;2"),
    ],
)
def test_plain_text_with_lt_and_amp_survives_as_escaped_text(text, expected):
    assert clean_message(text) == expected


@pytest.mark.django_db
def test_plain_text_survives_a_rest_round_trip(recruiter_client, seeker_client, conversation):
    response = send(recruiter_client, conversation, "Salary: 50k < x & bonus > 10%")

    assert response.status_code == 201
    shown = seeker_client.get(f"/api/chat/conversations/{conversation.pk}/messages/").data["results"][0]
    assert shown["content"] == "Salary: 50k &lt; x &amp; bonus &gt; 10%"
