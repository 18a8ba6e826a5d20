"""The rules applied to every comment on submit. Each finding records which rule fired and why.

A finding's action is ``reject`` (never shown), ``spam`` (never shown, and the reader is not told why)
or ``hold`` (a moderator decides). With none, the moderation mode decides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from khabar.comments import text
from khabar.comments.models import BannedCommenter, Comment, CommentSettings, Mode, Status, word_list
from khabar.comments.spam import Submission, Verdict, get_backend

REJECT, SPAM, HOLD = "reject", "spam", "hold"

# Shown to moderators beside each comment (the reader never sees these).
RULE_LABELS = {
    "banned_commenter": _("Banned commenter"),
    "honeypot": _("Hidden field filled in (a bot)"),
    "banned_word": _("Banned word"),
    "suspect_word": _("Suspect word"),
    "links": _("Too many links"),
    "repeated": _("Repeated identical post"),
    "disposable_email": _("Disposable email domain"),
    "new_commenter": _("New commenter"),
    "history": _("High rejection rate"),
    "spam_check": _("Spam check"),
    "spam_check_unavailable": _("Spam check unavailable"),
}


def rule_detail(rule: str, detail: str) -> str:
    """What a moderator reads after the rule's label: the new commenter's count says what it counts."""
    if rule == "new_commenter" and detail.isdigit():
        count = int(detail)
        return ngettext("%(count)s approved comment so far", "%(count)s approved comments so far", count) % {
            "count": count
        }
    return detail


MIN_DECISIONS_FOR_HISTORY = 3  # a single rejection should not brand a newcomer
REPEAT_WINDOW = timedelta(days=7)  # the same text again within a week is held as a repeat


@dataclass
class Finding:
    rule: str
    action: str
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Draft:
    """A comment about to be stored, with what the rules need to know about its sender."""

    article_id: int
    name: str
    email: str
    body: str
    honeypot: str
    ip_hash: str
    submission: Submission


def resolve_mode(article, config: CommentSettings, section_mode: str = "", now=None) -> str:
    """The article's own mode, else its section's, else the site's; closed once past the auto-close age."""
    mode = article.comment_mode or section_mode or config.default_mode
    if mode != Mode.CLOSED and config.close_after_days and article.first_published_at:
        if (now or timezone.now()) > article.first_published_at + timedelta(days=config.close_after_days):
            return Mode.CLOSED
    return mode


def section_mode(article) -> str:
    """The article's section's mode, from the edition's cached navigation (no query)."""
    from khabar.news.navigation import Edition

    section = Edition(article.locale.language_code).section_of(article)
    return (section or {}).get("comment_mode", "")


def effective_mode(article, config: CommentSettings) -> str:
    # The section is only asked when the article leaves the choice to it.
    return resolve_mode(article, config, section_mode="" if article.comment_mode else section_mode(article))


@dataclass
class SenderFacts:
    """What the stored comments and bans say about a draft's sender and text."""

    ban_reason: str | None  # None: no active ban
    approved: int
    refused: int
    repeated: bool


@cache
def _facts_sql() -> str:
    # Four index lookups (the ban's email, the sender's email twice, the text's hash) as one statement:
    # built with the ORM they were three queries whose compilation cost more than running them.
    comments = Comment._meta.db_table
    bans = BannedCommenter._meta.db_table
    # Table names come from the models; every value is a parameter.
    return (
        f"SELECT (SELECT reason FROM {bans} WHERE LOWER(email) = LOWER(%s)"  # noqa: S608
        "  AND (expires_at IS NULL OR expires_at > %s) LIMIT 1),"
        f" (SELECT COUNT(*) FROM {comments} WHERE LOWER(email) = LOWER(%s) AND status = %s),"
        f" (SELECT COUNT(*) FROM {comments} WHERE LOWER(email) = LOWER(%s) AND status IN (%s, %s)),"
        f" EXISTS (SELECT 1 FROM {comments} WHERE body_hash = %s AND created_at >= %s)"
    )


def sender_facts(draft: Draft) -> SenderFacts:
    """Ban, sender history and repeated text for ``draft``, in one query that reads only indexes
    (comments_email_lower, comments_repeats)."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        draft.email,
        adapt(now),
        draft.email,
        Status.APPROVED,
        draft.email,
        Status.REJECTED,
        Status.SPAM,
        text.fingerprint(draft.body),
        adapt(now - REPEAT_WINDOW),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(), params)
        ban_reason, approved, refused, repeated = cursor.fetchone()
    return SenderFacts(ban_reason=ban_reason, approved=approved, refused=refused, repeated=bool(repeated))


def _sender_rules(draft: Draft, config: CommentSettings, facts: SenderFacts) -> list[Finding]:
    findings = []
    if facts.ban_reason is not None:
        findings.append(Finding("banned_commenter", REJECT, facts.ban_reason))
    if draft.honeypot:
        findings.append(Finding("honeypot", SPAM))
    domain = draft.email.rsplit("@", 1)[-1].casefold()
    if domain in word_list(config.disposable_domains):
        findings.append(Finding("disposable_email", HOLD, domain))
    return findings


def _text_rules(draft: Draft, config: CommentSettings, facts: SenderFacts) -> list[Finding]:
    findings = []
    content = f"{draft.name}\n{draft.body}"
    if word := text.contains_phrase(content, word_list(config.banned_words)):
        findings.append(Finding("banned_word", REJECT, word))
    if word := text.contains_phrase(content, word_list(config.suspect_words)):
        findings.append(Finding("suspect_word", HOLD, word))
    links = text.link_count(draft.body)
    if links > config.max_links:
        findings.append(Finding("links", HOLD, str(links)))
    if facts.repeated:
        findings.append(Finding("repeated", HOLD))
    return findings


def _history_rules(config: CommentSettings, facts: SenderFacts) -> list[Finding]:
    findings = []
    if facts.approved < config.new_commenter_hold:
        findings.append(Finding("new_commenter", HOLD, str(facts.approved)))
    decided = facts.approved + facts.refused
    if decided >= MIN_DECISIONS_FOR_HISTORY and facts.refused * 100 > config.rejection_rate * decided:
        findings.append(Finding("history", HOLD, f"{facts.refused}/{decided}"))
    return findings


def _spam_rules(draft: Draft) -> list[Finding]:
    verdict = get_backend().check(draft.submission)
    if verdict is Verdict.SPAM:
        return [Finding("spam_check", SPAM)]
    if verdict is Verdict.UNKNOWN:
        return [Finding("spam_check_unavailable", HOLD)]
    return []


def evaluate(draft: Draft, config: CommentSettings, mode: str, *, trusted: bool = False) -> tuple[str, list[Finding]]:
    """The status a new comment gets and every rule that fired. Staff (``trusted``) skip the rules."""
    if trusted:
        return Status.APPROVED, []
    facts = sender_facts(draft)
    findings = _sender_rules(draft, config, facts) + _text_rules(draft, config, facts) + _history_rules(config, facts)
    if not any(f.action in (REJECT, SPAM) for f in findings):
        findings += _spam_rules(draft)  # only ask the outside service when our own rules have not decided
    actions = {f.action for f in findings}
    if REJECT in actions:
        return Status.REJECTED, findings
    if SPAM in actions:
        return Status.SPAM, findings
    if HOLD in actions or mode == Mode.PRE:
        return Status.PENDING, findings
    return Status.APPROVED, findings
