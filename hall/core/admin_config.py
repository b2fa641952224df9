from django.apps import apps
from django.contrib.admin.apps import AdminConfig


class HallAdminConfig(AdminConfig):
    """The admin app, with the hall's own site (role-based access, one login page)."""

    default_site = "hall.core.admin_site.HallAdminSite"

    def ready(self):
        from .admin_site import HallAdminSite

        # Section names and breadcrumbs of the back office for packages whose
        # app has no name of its own (an app's name is not in its migrations).
        for label, name in HallAdminSite.APP_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
        super().ready()
