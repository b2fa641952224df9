from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .constants import FEED_SIZE


class LatestPolicies(Feed):
    """The newest published documents, as Atom."""

    feed_type = Atom1Feed
    title = _("政策法规 · 最新政策文件")
    subtitle = _("行政服务中心各部门发布的最新政策文件。")

    def link(self):
        return reverse("policies:list")

    def items(self):
        return (
            selectors.published_policies()
            .select_related(None)
            .only("title", "doc_number", "issuer", "issued_on", "published_at", "body", "kind")
            .order_by("-issued_on", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.title}（{item.doc_number}）" if item.doc_number else item.title

    def item_description(self, item):
        return item.body[:200]

    def item_link(self, item):
        return reverse("policies:detail", args=[item.pk])

    def item_author_name(self, item):
        return item.issuer

    def item_pubdate(self, item):
        return item.published_at or timezone.make_aware(datetime.combine(item.issued_on, time()))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
