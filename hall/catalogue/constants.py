from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.core import textsearch


class ItemType(models.TextChoices):
    LICENSE = "xk", _("行政许可")
    BENEFIT = "jf", _("行政给付")
    CONFIRMATION = "qr", _("行政确认")
    ADJUDICATION = "cj", _("行政裁决")
    AWARD = "jl", _("行政奖励")
    OTHER = "qt", _("其他行政权力")
    PUBLIC_SERVICE = "gg", _("公共服务")


# The code segment of each type in an item code (330800-SCJG-XK-0001).
ITEM_TYPE_CODES = {
    ItemType.LICENSE: "XK",
    ItemType.BENEFIT: "JF",
    ItemType.CONFIRMATION: "QR",
    ItemType.ADJUDICATION: "CJ",
    ItemType.AWARD: "JL",
    ItemType.OTHER: "QT",
    ItemType.PUBLIC_SERVICE: "GG",
}


# The guide of an item (办事指南) field by field, in the order people read it.
# The one list: the back-office form shows these fields, a version stores them
# and a diff lists them (services.ITEM_FIELDS), and the spreadsheet carries them
# (excel.columns.ITEM_COLUMNS, which says which it leaves out). The code and the
# themes are kept apart: the code names the item, the themes are a relation.
GUIDE_FIELDS = (
    "name",
    "aliases",
    "department",
    "item_type",
    "applicant_type",
    "online_depth",
    "legal_basis_text",
    "conditions",
    "procedure",
    "statutory_days",
    "promised_days",
    "is_free",
    "fee_standard",
    "fee_basis",
    "result_name",
    "result_sample",
    "onsite_visits",
    "window",
    "place",
    "hours",
    "contact_phone",
    "complaint_phone",
    "is_published",
    "publish_decisions",
    "result_fields",
)


class ApplicantType(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("企业")
    BOTH = "both", _("个人和企业")


class OnlineDepth(models.IntegerChoices):
    GUIDE = 1, _("一级：网上公开办事指南")
    FORMS = 2, _("二级：网上下载申请表格")
    PREREVIEW = 3, _("三级：网上提交并预审")
    FULL = 4, _("四级：全程网上办理")


# Online application is open from this depth on (SPEC ).
ONLINE_APPLY_MIN_DEPTH = OnlineDepth.PREREVIEW


class Submission(models.TextChoices):
    ONLINE = "online", _("在线提交")
    ONSITE = "onsite", _("现场提交")


class OriginalOrCopy(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件和复印件")


class RegulationLevel(models.TextChoices):
    """Ordered from the highest authority down; `LEVEL_RANK` sorts legal bases."""

    LAW = "law", _("法律")
    ADMIN_REGULATION = "admin_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    DEPT_RULE = "dept_rule", _("部门规章")
    NORMATIVE = "normative", _("规范性文件")


LEVEL_RANK = {level: i for i, level in enumerate(RegulationLevel.values)}


class ThemeAudience(models.TextChoices):
    PERSON = "person", _("个人办事")
    COMPANY = "company", _("企业办事")


class FilingStatus(models.TextChoices):
    PENDING = "pending", _("待审阅")
    REVIEWED = "reviewed", _("已审阅")
    RETURNED = "returned", _("已退回")


class FilingAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    RESTORE = "restore", _("恢复历史版本")


# Search: queries are cut to this many characters, never rejected.
SEARCH_MAX_QUERY = textsearch.MAX_QUERY
SEARCH_PAGE_SIZE = 20

# Files a department may publish as templates, examples and result samples.
TEMPLATE_MAX_BYTES = 10 * 1024 * 1024


class FieldKind(models.TextChoices):
    """Kinds of the fields of an item's application form (configured per item)."""

    TEXT = "text", _("单行文本")
    TEXTAREA = "textarea", _("多行文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("选项")
    ID_NUMBER = "id_number", _("身份证号码")
    PHONE = "phone", _("手机号码")
    BOOLEAN = "boolean", _("是/否")


class ResultField(models.TextChoices):
    """What a published approval result (双公示) of an item may show: a fixed set.
    ID numbers and phones are not in it: they are never published."""

    APPLICANT = "applicant", _("企业名称/申请人")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    LICENCE_NUMBER = "licence_number", _("许可证号")
    CONTENT = "content", _("许可内容")
    DECISION_DATE = "decision_date", _("决定日期")
    VALIDITY = "validity", _("有效期")
    ADDRESS = "address", _("地址")
    AUTHORITY = "authority", _("许可机关")


# What a newly flagged item shows unless the department chooses otherwise.
DEFAULT_RESULT_FIELDS = [
    ResultField.APPLICANT,
    ResultField.CREDIT_CODE,
    ResultField.LICENCE_NUMBER,
    ResultField.CONTENT,
    ResultField.DECISION_DATE,
    ResultField.VALIDITY,
]
