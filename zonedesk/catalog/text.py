"""Text as it may be stored, one definition for the API schemas, the forms, the import cells
and the services (through audit.check_fields).

Refused: NUL and the other control characters but tab and line breaks (PostgreSQL cannot
store NUL, and none of them shows), bidi overrides and isolates (U+202A–U+202E,
U+2066–U+2069: a name that reads differently from what it is), and lone surrogates (half of
a character, which no database can encode). Every text has a maximum length: its column's,
or `MAX` for free text.
"""

import re
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.core.validators import ProhibitNullCharactersValidator as NullValidator
from django.db import models
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX = 10_000  # characters of a free-text field (建设内容, 会议纪要 …)

# C0 and C1 controls but tab, LF and CR; bidi embeddings, overrides and isolates; surrogates.
_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean(value: str) -> str:
    """`value` unchanged, or ValidationError naming the first refused character."""
    found = _REFUSED.search(value)
    if found:
        raise ValidationError(
            _("不能包含控制字符或文字方向控制符：第%(i)d个字符是U+%(code)04X")
            % {"i": found.start() + 1, "code": ord(found[0])}
        )
    return value


def too_long(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return _("不能超过%(n)d个字符，当前%(len)d个") % {"n": limit, "len": len(value)}
    return None


def limit_of(field) -> int | None:
    """A model field's maximum: its column's, or MAX for a TextField."""
    return field.max_length or (MAX if isinstance(field, models.TextField) else None)


def line(max_length: int = MAX):
    """The API schema's type for a text of at most `max_length` characters."""

    def parse(value):
        if isinstance(value, str):
            message = too_long(value, max_length)
            if message:
                raise PydanticCustomError("text_too_long", "{message}", {"message": message})
            try:
                clean(value)
            except ValidationError as e:
                raise PydanticCustomError(
                    "text_refused", "{message}", {"message": e.messages[0]}
                ) from None
        return value

    return Annotated[str, BeforeValidator(parse), Field(max_length=max_length)]


def column(model, name):
    """The API schema's type for text stored in `model.name`: its column's maximum."""
    return line(limit_of(model._meta.get_field(name)))


class CleanTextForm(forms.Form):
    """Every text field of the form refuses what `clean` refuses and has a maximum length
    (passwords excepted: the password validators judge them, and they are never shown)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                # `clean` refuses NUL too, with the message that names the character.
                kept = [v for v in field.validators if not isinstance(v, NullValidator)]
                field.validators = [*kept, clean]
                if field.max_length is None:
                    field.max_length = MAX
                    field.validators.append(MaxLengthValidator(MAX))
