"""Create the newsroom roles (groups) and the "Editorial review" workflow.

Permissions created by other apps (comments.moderate_comment,
reactions.view_reactionreport) are granted by the post_migrate handler in
khabar/newsroom/signal_handlers.py once those apps have created them, so this
migration does not depend on those apps.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from khabar.newsroom import roles

    roles.retire_wagtail_defaults(apps)
    roles.create_roles(apps)
    roles.create_editorial_review(apps)
    HomePage = apps.get_model("news", "HomePage")
    for home in HomePage.objects.all():
        roles.grant_edition_defaults(apps, home)


def backwards(apps, schema_editor):
    from khabar.newsroom import roles

    apps.get_model("wagtailcore", "Workflow").objects.filter(name=roles.WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=roles.TASK_NAME).delete()
    apps.get_model("auth", "Group").objects.filter(name__in=roles.ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_breaking_news_and_scheduler_state"),
        ("news", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
