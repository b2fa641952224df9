"""Give the rights of the usage sheets (usage.view_usage, usage.compare_usage)
to the default roles of an existing hall.

New halls get them from DEFAULT_ROLE_PERMISSIONS when the roles are created.
Only the default roles (by their code) are touched, and only with the rights
of this app."""

from django.db import migrations

from hall.org.migration_rights import grant_default_rights


class Migration(migrations.Migration):
    dependencies = [
        ("usage", "0001_initial"),
        ("org", "0002_staff_session"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_default_rights("usage"), migrations.RunPython.noop)]
