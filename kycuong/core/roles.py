"""Django permissions per role: one group per role, kept in sync after every migrate.

Scoping (which rows) is `queries.visible_to`; these permissions only say which back-office screens a
role may open. Administrators are superusers and need no group.
"""
from django.contrib.auth.models import Group, Permission

from .models import User

VIEW_REFERENCE = [
    "core.view_unit", "core.view_calendaroverride",
    "catalog.view_procedure", "catalog.view_procedureversion", "catalog.view_field", "catalog.view_legalbasis",
    "catalog.view_simplificationrecord", "catalog.view_hourlyrate",
]
ROLE_PERMISSIONS = {
    User.Role.RECEIVING_OFFICER: VIEW_REFERENCE,
    User.Role.SPECIALIST: VIEW_REFERENCE,
    User.Role.CLERK: VIEW_REFERENCE,
    User.Role.UNIT_LEADER: VIEW_REFERENCE + ["core.view_user"],
    User.Role.INSPECTOR: VIEW_REFERENCE + ["core.view_user"],
    User.Role.CITY_LEADERSHIP: VIEW_REFERENCE + ["core.view_user"],
}


def group_name(role) -> str:
    return f"role:{role}"


def sync_role_groups(**_kwargs) -> None:
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def assign_role_group(user: User) -> None:
    user.groups.remove(*user.groups.filter(name__startswith="role:"))
    if user.role in ROLE_PERMISSIONS:
        user.groups.add(Group.objects.get_or_create(name=group_name(user.role))[0])
