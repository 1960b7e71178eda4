"""The outgoing channels: e-mail through Django's mail, webhooks as HTTP POSTs of the
企业微信 and 钉钉 group-robot JSON formats.

Message text is user-entered. E-mail is plain text (no HTML to inject) with a single-line
subject. Robot markdown is neutralised by `md_text`: the characters that start markdown
syntax (links, images, emphasis, headings, quotes, code, HTML tags) are replaced by their
full-width look-alikes, and "://" in the text is broken so the robot renders no link the
sender did not write; the only link in a post is the one to the page, built here. A 钉钉
post's title is neutralised alike (`md_title`).
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

TIMEOUT = getattr(settings, "NOTIFY_WEBHOOK_TIMEOUT", 5)
DINGTALK_TITLE_MAX = 60

_MD = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "<": "＜",
        ">": "＞",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "#": "＃",
        "!": "！",
        "~": "～",
        "|": "｜",
        "\\": "＼",
        "\r": "",
    }
)


class DeliveryError(Exception):
    pass


def md_text(text):
    """User text made inert inside robot markdown (see the module's docstring)."""
    return str(text or "").translate(_MD).replace("://", "：//")


def md_title(text):
    """A 钉钉 post's title (what its notification shows) neutralised as `md_text`, on one
    line, cut to DINGTALK_TITLE_MAX. `md_text` puts one character for each it replaces, so
    the cut can split no escape, and no tag is left to split."""
    return " ".join(md_text(text).split())[:DINGTALK_TITLE_MAX]


def site_url(path):
    if not path or path.startswith(("http://", "https://")):
        return path
    return getattr(settings, "NOTIFY_SITE_URL", "").rstrip("/") + path


def email_text(d):
    parts = [d.body.strip()] if d.body.strip() else []
    if d.url:
        parts.append(site_url(d.url))
    return "\n\n".join(parts) or d.title


def send_email(d):
    sent = send_mail(
        subject=d.title,
        message=email_text(d),
        from_email=None,
        recipient_list=[d.user.email],
        fail_silently=False,
    )
    if sent != 1:
        raise DeliveryError("mail backend sent nothing")


def markdown(d):
    lines = [f"**{md_text(d.title)}**"]
    if d.body.strip():
        lines.append(md_text(d.body.strip()))
    if d.url:
        link = site_url(d.url)
        if link.startswith(("http://", "https://")):
            lines.append(f"[查看详情]({link.replace(')', '%29').replace(' ', '%20')})")
    return "\n\n".join(lines)


def payload(d):
    text = markdown(d)
    if d.webhook.kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": md_title(d.title), "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def dingtalk_sign(url, secret, timestamp_ms=None):
    """钉钉 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    ts = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def post_webhook(d):
    hook = d.webhook
    url = hook.url
    if hook.kind == "dingtalk" and hook.secret:
        url = dingtalk_sign(url, hook.secret)
    data = json.dumps(payload(d), ensure_ascii=False).encode()
    req = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # admin-set URL
        raw = resp.read(65536)
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else failed.
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as e:
        raise DeliveryError(f"not JSON: {raw[:200]!r}") from e
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:500])
