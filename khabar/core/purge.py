"""One signal for "what readers see of this page has changed".

Whoever changes something shown on a page without publishing it (an approved
comment, a new correction) sends ``page_content_changed``; the page cache
listens and purges that page's cached responses (and the frontend caches).
Publishing and unpublishing are covered by Wagtail's own signals.
"""

from django.dispatch import Signal

# Sent with ``page=<the Wagtail page whose readers' view changed>``.
page_content_changed = Signal()


def page_changed(page, sender=None) -> None:
    page_content_changed.send(sender=sender or type(page), page=page)
