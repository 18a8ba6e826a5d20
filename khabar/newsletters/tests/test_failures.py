"""Which send failures are permanent (the address is marked bounced) and which are tried again."""

import smtplib

from django.test import SimpleTestCase

from khabar.newsletters.sending import is_permanent


class AnymailRecipientsRefused(Exception):
    """Named as django-anymail names it (anymail itself is not a dependency)."""


class FailureKindTests(SimpleTestCase):
    def test_5xx_and_refused_recipients_are_permanent(self):
        self.assertTrue(is_permanent(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")})))
        self.assertTrue(is_permanent(smtplib.SMTPDataError(554, b"rejected")))
        self.assertTrue(is_permanent(AnymailRecipientsRefused("refused")))

    def test_4xx_and_network_errors_are_transient(self):
        self.assertFalse(is_permanent(smtplib.SMTPRecipientsRefused({"a@example.org": (451, b"later")})))
        self.assertFalse(is_permanent(smtplib.SMTPDataError(421, b"busy")))
        self.assertFalse(is_permanent(ConnectionRefusedError()))
        self.assertFalse(is_permanent(smtplib.SMTPServerDisconnected()))
