"""Helpers for data migrations that give role groups their permissions."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions


def grant(apps, app_label: str, grants: dict[str, list[str]]) -> None:
    """Give each role group the listed ``app_label.codename`` permissions.

    Permissions are normally created after all migrations ran; a data migration that
    needs them creates the ones of ``app_label`` first.
    """
    create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in grants.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for name in names:
            label, codename = name.split(".", 1)
            permission = Permission.objects.get(content_type__app_label=label, codename=codename)
            group.permissions.add(permission)
