from django.db import migrations


class Migration(migrations.Migration):
    """Index Wagtail's page url_path: khabar.news.views.serve finds articles by it in one query."""

    dependencies = [
        ("news", "0002_article_lead_credit"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS khabar_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS khabar_page_url_path",
        ),
    ]
