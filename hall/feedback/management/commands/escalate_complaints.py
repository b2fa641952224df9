from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hall.feedback.services import complaints_escalate


class Command(BaseCommand):
    help = (
        "Record the escalation (督办) of every complaint not answered in time. "
        "Idempotent: run it daily; a second run records nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to judge by, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from None
        count = complaints_escalate(today=today)
        self.stdout.write(_("已报上级督办 %(n)d 件超期投诉。") % {"n": count})
