from django.utils.translation import gettext_lazy as _

# The public columns of the hall, in the order of the navigation bar:
# (slug, title, what the column offers, URL name of the page that serves it;
# None while the column has no service of its own yet).
COLUMNS = [
    (
        "guide",
        _("办事指南"),
        _("按部门、主题、个人或企业查找事项，阅读完整的办事指南。"),
        "catalogue:browse",
    ),
    ("track", _("办件查询"), _("凭查询号和手机号查询办理状态和审批人员回复。"), "cases:track"),
    ("policies", _("政策法规"), _("最新政策文件和法律法规。"), "policies:list"),
    ("qa", _("网上答疑"), _("向部门提问，查看已公开的答复。"), "qa:list"),
    (
        "announcements",
        _("中心公告"),
        _("行政许可决定和审批结果公示。"),
        "announcements:index",
    ),
    ("agencies", _("中介服务"), _("中介服务机构名录。"), "agencies:list"),
    ("complaints", _("投诉大厅"), _("对部门、事项或工作人员的服务提出投诉。"), "feedback:index"),
    # ratings figures: the public 好差评 page
    ("ratings", _("好差评"), _("各部门、各事项每月的评价情况和差评整改情况。"), "ratings:public"),
]
