"""Give the agency directory's rights to the center admins of an existing hall.

New halls get them from DEFAULT_ROLE_PERMISSIONS when the roles are created;
roles made before this app existed would otherwise never keep the directory.
Only the default roles (by their code) are touched, and only with this app's rights.
"""

from django.db import migrations

from hall.org.migration_rights import grant_default_rights


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("org", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_default_rights("agencies"), migrations.RunPython.noop)]
