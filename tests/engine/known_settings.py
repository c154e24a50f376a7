"""The settings ../shared/pinterest-facts.md documents, by id: the rules must carry each of them."""

# Behind Pinterest's "Privacy and data" menu.
PRIVACY_AND_DATA = (
    "pinterest.genai.canvas_training",
    "pinterest.ads.sites_you_visit",
    "pinterest.ads.partner_info",
    "pinterest.ads.about_pinterest",
    "pinterest.ads.performance_reporting",
    "pinterest.ads.sharing_with_partners",
    "pinterest.ads.off_pinterest",
    "pinterest.ads.pinterest_activity",
    "pinterest.visibility.search_privacy",
)
# Behind "Refine your recommendations".
RECOMMENDATIONS = ("pinterest.recommendations.ai_content",)

FACT_IDS = frozenset(PRIVACY_AND_DATA + RECOMMENDATIONS)
