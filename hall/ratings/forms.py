"""The rating form, the same for every channel (status page, SMS link, QR)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .constants import COMMENT_MAX, TAGS, Level
from .errors import RatingInvalid


def tag_groups() -> list[dict]:
    """The tags grouped by level, levels with the same tags in one group:
    [{"key", "levels": [5, 4], "label", "tags": [(code, label)]}]. Without
    JavaScript every group shows; the script shows the chosen level's."""
    groups: list[dict] = []
    for level in Level.values:
        tags = TAGS[level]
        for group in groups:
            if group["tags"] is tags:
                group["levels"].append(level)
                break
        else:
            groups.append({"levels": [level], "tags": tags})
    for group in groups:
        group["key"] = "-".join(str(n) for n in group["levels"])
        group["label"] = "、".join(str(Level(n).label) for n in group["levels"])
        group["levels_attr"] = " ".join(str(n) for n in group["levels"])
    return groups


_ALL_TAGS = list(dict.fromkeys(code for tags in TAGS.values() for code, _label in tags))


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("评价等级"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。"),
            "invalid_choice": _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。"),
        },
    )
    tags = forms.MultipleChoiceField(
        label=_("评价标签"),
        required=False,
        choices=[(code, code) for code in _ALL_TAGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选评价标签不属于该评价等级，请重新选择。")},
    )
    comment = forms.CharField(
        label=_("评价内容（可选）"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Control characters (NUL included) are dropped by the service, not refused.
        self.fields["comment"].validators = []
        self.fields["comment"].help_text = gettext(
            "不满意时请选择或写明原因，部门将回访并整改。最多 %(n)d 字。"
        ) % {"n": COMMENT_MAX}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            level, tags, comment = services.clean_rating(
                data.get("level"), data.get("tags") or [], data.get("comment", "")
            )
        except RatingInvalid as exc:
            self.add_error(exc.field or None, str(exc))
            return data
        data.update(level=level, tags=tags, comment=comment)
        return data

    def chosen_tags(self) -> set[str]:
        return set(self.data.getlist("tags")) if self.is_bound else set()
