"""Site debris, recognised line by line, each removal with its reason.

Every rule is a function of one paragraph (a "unit"); the few rules that need context (a "Related"
list, the first paragraph's date header and dateline) live in `clean.py`, which walks the units.
Rules lean towards keeping text: a paragraph that reads as reported speech is never debris.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Reasons, as stored with each removed line and shown by `newsweave article`.
AD = "ad placeholder"
COMMENTS = "comment policy"
SHARE = "share prompt"
SUBSCRIBE = "subscribe prompt"
BYLINE = "byline"
CONTACT = "contact line"
BIO = "author bio"
COPYRIGHT = "copyright"
RELATED = "related links"
COOKIES = "cookie notice"
NAVIGATION = "navigation"
CAPTION = "caption or credit"
TIMESTAMP = "timestamp"
TITLE = "title"
DATE_HEADER = "date header"
DATELINE = "dateline"
TEMPLATE = "template residue"

MAX_DEBRIS_WORDS = 80  # debris paragraphs are short; a longer paragraph is story text whatever it mentions

_AD_WORDS = {
    "advertisement", "advertisment", "advertising", "ad", "ads", "sponsored", "sponsored content",
    "paid content", "paid post", "promoted", "promoted content", "anzeige", "werbung", "publicidad",
    "publicité", "publicite", "pubblicità", "pubblicita", "реклама", "reklam", "reklam yükleniyor",
    "reklama", "annons", "annonse", "annonce", "advertentie", "mainos", "διαφήμιση", "إعلان", "广告",
    "広告", "광고", "scroll to continue with content", "story continues below", "story continues below advertisement",
    "article continues below", "article continues below advertisement", "continue reading below",
    "continue reading the main story", "skip advertisement", "advertisement - scroll to continue",
}
_NAV_WORDS = {
    "skip to content", "skip to main content", "back to top", "loading", "menu", "close", "search",
    "listen to this article", "listen to this story", "print this page", "text size", "show more",
}
_SOCIAL = r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email|e-mail|print|copy link|pinterest|messenger|threads|bluesky|mastodon|flipboard|share)"
_SHARE = re.compile(
    rf"^(?:(?:share|tweet|pin|send|gift)(?: (?:this|the|on|via|to|with|article|story|link|page|post)\b.*)?"
    rf"|{_SOCIAL}(?:\s*[·|•,/-]?\s*{_SOCIAL})+|copy link|share on \w+)$",
    re.I,
)
_SUBSCRIBE = re.compile(
    r"^(?:sign up|subscribe|get (?:our|the|breaking|daily|the latest)|join (?:our|us|the)|follow (?:us|@|the|our|\w+ on)"
    r"|download (?:our|the)|don't miss|never miss|support (?:our|independent|quality) journalism|become a (?:member|subscriber)"
    r"|already a subscriber|log ?in|register (?:now|for)|want more|enjoy(?:ed)? this|like this story|newsletter\b"
    r"|receive (?:our|the)|unlock|try \d+ days|start your (?:free )?trial)",
    re.I,
)
_COMMENT_POLICY = re.compile(
    r"\bcomments?\b.*\b(?:moderat\w*|civil\w*|guidelines?|polic(?:y|ies)|remove\w*|respectful|abusive|off-topic|"
    r"terms|community|pre-?approv\w*|reviewed|delete\w*)\b"
    r"|\b(?:moderat\w*|guidelines?|policy|reserve the right)\b.*\bcomments?\b",
    re.I,
)
_COMMENT_PROMPT = re.compile(
    r"^(?:\d+\s+)?(?:comments?|show comments|view comments|hide comments|load comments|leave a comment|post a comment|"
    r"add a comment|write a comment|join the (?:conversation|discussion)|start the conversation|comments are closed|"
    r"log in to comment|sign in to comment|be the first to comment|reader comments)(?:\s*\(\d+\))?\W*$",
    re.I,
)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:de|da|van|von|del|di|la|le|bin|al)?\s*[A-Z][\w'’.-]+){0,3}"
_BYLINE = re.compile(
    rf"^(?i:by)\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?:$|[,|·•✉–—-]|\(|\bin\b|\bstaff\b|\breporter\b|\bcorrespondent\b|\S+@)",
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTACT = re.compile(
    r"^(?:contact(?: the (?:author|reporter|writer))?|e-?mail(?: the (?:author|reporter))?|write to|reach|tips?|send tips|got a tip)\b",
    re.I,
)
_PERSON = r"[A-Z][\w'’.-]+(?:\s+(?:de|da|van|von|del|di|la|le|bin|al)?\s*[A-Z][\w'’.-]+){1,3}"  # two to four names
_BIO = re.compile(
    rf"^(?P<name>{_PERSON})\s+(?:is|was|has been|serves as|works as)\s+(?:a|an|the|our)?\s*[^.]{{0,80}}?"
    r"\b(?:writer|reporter|editor|correspondent|journalist|columnist|contributor|producer|analyst|photographer|"
    r"freelancer|critic|blogger|author)s?\b",
)
_BIO_BEAT = re.compile(
    rf"^(?P<name>{_PERSON})\s+(?:covers|reports on|writes about|writes on|has covered|has reported on)\b[^.]{{0,100}}?\b(?:for|at)\s+[A-Z]"
)
_BIO_OUTLET = re.compile(
    r"\b(?:for|at|with|of)\s+(?P<outlet>(?:the\s+)?[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|of|and|&))*[\w'’.])", re.I
)
_ABOUT_AUTHOR = re.compile(r"^about the authors?\W*$", re.I)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b|℗)\s*(?:©\s*)?(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)?\s*,?\s*(?P<owner>.*?)"
    r"\s*(?:[.,;|]\s*)?(?:all rights reserved.*)?$",
    re.I,
)
_CORPORATE = re.compile(
    r"(?:[\s,]+(?:ltd|limited|inc|incorporated|llc|plc|co|corp|corporation|company|gmbh|ag|s\.?a|media|group|holdings?|"
    r"publishing|publications|newspapers|communications|enterprises)\.?)+$",
    re.I,
)
_RIGHTS_RESERVED = re.compile(r"all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados", re.I)
_COOKIE = re.compile(
    r"\bcookies?\b.*\b(?:accept\w*|consent\w*|polic(?:y|ies)|experience|continu\w+|settings|brows\w+|agree\w*|preferences|personali[sz]\w*)\b"
    r"|\b(?:accept|agree|consent)\b.*\bcookies?\b",
    re.I,
)
_CAPTION = re.compile(r"^(?:photo|image|picture|video|file photo|graphic|illustration)s?(?: credit)?\s*[:|]|^\((?:photo|image)[^)]*\)$", re.I)
_RELATED = re.compile(
    r"^(?:related(?: (?:stories|articles|coverage|content|news|reading|topics))?|read more|read also|also read|more on this(?: story| topic)?|"
    r"see also|recommended(?: for you| stories)?|you may also like|you might also like|most read|most popular|trending(?: now)?|"
    r"more from [\w\s]+|top stories|further reading|weitere artikel|lesen sie auch|leia também|lee también|à lire aussi)\s*(?::\s*(?P<rest>.*))?$",
    re.I,
)
_SPEECH = re.compile(r"[\"“”«»„]|\b(?:said|says|told|added|according to|asked|stated|wrote)\b", re.I)
_QUOTE = re.compile(r"[\"“”«»„]")
_TERMINAL = ".!?…\"”’'»)"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a paragraph is debris, and any metadata it gave away (an author, an outlet)."""

    reason: str
    author: str | None = None
    outlet: str | None = None


