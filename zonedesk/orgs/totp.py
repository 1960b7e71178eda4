"""Time-based one-time codes (RFC 6238) for the second login step: secrets, their
encryption at rest, the QR code an authenticator app scans, and matching a typed code."""

import base64
import logging
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import mark_safe

log = logging.getLogger(__name__)
ISSUER = "ZoneDesk"


def _fernet():
    # One key per secret key in use, so rotating SECRET_KEY (old one kept in
    # SECRET_KEY_FALLBACKS) does not switch off everyone's authenticator.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_key(k))) for k in keys])


def _key(secret_key):
    return salted_hmac("zonedesk.orgs.totp", "", secret_key, algorithm="sha256").digest()


def new_secret():
    return pyotp.random_base32()


def encrypt(secret):
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(stored):
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        log.error("A TOTP secret cannot be decrypted: was SECRET_KEY changed without a fallback?")
        return None


def grouped(secret):
    """The secret as an app asks for it typed in: groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(user, secret):
    """The otpauth:// address as an inline SVG QR code, drawn here: no CDN, no image file."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, light="#fff", omitsize=True, title=ISSUER)
    # Safe as it stands: segno draws the address as paths, never as text.
    return mark_safe(svg)


def matching_step(secret, code):
    """The 30-second step whose code this is, one step either side of now (a phone's clock
    drifts, a person types slowly), or None."""
    code = "".join((code or "").split())
    if secret is None or len(code) != 6 or not code.isdigit():
        return None
    otp = pyotp.TOTP(secret)
    now = otp.timecode(time.time())
    for step in (now - 1, now, now + 1):
        if constant_time_compare(otp.generate_otp(step), code):
            return step
    return None
