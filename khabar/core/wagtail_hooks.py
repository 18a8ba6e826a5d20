from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def content_direction_js() -> str:
    return format_html('<script src="{}"></script>', static("core/admin-direction.js"))


@hooks.register("insert_global_admin_css")
def newsroom_admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin.css"))