def _folded(unit: str) -> str:
    text = unicodedata.normalize("NFC", unit).casefold().strip()
    return re.sub(r"[\s.…:!|·•\-–—>»›]+$", "", re.sub(r"^[\s·•\-–—>»›*]+", "", text)).strip()


def words(unit: str) -> int:
    return len(unit.split())


def is_reported_speech(unit: str) -> bool:
    """A paragraph that quotes or attributes is story text, whatever words it contains."""
    return bool(_QUOTE.search(unit)) or (bool(_SPEECH.search(unit)) and words(unit) > 12)


def ends_as_sentence(unit: str) -> bool:
    return unit.rstrip().endswith(tuple(_TERMINAL))


def is_headline_like(unit: str) -> bool:
    """Short, no closing full stop: a headline, a sub-heading or a list item rather than a sentence."""
    stripped = unit.rstrip()
    return 0 < words(stripped) <= 20 and not stripped.endswith((".", ";", ",", ":"))


def related_marker(unit: str) -> tuple[bool, str | None]:
    """Whether a paragraph opens a "Related"/"Read more" list, and any headline on the same line."""
    match = _RELATED.match(unit.strip())
    if not match or words(unit) > 25:
        return False, None
    rest = (match.group("rest") or "").strip()
    return True, rest or None


