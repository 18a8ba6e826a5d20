"""The newsroom roles, tested as a permission matrix: each role × each action."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from wagtail.models import GroupPagePermission, Page, WorkflowPage

from khabar import testing
from khabar.newsroom import roles
from khabar.newsroom.testing import draft, person

R, E, C, M, A = roles.REPORTER, roles.EDITOR, roles.CHIEF_EDITOR, roles.MODERATOR, roles.ADMINISTRATOR

# action -> roles allowed to do it. Anything not listed is refused.
MATRIX: dict[str, set[str]] = {
    "create draft": {R, E, C, A},
    "edit own": {R, E, C, A},
    "edit others'": {E, C, A},
    "submit": {R, E, C, A},
    "approve": {E, C},
    "publish": {E, C, A},
    "schedule": {E, C, A},
    "unpublish": {E, C, A},
    "delete": {E, C, A},
    "translate": {R, E, C, A},
    "edit settings": {C, A},
    "moderate comments": {M, A},
    "manage users": {A},
}


def _ensure_comment_permission() -> None:
    """The comments app's migration creates it; the matrix covers its row."""
    Permission.objects.get(content_type__app_label="comments", codename="moderate_comment")


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.people = {role: person(role) for role in roles.ROLES}
        cls.someone = testing.user("another_reporter", groups=[R])
        cls.others_live = testing.article(cls.section, "Someone else's live story", owner=cls.someone)
        cls.own = {role: draft(cls.section, f"Draft by {role}", cls.people[role]) for role in roles.ROLES}
        _ensure_comment_permission()
        roles.grant_optional_permissions(__import__("django.apps", fromlist=["apps"]).apps)
        roles.grant_everything_to_administrators(__import__("django.apps", fromlist=["apps"]).apps)

    def can(self, role: str, action: str) -> bool:
        user = type(self.people[role]).objects.get(pk=self.people[role].pk)  # fresh permission caches
        own = self.own[role]
        others = Page.objects.get(pk=self.others_live.pk).specific
        if action == "create draft":
            return self.section.permissions_for_user(user).can_add_subpage()
        if action == "edit own":
            return own.permissions_for_user(user).can_edit()
        if action == "edit others'":
            return others.permissions_for_user(user).can_edit()
        if action == "submit":
            tester = own.permissions_for_user(user)
            return tester.can_edit() and tester.can_submit_for_moderation()
        if action == "approve":
            state = others.get_workflow().start(others, self.someone)
            actions = state.current_task_state.task.specific.get_actions(others, user)
            state.cancel(user=self.someone)
            return any(name == "approve" for name, *_ in actions)
        if action in {"publish", "schedule"}:
            return others.permissions_for_user(user).can_publish()
        if action == "unpublish":
            return others.permissions_for_user(user).can_unpublish()
        if action == "delete":
            return others.permissions_for_user(user).can_delete()
        if action == "translate":
            return user.has_perm(roles.TRANSLATE)
        if action == "edit settings":
            return user.has_perm("core.change_newsroomsettings")
        if action == "moderate comments":
            return user.has_perm("comments.moderate_comment")
        if action == "manage users":
            return user.has_perm("auth.change_user") and user.has_perm("auth.change_group")
        raise AssertionError(action)

    def test_each_role_can_do_exactly_what_the_matrix_allows(self):
        for action, allowed in MATRIX.items():
            for role in roles.ROLES:
                with self.subTest(role=role, action=action):
                    self.assertEqual(self.can(role, action), role in allowed)

    def test_every_role_reaches_the_admin_and_none_is_superuser(self):
        for role, user in self.people.items():
            with self.subTest(role=role):
                self.assertTrue(user.has_perm("wagtailadmin.access_admin"))
                self.assertFalse(user.is_superuser)

    def test_the_moderator_holds_no_page_or_media_rights(self):
        group = Group.objects.get(name=M)
        self.assertFalse(GroupPagePermission.objects.filter(group=group).exists())
        self.assertEqual(
            sorted(group.permissions.values_list("codename", flat=True)), ["access_admin", "moderate_comment"]
        )


class EditionAndSectionScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.iraq = testing.section("Iraq News", slug="iraq")
        cls.business = testing.section("Business", slug="business")
        cls.arabic_section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        cls.editor = person(E)
        cls.story = testing.article(cls.business, "Oil exports rise")

    def test_every_edition_home_gets_the_default_reporter_and_editor_rights(self):
        for language in ("en", "ar"):
            home = testing.home(language)
            with self.subTest(language=language):
                codes = set(
                    GroupPagePermission.objects.filter(page=home, group__name=E).values_list(
                        "permission__codename", flat=True
                    )
                )
                self.assertEqual(codes, {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"})
                self.assertTrue(GroupPagePermission.objects.filter(page=home, group__name=R).exists())
                self.assertTrue(self.arabic_section.permissions_for_user(self.editor).can_publish())

    def test_an_editor_narrowed_to_one_section_cannot_publish_in_another(self):
        # What an administrator does in Settings → Groups: move the rows from the home to a section.
        GroupPagePermission.objects.filter(group__name=E, page=testing.home("en")).update(page=self.iraq)
        editor = type(self.editor).objects.get(pk=self.editor.pk)
        self.assertTrue(self.iraq.permissions_for_user(editor).can_publish())
        self.assertFalse(self.story.permissions_for_user(editor).can_publish())
        self.assertFalse(self.story.permissions_for_user(editor).can_edit())


class MigrationTests(TestCase):
    def test_roles_made_before_translation_was_granted_get_it_from_migration_0003(self):
        from importlib import import_module

        from django.apps import apps

        for role in roles.TRANSLATOR_ROLES:
            Group.objects.get(name=role).permissions.remove(
                Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation")
            )
        import_module("khabar.newsroom.migrations.0003_reporters_and_editors_translate").forwards(apps, None)
        for role in roles.TRANSLATOR_ROLES:
            with self.subTest(role=role):
                self.assertTrue(person(role).has_perm(roles.TRANSLATE))
        self.assertFalse(person(M).has_perm(roles.TRANSLATE))

    def test_the_editorial_review_workflow_covers_the_whole_tree_with_editor_approval(self):
        root = Page.get_first_root_node()
        workflow = WorkflowPage.objects.get(page=root).workflow
        self.assertEqual(workflow.name, roles.WORKFLOW_NAME)
        self.assertTrue(workflow.active)
        task = workflow.tasks.get().specific
        self.assertEqual(sorted(task.groups.values_list("name", flat=True)), sorted([C, E]))

    def test_wagtail_starter_groups_with_tree_wide_rights_are_gone(self):
        self.assertFalse(Group.objects.filter(name__in=roles.WAGTAIL_DEFAULT_GROUPS).exists())

    def test_permissions_of_other_apps_are_granted_again_by_post_migrate(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        moderate = Permission.objects.get(content_type__app_label="comments", codename="moderate_comment")
        report = Permission.objects.get(content_type__app_label="reactions", codename="view_reactionreport")
        Group.objects.get(name=M).permissions.remove(moderate)
        for role in (E, C):
            Group.objects.get(name=role).permissions.remove(report)
        post_migrate.send(sender=apps.get_app_config("newsroom"), app_config=apps.get_app_config("newsroom"))
        self.assertTrue(Group.objects.get(name=M).permissions.filter(codename="moderate_comment").exists())
        for role in (E, C):
            self.assertTrue(Group.objects.get(name=role).permissions.filter(codename="view_reactionreport").exists())
        self.assertFalse(Group.objects.get(name=R).permissions.filter(codename="view_reactionreport").exists())
        self.assertTrue(Group.objects.get(name=A).permissions.filter(codename="view_reactionreport").exists())

    def test_the_grant_reports_nothing_missing_once_every_app_is_installed(self):
        from django.apps import apps

        self.assertEqual(list(roles.grant_optional_permissions(apps)), [])


class UserFormTests(TestCase):
    def test_the_superuser_flag_is_not_called_administrator_beside_the_administrator_role(self):
        from bs4 import BeautifulSoup
        from django.urls import reverse

        self.client.force_login(testing.user("root", superuser=True))
        for url in (
            reverse("wagtailusers_users:add"),
            reverse("wagtailusers_users:edit", args=[person(roles.EDITOR).pk]),
        ):
            html = BeautifulSoup(self.client.get(url).content, "html.parser")
            label = html.find("label", attrs={"for": "id_is_superuser"}).get_text(" ", strip=True)
            self.assertTrue(label.startswith("Superuser"), label)
            groups = [lab.get_text(strip=True) for lab in html.select("label[for^=id_groups_]")]
            self.assertIn(roles.ADMINISTRATOR, groups)
            self.assertNotIn("Administrator", label)
