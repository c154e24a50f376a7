"""What each settings page shows, per variant and account: headings, control titles, help texts.

Wordings come from docs/replica.md's sources (the app audit, the help articles of several ages). Keys are
the rule ids of rules/pinterest.json plus `decoy.*` keys for controls a default opt-out must never touch;
keys live only on the server and in the JSON resources, never in the markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from replica.config import ReplicaConfig

CANVAS = "pinterest.genai.canvas_training"
SITES = "pinterest.ads.sites_you_visit"
PARTNER = "pinterest.ads.partner_info"
ABOUT = "pinterest.ads.about_pinterest"
REPORTING = "pinterest.ads.performance_reporting"
SHARING = "pinterest.ads.sharing_with_partners"
OFF_PINTEREST = "pinterest.ads.off_pinterest"
ACTIVITY = "pinterest.ads.pinterest_activity"
SEARCH_PRIVACY = "pinterest.visibility.search_privacy"
AI_CONTENT = "pinterest.recommendations.ai_content"
PRIVATE_PROFILE = "decoy.private_profile"
PERSONALIZED = "decoy.personalized_recommendations"

AD_KEYS = (SITES, PARTNER, ABOUT, REPORTING, SHARING, OFF_PINTEREST, ACTIVITY)

GENAI_TOPICS = {
    "architecture": "Architecture",
    "art": "Art",
    "beauty": "Beauty",
    "entertainment": "Entertainment",
    "fashion": "Fashion",
    "food_drink": "Food & drink",
    "health": "Health",
    "home_decor": "Home decor",
    "sport": "Sport",
}
# Ordinary interests reuse some GenAI topic names on purpose: only the GenAI interests ones are rules.
INTERESTS = {
    "art": "Art",
    "diy_crafts": "DIY and crafts",
    "fashion": "Fashion",
    "food_drink": "Food & drink",
    "travel": "Travel",
}


def genai_topic_key(slug: str) -> str:
    return f"{AI_CONTENT}.{slug}"


def interest_key(slug: str) -> str:
    return f"decoy.interests.{slug}"


RULE_KEYS = (
    CANVAS,
    *AD_KEYS,
    SEARCH_PRIVACY,
    AI_CONTENT,
    *(genai_topic_key(slug) for slug in GENAI_TOPICS),
)
DECOY_KEYS = (PRIVATE_PROFILE, PERSONALIZED, *(interest_key(slug) for slug in INTERESTS))
ALL_KEYS = RULE_KEYS + DECOY_KEYS

# Pinterest's defaults: everything on, except that profiles are public and findable by search engines.
DEFAULT_STATES: dict[str, bool] = {key: True for key in ALL_KEYS} | {SEARCH_PRIVACY: False, PRIVATE_PROFILE: False}

# Under-18 accounts are opted out of Canvas training and of ad personalization, and cannot opt back in.
MINOR_LOCKED = (CANVAS, *AD_KEYS)


@dataclass(frozen=True)
class Control:
    key: str
    title: str
    help: str = ""
    disabled: bool = False


@dataclass(frozen=True)
class Section:
    heading: str
    controls: tuple[Control, ...]
    intro: str = ""


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    intro: str
    sections: tuple[Section, ...]

    def controls(self) -> list[Control]:
        return [control for section in self.sections for control in section.controls]


PRIVACY = "privacy"
PROFILE_VISIBILITY = "profile_visibility"
REFINE = "refine_recommendations"

PAGE_PATHS = {
    PROFILE_VISIBILITY: "/settings/profile-visibility",
    REFINE: "/settings/refine-recommendations",
}

_HELP = {
    CANVAS: "Allow your data to be used to help train Pinterest Canvas.",
    SITES: "Allow Pinterest to use information from websites you visit to choose the ads you see on Pinterest.",
    PARTNER: "Allow Pinterest to use information that advertisers and other partners share with us.",
    ABOUT: "Use your activity to improve ads you see about Pinterest on other sites or apps you may visit",
    REPORTING: "Share your activity with advertisers so they can measure how their ads perform.",
    SHARING: "Share your information and activity with partners to improve third-party ads shown on Pinterest.",
    OFF_PINTEREST: "Use or share your information with partners to improve ads on other apps and sites.",
    ACTIVITY: "Allow Pinterest to use your activity to personalize ads.",
    PERSONALIZED: "Use your activity on Pinterest to recommend Pins and boards for you.",
    PRIVATE_PROFILE: (
        "When your profile is private, only people you approve can see your profile, Pins, boards, "
        "followers and following lists."
    ),
    SEARCH_PRIVACY: "Hide your profile and boards from search engines (e.g. Google).",
    AI_CONTENT: "Show Pins that were made or changed with generative AI in your home feed.",
}

# Control titles per variant, newest wording first in the facts: app audit (switch), web help article
# (checkbox), the same article's older version (legacy), and the personalization help article (aria).
_TITLES: dict[str, dict[str, str]] = {
    "switch": {
        CANVAS: "Use your data to train Pinterest Canvas",
        SITES: "Use info from sites you visit",
        PARTNER: "Use of partner info",
        ABOUT: "Ads about Pinterest",
        REPORTING: "Activity for ads reporting",
        SHARING: "Sharing info with partners",
        OFF_PINTEREST: "Ads off Pinterest",
        ACTIVITY: "Use of Pinterest Activity",
    },
    "checkbox": {
        CANVAS: "Use your data to train Pinterest Canvas",
        SITES: "Use sites you visit to improve which ads you see on Pinterest",
        PARTNER: "Use partner info to improve which ads you see on Pinterest",
        ABOUT: "Use your activity to improve ads you see about Pinterest on other sites or apps you may visit",
        REPORTING: "Share activity for ads performance reporting",
        SHARING: "Sharing info with partners",
        OFF_PINTEREST: "Ads off Pinterest",
        ACTIVITY: "Use of Pinterest Activity",
    },
    "legacy": {
        CANVAS: "Use your data to train Pinterest Canvas",
        SITES: "Use sites you visit",
        PARTNER: "Use information from our partners to improve recommendations and ads you see",
        ABOUT: "Improve the ads you see about Pinterest",
        REPORTING: "Share activity for ads performance reporting",
    },
    "aria": {
        CANVAS: "Use your data to train Pinterest Canvas",
        SITES: "Use sites you visit to improve which recommendations and ads you see on Pinterest",
        PARTNER: "Use info from our ad partners",
        ABOUT: "Ads about Pinterest",
        REPORTING: "Activity for ads reporting",
        SHARING: "Sharing info with partners",
        OFF_PINTEREST: "Ads off Pinterest",
        ACTIVITY: "Use of Pinterest Activity",
    },
}
# The Gestalt app shows what the app audit saw, as the switch variant does.
_TITLES["gestalt"] = _TITLES["switch"]
_COMMON_TITLES = {
    PERSONALIZED: "Personalized recommendations",
    PRIVATE_PROFILE: "Private profile",
    SEARCH_PRIVACY: "Search privacy",
    AI_CONTENT: "Show AI content",
}


def _control(variant: str, key: str) -> Control:
    title = _TITLES[variant].get(key) or _COMMON_TITLES[key]
    help_text = _HELP.get(key, "")
    if help_text.rstrip(".") == title:
        help_text = ""
    return Control(key, title, help_text)


def _section(variant: str, heading: str, keys: tuple[str, ...], intro: str = "") -> Section:
    return Section(heading, tuple(_control(variant, key) for key in keys), intro)


def _privacy_sections(variant: str) -> tuple[Section, ...]:
    if variant == "legacy":
        return (
            _section(variant, "Search privacy", (SEARCH_PRIVACY,)),
            _section(variant, "Personalization", (SITES, PARTNER, PERSONALIZED)),
            _section(variant, "Ads", (ABOUT, REPORTING)),
            _section(variant, "GenAI", (CANVAS,)),
        )
    if variant == "checkbox":
        return (
            _section(variant, "Your profile", (PRIVATE_PROFILE, SEARCH_PRIVACY)),
            _section(variant, "Personalization", (SITES, PARTNER, PERSONALIZED)),
            _section(variant, "Ads", (ABOUT, REPORTING, SHARING, OFF_PINTEREST, ACTIVITY)),
            _section(variant, "GenAI", (CANVAS,)),
        )
    return (
        _section(variant, "GenAI", (CANVAS,)),
        _section(variant, "Ads personalization", AD_KEYS),
        _section(variant, "Personalization", (PERSONALIZED,)),
    )


def _visibility_sections(variant: str) -> tuple[Section, ...]:
    keys = (PRIVATE_PROFILE,) if variant == "legacy" else (PRIVATE_PROFILE, SEARCH_PRIVACY)
    return (_section(variant, "", keys),)


def _refine_sections(variant: str) -> tuple[Section, ...]:
    interests = tuple(Control(interest_key(slug), name) for slug, name in INTERESTS.items())
    genai = (
        _control(variant, AI_CONTENT),
        *(Control(genai_topic_key(slug), name) for slug, name in GENAI_TOPICS.items()),
    )
    return (
        Section("Interests", interests, "Topics you follow shape your home feed."),
        Section("GenAI interests", genai, "Choose the topics where you want to see fewer AI-made Pins."),
    )


# The title the `reworded` fault gives Canvas training: one the rules have never seen, as a renamed switch would be.
REWORDED_CANVAS = "Let Pinterest's AI learn from your Pins"


def _title(control: Control, config: ReplicaConfig) -> str:
    return REWORDED_CANVAS if control.key == CANVAS and config.has("reworded") else control.title


def _removed_keys(config: ReplicaConfig) -> set[str]:
    removed: set[str] = set()
    if config.has("eu"):
        removed.add(REPORTING)
    if config.has("not_rolled_out"):
        removed.add(CANVAS)
    if config.has("uk_minor"):
        removed.update(MINOR_LOCKED)
    return removed


def _for_account(page: Page, config: ReplicaConfig) -> Page:
    removed = _removed_keys(config)
    locked = set(MINOR_LOCKED) if config.has("minor") else set()
    sections = []
    for section in page.sections:
        controls = tuple(
            Control(c.key, _title(c, config), c.help, disabled=c.key in locked)
            for c in section.controls
            if c.key not in removed
        )
        if controls:
            sections.append(Section(section.heading, controls, section.intro))
    return Page(page.name, page.title, page.intro, tuple(sections))


def _in_language(page: Page, config: ReplicaConfig) -> Page:
    """`page` in the configured language (replica/languages.py); the `untranslated` keys keep their English title,
    as Pinterest leaves some strings untranslated."""
    from replica import languages  # it builds on this module's keys

    language, variant = config.language, config.variant
    if language == "en":
        return page
    sections = []
    for section in page.sections:
        controls = tuple(
            Control(
                c.key,
                c.title if c.key in config.untranslated else languages.control_title(language, variant, c.key, c.title),
                c.help if c.key in config.untranslated else languages.control_help(language, c.key, c.help),
                c.disabled,
            )
            for c in section.controls
        )
        sections.append(
            Section(
                languages.page_text(language, section.heading), controls, languages.page_text(language, section.intro)
            )
        )
    return Page(
        page.name, languages.page_text(language, page.title), languages.page_text(language, page.intro), tuple(sections)
    )


def build_page(name: str, config: ReplicaConfig) -> Page:
    """The page `name` as this configuration's account sees it."""
    variant = config.variant
    if name == PRIVACY:
        page = Page(
            PRIVACY,
            "Privacy and data",
            "Manage how Pinterest uses your data to personalize your experience and the ads you see.",
            _privacy_sections(variant),
        )
    elif name == PROFILE_VISIBILITY:
        page = Page(
            PROFILE_VISIBILITY,
            "Profile visibility",
            "Manage how your profile can be viewed on and off of Pinterest.",
            _visibility_sections(variant),
        )
    elif name == REFINE:
        page = Page(
            REFINE, "Refine your recommendations", "Manage what you see in your home feed.", _refine_sections(variant)
        )
    else:
        raise KeyError(name)
    return _in_language(_for_account(page, config), config)


def all_pages(config: ReplicaConfig) -> list[Page]:
    return [build_page(name, config) for name in (PRIVACY, PROFILE_VISIBILITY, REFINE)]


def locked_off(config: ReplicaConfig) -> frozenset[str]:
    """Keys this account sees forced off and cannot change."""
    return frozenset(MINOR_LOCKED) if config.has("minor") else frozenset()
