"""ZoneDesk's own password rules, beside Django's validators in AUTH_PASSWORD_VALIDATORS.

Django's validators catch short, all-digit, English-common passwords and those like the
user's attributes; these rules add what they let through: one character class, a few
characters repeated, the user name inside, and the pinyin words Chinese users pick.
"""

import re

from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Letters left once digits and symbols are taken away: "Woaini@1314" → "woaini". These are
# the words of leaked Chinese password lists, the commonest full names, keyboard walks and
# the words an office would try first; cheap to list, and each is guessed at once.
COMMON_WORDS = frozenset(
    """
    woaini woaiwojia wodemima mima nihao zhongguo china aini laopo laogong baobao beibei
    xiaobao qinqin tiantian yangyang xiaoxiao dearbook xiazhili woshishui
    wangwei zhangwei wangfang liwei lina zhangmin lijing wangjing liuwei wangxiuying
    zhangli lijun wanglei liuyang zhangjing wangli wangyan zhangyong liuqiang
    kaifaqu zhengfu bangongshi gongzuo danwei xiangmu zhaoshang
    password passwd pass admin administrator root user test guest welcome iloveyou
    qwerty qwertyu qwertyui qwertyuiop asdf asdfgh asdfghjkl zxcv zxcvbnm qaz qazwsx
    qazwsxedc qweasd qweasdzxc abc abcd abcde abcdef abcdefg abcdefgh
    """.split()
)
CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")
MIN_DISTINCT = 5


class ZoneDeskPasswordValidator:
    def validate(self, password, user=None):
        errors = []
        if sum(bool(re.search(c, password)) for c in CLASSES) < 2:
            errors.append(_("密码须包含小写字母、大写字母、数字、符号中的至少两类。"))
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            errors.append(_("密码不能包含用户名。"))
        letters = re.sub(r"[^a-z]", "", password.lower())
        if len(set(password)) < MIN_DISTINCT:
            errors.append(
                _("密码中不同的字符太少，至少需要 %(n)d 个不同的字符。") % {"n": MIN_DISTINCT}
            )
        # "aaaaaaaaaaa1" also reads as a repeated letter: one message is enough.
        elif letters in COMMON_WORDS or (letters and len(set(letters)) == 1):
            errors.append(_("密码是常见的拼音、姓名或键盘序列加数字，很容易被猜中。"))
        if errors:
            raise ValidationError(errors, code="password_weak")

    def get_help_text(self):
        return _(
            "密码须包含小写字母、大写字母、数字、符号中的至少两类，不能包含用户名，"
            "也不能是常见的拼音、姓名或键盘序列加数字。"
        )


def rules_text():
    """Every validator's rule in one line, for a form field's help text."""
    return " ".join(password_validators_help_texts())
