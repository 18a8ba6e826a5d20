"""Reporters, Editors and Chief Editors may translate a page (simple_translation's
"submit_translation", the page menu's *Translate*); before, only superusers could.

New databases get it from 0002 (roles.MODEL_PERMISSIONS holds it); this grants it on
databases whose roles were created before. Administrators already hold every permission.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from khabar.newsroom import roles

    roles.grant_translation(apps)


def backwards(apps, schema_editor):
    from khabar.newsroom import roles

    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permission = Permission.objects.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name__in=roles.TRANSLATOR_ROLES):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_roles_and_editorial_review"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
