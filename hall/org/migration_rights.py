"""For an app's data migration: give its default rights to the default roles of
an existing hall. New halls get them from DEFAULT_ROLE_PERMISSIONS when the
roles are created; roles made before the app existed would otherwise never hold
them. Only the default roles (by their code) are touched, and only with the
app's own rights."""

from .constants import DEFAULT_ROLE_PERMISSIONS


def grant_default_rights(app_label: str):
    """The RunPython function that grants `app_label`'s default rights."""

    def grant(apps, schema_editor):
        from django.contrib.auth.management import create_permissions

        Role = apps.get_model("org", "Role")
        Permission = apps.get_model("auth", "Permission")
        if not Role.objects.exists():
            return  # a fresh hall: the roles are made later, with these rights
        config = apps.get_app_config(app_label)
        # create_permissions skips an app config without a models module, which
        # a migration state's configs lack; whatever it was is put back, so a
        # call with the project's own registry leaves it as it found it.
        previous = getattr(config, "models_module", None)
        config.models_module = True
        try:
            create_permissions(config, apps=apps, verbosity=0)
        finally:
            config.models_module = previous
        prefix = f"{app_label}."
        for kind, codes in DEFAULT_ROLE_PERMISSIONS.items():
            role = Role.objects.filter(code=str(kind)).first()
            if role is None:
                continue
            names = [c.split(".", 1)[1] for c in codes if c.startswith(prefix)]
            role.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=names)
            )

    return grant
