"""What a reader is told after each step (the same words by email-link page and by JSON)."""

from django.utils.translation import gettext_lazy as _

CHECK_INBOX = _("Almost done: we have sent you an email. Open the link in it to confirm your subscription.")
CONFIRMED = _("Thank you. Your subscription is confirmed.")
ALREADY_CONFIRMED = _("This subscription was already confirmed. Nothing more to do.")
EXPIRED = _("This confirmation link has expired. Please subscribe again to get a new one.")
INVALID = _("This link is not valid. Please check that you copied all of it, or subscribe again.")
TOO_MANY = _("Too many sign-ups from here. Please wait %(minutes)s minutes and try again.")
UNSUBSCRIBED = _("You are unsubscribed. You will get no more emails from us at this address.")
ALREADY_UNSUBSCRIBED = _("This address is already unsubscribed.")
PRIVACY_SENT = _("If we hold a subscription for that address, we have emailed it a link to download or delete it.")
PRIVACY_EXPIRED = _("This link has expired or is not valid. Please ask for a new one.")
DELETED = _("Your subscriptions and their history have been deleted.")
