"""Contacts shown to those who may not read them: enough to recognise, not to call."""


def mask_name(name):
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_phone(phone):
    digits = phone.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else ("*" * len(digits))


def mask_email(email):
    local, at, domain = email.partition("@")
    return (local[:1] + "***" + at + domain) if at else ("*" * len(email))
