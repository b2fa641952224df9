from django.core.management.base import BaseCommand

from hall.notices.services import tasks_remind


class Command(BaseCommand):
    help = (
        "Remind the units whose task is due within 2 working days and not fed back "
        "(once per unit and task: running it again reminds no one twice)."
    )

    def handle(self, *args, **options):
        count = tasks_remind()
        self.stdout.write(f"reminded {count} unit(s)")
