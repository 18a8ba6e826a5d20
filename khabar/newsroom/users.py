"""Settings → Users as a newsroom reads it.

Wagtail labels the superuser flag "Administrator", the same word as the newsroom's Administrator
role (a group); the user form would show two "Administrator" choices that mean different things.
The flag is called what it is, and its help says to prefer the role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

SUPERUSER_LABEL = _("Superuser (every permission, whatever the roles)")
SUPERUSER_HELP = _(
    "Bypasses every role and permission, including on users and settings. "
    "Give the Administrator role instead unless someone must manage the platform itself."
)


def _relabel(form) -> None:
    field = form.fields.get("is_superuser")
    if field is not None:
        field.label, field.help_text = SUPERUSER_LABEL, SUPERUSER_HELP


class NewsroomUserCreationForm(UserCreationForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self)


class NewsroomUserEditForm(UserEditForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self)


class NewsroomUserViewSet(UserViewSet):
    def get_form_class(self, for_update: bool = False):
        return NewsroomUserEditForm if for_update else NewsroomUserCreationForm
