"""Template checks, rendering and SMS segment counting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.notifications import rendering
from hall.notifications.constants import DEFAULT_TEMPLATES, TEMPLATE_MAX_CHARS
from hall.notifications.rendering import TemplateError, check, render, sms_length


def test_every_built_in_template_is_valid_and_fits_in_two_messages():
    for event, text in DEFAULT_TEMPLATES.items():
        rendered = render(check(str(text)), rendering.sample_values())
        assert "{" not in rendered, event
        assert sms_length(rendered).segments <= 2, (event, rendered)


def test_placeholders_are_replaced():
    text = check(
        "{signature}您申请的“{item}”已受理，查询号{number}，{deadline}前办结，电话{phone}。"
    )
    out = render(
        text,
        {
            "signature": "【衢州】",
            "item": "食品经营许可",
            "number": "AAAA-BBBB-CCCC-DD",
            "deadline": "2026年3月10日",
            "phone": "0570-3058123",
        },
    )
    assert (
        out
        == "【衢州】您申请的“食品经营许可”已受理，查询号AAAA-BBBB-CCCC-DD，2026年3月10日前办结，电话0570-3058123。"
    )


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("您好{applicant}", "{applicant}"),
        ("{item.__class__}", "无法识别"),
        ("{0}{item}", "{0}"),
        ("{item!r}", "无法识别"),
        ("{item:>99999}", "无法识别"),
        ("您好{item", "花括号"),
        ("您好}{item}", "花括号"),
        ("<script>alert(1)</script>{x}", "{x}"),
        ("{../../etc/passwd}", "无法识别"),
        ("x" * (TEMPLATE_MAX_CHARS + 1), "不能超过 500 个字"),
    ],
)
def test_bad_templates_are_refused_with_a_clear_message(text, words):
    with pytest.raises(TemplateError) as err:
        check(text)
    assert words in str(err.value)


def test_a_template_of_exactly_500_characters_is_accepted():
    assert len(check("短" * TEMPLATE_MAX_CHARS)) == TEMPLATE_MAX_CHARS


@pytest.mark.parametrize(
    "length, segments",
    [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4), (500, 8)],
)
def test_segments_70_in_one_then_67_a_part(length, segments):
    assert sms_length("办" * length) == rendering.Length(length, segments)


def test_a_character_outside_the_basic_plane_counts_twice():
    # an emoji is two UCS-2 units on the network
    assert sms_length("办" * 68 + "😀").chars == 70
    assert sms_length("办" * 69 + "😀").segments == 2


@given(st.text(alphabet="办理abc{}", max_size=80))
def test_rendering_a_checked_template_leaves_no_placeholder(text):
    try:
        checked = check(text)
    except TemplateError:
        return
    assert "{" not in render(checked, rendering.sample_values())