def classify(unit: str) -> Verdict | None:
    """The debris kind of one paragraph, or None when it is (or may be) story text."""
    text = unit.strip()
    if not text:
        return None
    n = words(text)
    folded = _folded(text)
    if folded in _AD_WORDS:
        return Verdict(AD)
    if folded in _NAV_WORDS:
        return Verdict(NAVIGATION)
    if n > MAX_DEBRIS_WORDS:
        return None
    if n <= 20 and (match := _BYLINE.match(text)):
        return Verdict(BYLINE, author=_names(match.group("names")))
    if n <= 25 and _COPYRIGHT.match(text) and not is_reported_speech(text):
        return Verdict(COPYRIGHT, outlet=_copyright_owner(text))
    if n <= 15 and _RIGHTS_RESERVED.search(text) and not _QUOTE.search(text):
        return Verdict(COPYRIGHT, outlet=_copyright_owner(text))
    if n <= 60 and (match := _BIO.match(text)) and not _QUOTE.search(text):
        outlet = _BIO_OUTLET.search(text[match.end() - 1 :] if match.end() else text)
        return Verdict(BIO, outlet=_trim_outlet(outlet.group("outlet")) if outlet else None)
    if n <= 60 and (match := _BIO_BEAT.match(text)) and not _QUOTE.search(text):
        outlet = _BIO_OUTLET.search(text, match.end() - 5)
        return Verdict(BIO, outlet=_trim_outlet(outlet.group("outlet")) if outlet else None)
    if _ABOUT_AUTHOR.match(text):
        return Verdict(BIO)
    if n <= 20 and ("✉" in text or _EMAIL.search(text) or _CONTACT.match(text)) and not is_reported_speech(text):
        if _CONTACT.match(text) or _EMAIL.search(text) or "✉" in text:
            return Verdict(CONTACT)
    if _COMMENT_PROMPT.match(text):
        return Verdict(COMMENTS)
    if _COMMENT_POLICY.search(text) and not is_reported_speech(text):
        return Verdict(COMMENTS)
    if n <= 60 and _COOKIE.search(text) and not is_reported_speech(text):
        return Verdict(COOKIES)
    if n <= 12 and _SHARE.match(folded):
        return Verdict(SHARE)
    if n <= 30 and _SUBSCRIBE.match(text) and not is_reported_speech(text):
        return Verdict(SUBSCRIBE)
    if n <= 30 and _CAPTION.match(text):
        return Verdict(CAPTION)
    return None


_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|photographer|bureau|desk|agency|press|news|"
    r"service|wire|times|post|daily|gazette|herald|tribune|journal|chronicle|courier|ledger|sentinel|observer)s?\b",
    re.I,
)  # a byline part that is a role or an organisation, not a person


def _names(names: str) -> str:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", names)
    return ", ".join(p.strip() for p in parts if p.strip() and not _ROLE.search(p))


def _copyright_owner(text: str) -> str | None:
    match = _COPYRIGHT.match(text.strip())
    owner = match.group("owner") if match else None
    if not owner:
        return None
    owner = _RIGHTS_RESERVED.split(owner)[0]
    owner = _trim_outlet(owner)
    if owner:  # "Northgate Daily Media Ltd." is the company; the masthead is "Northgate Daily"
        owner = _CORPORATE.sub("", owner).strip(" ,.") or owner
    return owner


def _trim_outlet(name: str) -> str | None:
    name = re.split(r"\s+(?:covering|where|since|and (?:is|was|has)|who)\b|[.,;:|(]", name.strip(), maxsplit=1)[0]
    name = name.strip(" .,-–—")
    return name or None
