"""Give the agency directory's rights to the center admins of an existing hall.

New halls get them from DEFAULT_ROLE_PERMISSIONS when the roles are created;
roles made before this app existed would otherwise never keep the directory.
Only the default roles (by their code) are touched, and only with this app's rights.
"""

from django.db import migrations

from hall.org.constants import DEFAULT_ROLE_PERMISSIONS


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Role = apps.get_model("org", "Role")
    Permission = apps.get_model("auth", "Permission")
    if not Role.objects.exists():
        return  # a fresh hall: the roles are made later, with these rights
    config = apps.get_app_config("agencies")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    for kind, codes in DEFAULT_ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=str(kind)).first()
        if role is None:
            continue
        names = [c.split(".", 1)[1] for c in codes if c.startswith("agencies.")]
        role.permissions.add(
            *Permission.objects.filter(content_type__app_label="agencies", codename__in=names)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("org", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
