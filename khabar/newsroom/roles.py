"""The newsroom's roles as Django groups, and the "Editorial review" workflow.

One source of truth used by the data migration (with historical models), by the
post_migrate handler (permissions other apps create later) and by the handler that
gives a new edition home its default page permissions. Every function takes an
``apps`` registry so the same code runs inside a migration and at run time.

Page permissions (Wagtail's GroupPagePermission) propagate down the tree:
Reporter and Editor get theirs on each edition home by default; an administrator
narrows an editor group to some sections by moving those rows to the section
pages (Settings → Groups → Editor → Page permissions). Chief Editor and
Administrator hold theirs on the tree root, so they cover every edition.
"""

from __future__ import annotations

REPORTER = "Reporter"
EDITOR = "Editor"
CHIEF_EDITOR = "Chief Editor"
MODERATOR = "Moderator"
ADMINISTRATOR = "Administrator"
ROLES = [REPORTER, EDITOR, CHIEF_EDITOR, MODERATOR, ADMINISTRATOR]

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editor approval"
APPROVER_ROLES = [EDITOR, CHIEF_EDITOR]

ADMIN_ACCESS = "wagtailadmin.access_admin"
# The page menu's "Translate" (wagtail.contrib.simple_translation): copy a story into another edition.
TRANSLATE = "simple_translation.submit_translation"
TRANSLATOR_ROLES = [REPORTER, EDITOR, CHIEF_EDITOR]
BANNER = ["newsroom.add_breakingnews", "newsroom.change_breakingnews", "newsroom.delete_breakingnews"]

# Django model permissions (app_label.codename). Created here when missing, so the
# migration works on a fresh database before post_migrate has created them.
MODEL_PERMISSIONS: dict[str, list[str]] = {
    REPORTER: [ADMIN_ACCESS, TRANSLATE],
    EDITOR: [ADMIN_ACCESS, TRANSLATE, *BANNER],
    CHIEF_EDITOR: [
        ADMIN_ACCESS,
        TRANSLATE,
        *BANNER,
        "core.change_newsroomsettings",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.delete_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        "wagtailcore.delete_task",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    ],
    MODERATOR: [ADMIN_ACCESS],
    ADMINISTRATOR: [],  # every permission: see grant_everything_to_administrators
}

# Permissions that other apps create (comments, reactions): granted only once they
# exist, by the post_migrate handler, so this app's migration never depends on them.
OPTIONAL_PERMISSIONS: dict[str, list[str]] = {
    MODERATOR: ["comments.moderate_comment"],
    EDITOR: ["reactions.view_reactionreport", "telegram.view_telegrampost", "newsletters.send_alert"],
    CHIEF_EDITOR: [
        "reactions.view_reactionreport",
        "telegram.view_telegrampost",
        "telegram.view_telegramchannel",
        "telegram.add_telegramchannel",
        "telegram.change_telegramchannel",
        "telegram.delete_telegramchannel",
        "newsletters.send_alert",
        "newsletters.add_newsletter",
        "newsletters.change_newsletter",
        "newsletters.view_subscriber",
        "newsletters.delete_subscriber",
    ],
}

# Wagtail page permissions ("add" = create pages and edit one's own).
EDITION_PAGE_PERMISSIONS: dict[str, list[str]] = {
    REPORTER: ["add"],
    EDITOR: ["add", "change", "publish", "lock", "unlock"],
}
ROOT_PAGE_PERMISSIONS: dict[str, list[str]] = {
    CHIEF_EDITOR: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
    ADMINISTRATOR: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
}

_MEDIA_USE = [
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
]
_MEDIA_MANAGE = _MEDIA_USE + [
    "wagtailimages.change_image",
    "wagtailimages.delete_image",
    "wagtaildocs.change_document",
    "wagtaildocs.delete_document",
]
COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    REPORTER: _MEDIA_USE,
    EDITOR: _MEDIA_MANAGE,
    CHIEF_EDITOR: _MEDIA_MANAGE,
    ADMINISTRATOR: _MEDIA_MANAGE
    + ["wagtailcore.add_collection", "wagtailcore.change_collection", "wagtailcore.delete_collection"],
}

# Wagtail's first migration creates these; their rights (edit the whole tree) are
# wider than any newsroom role, so a fresh install drops them while they are unused.
WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


# Permissions whose model is not the codename's last word: (content type model, name).
_PERMISSION_MODELS = {
    ADMIN_ACCESS: ("admin", "Can access Wagtail admin"),
    TRANSLATE: ("simpletranslation", "Can submit translations"),
}


def _permission(apps, dotted: str, *, create: bool = True):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = dotted.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found or not create:
        return found
    action, model = codename.split("_", 1)
    model, name = _PERMISSION_MODELS.get(dotted, (model, f"Can {action} {model}"))
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.create(content_type=content_type, codename=codename, name=name)


def _page_permission(apps, action: str):
    return _permission(apps, f"wagtailcore.{action}_page")


def _group(apps, name: str):
    return apps.get_model("auth", "Group").objects.get_or_create(name=name)[0]


def create_roles(apps) -> None:
    """Create the groups with their model, root-page and collection permissions."""
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    for role in ROLES:
        group = _group(apps, role)
        group.permissions.add(*[_permission(apps, p) for p in MODEL_PERMISSIONS[role]])
        if root is not None:
            for action in ROOT_PAGE_PERMISSIONS.get(role, []):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=_page_permission(apps, action)
                )
        if root_collection is not None:
            for dotted in COLLECTION_PERMISSIONS.get(role, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(apps, dotted)
                )
    grant_everything_to_administrators(apps)
    grant_optional_permissions(apps)


def grant_edition_defaults(apps, home) -> None:
    """An edition home's default page permissions: Reporters write, Editors edit and publish."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for role, actions in EDITION_PAGE_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:  # an administrator removed the role on purpose
            continue
        for action in actions:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=home.pk, permission=_page_permission(apps, action)
            )


def grant_translation(apps) -> None:
    """Reporters, Editors and Chief Editors may translate (migration 0003, for databases made before)."""
    Group = apps.get_model("auth", "Group")
    permission = _permission(apps, TRANSLATE)
    for group in Group.objects.filter(name__in=TRANSLATOR_ROLES):
        group.permissions.add(permission)


def grant_everything_to_administrators(apps) -> None:
    """Administrators hold every model permission, including ones created after the migration."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        missing = Permission.objects.exclude(group=group)
        if missing.exists():
            group.permissions.add(*missing)


def grant_optional_permissions(apps) -> list[str]:
    """Grant the permissions other apps define, once those apps have created them.

    Returns what is still missing (the app is not installed or not migrated yet)."""
    Group = apps.get_model("auth", "Group")
    missing = []
    for role, dotted_names in OPTIONAL_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        for dotted in dotted_names:
            perm = _permission(apps, dotted, create=False)
            if perm is None:
                missing.append(dotted)
            elif group is not None:
                group.permissions.add(perm)
    return missing


def create_editorial_review(apps) -> None:
    """The "Editorial review" workflow: one Editor-approval task, on the whole news tree.

    It is assigned to the tree root so every edition (existing or added later) and
    every section uses it; a chief editor can assign another workflow to a section.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.set(Group.objects.filter(name__in=APPROVER_ROLES))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def retire_wagtail_defaults(apps) -> None:
    """Drop Wagtail's starter groups (while nobody is in them) and its starter workflow."""
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        WorkflowPage.objects.filter(workflow=workflow).delete()
        workflow.active = False
        workflow.save(update_fields=["active"])
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
