from django.contrib.admin.apps import AdminConfig


class HallAdminConfig(AdminConfig):
    """The admin app, with the hall's own site (role-based access, one login page)."""

    default_site = "hall.core.admin_site.HallAdminSite"
