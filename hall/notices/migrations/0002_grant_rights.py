"""Give the default roles of an existing hall their rights of 中心布置工作
(read, send, watch, feed back). New halls get them from
DEFAULT_ROLE_PERMISSIONS when the roles are created."""

from django.db import migrations

from hall.org.migration_rights import grant_default_rights


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("org", "0002_staff_session"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_default_rights("notices"), migrations.RunPython.noop)]
