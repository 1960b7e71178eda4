"""A 钉钉 post's `markdown.title` is user text made inert like its `text`: no link, no
emphasis, no tag, one line — and cut at the length limit without leaving half a tag."""

from zonedesk.notify import services
from zonedesk.notify.channels import DINGTALK_TITLE_MAX, md_title

from .test_webhooks import group, hook

# A link, emphasis and a line break, then a <font> tag that the 60-character limit cuts in two.
HOSTILE = "[点我](http://evil.example) **紧急**\n土地指标逾期，请自然资源所立即处理 <font color=red>再不处理就通报</font>"


def test_the_title_of_a_hostile_subject_is_neutralised_and_cut_whole(world, robot):
    assert HOSTILE.index("<font") < DINGTALK_TITLE_MAX < HOSTILE.index("再不")
    hook(world, robot, kind="dingtalk")
    group(world, title=HOSTILE)
    assert services.sweep() == 1

    title = robot.requests[0].json["markdown"]["title"]

    assert title == (
        "［点我］（http：//evil.example） ＊＊紧急＊＊ 土地指标逾期，请自然资源所立即处理 ＜font col"
    )
    assert len(title) == DINGTALK_TITLE_MAX
    for markup in ("[", "](", "**", "<", "http://", "\n"):
        assert markup not in title


def test_the_title_is_neutralised_exactly_like_the_text(world, robot):
    hook(world, robot, kind="dingtalk")
    group(world, title="`代码` _斜体_ # 标题 > 引用 ![图](x.png) ~~删~~ | \\")
    services.sweep()

    markdown = robot.requests[0].json["markdown"]
    assert markdown["text"].startswith(f"**{markdown['title']}**")


def test_a_short_plain_title_is_unchanged():
    assert md_title("土地指标逾期") == "土地指标逾期"
