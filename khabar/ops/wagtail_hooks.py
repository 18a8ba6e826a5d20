"""Admin additions: the two-factor pages (account area) and the code step after sign-in."""

from django.urls import path
from wagtail import hooks

from khabar.ops import two_factor


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("account/two-factor/", two_factor.enrol, name="ops_two_factor"),
        path("two-factor/verify/", two_factor.verify, name="ops_two_factor_verify"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return two_factor.account_menu_item(request)
