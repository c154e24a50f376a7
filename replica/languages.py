"""Every text the replica shows, per page language: English (the default), German and Spanish.

Control titles, the menu names and the section headings follow ../shared/pinterest-world.md §4 where a wording
is known (German: the help article's newest wording on the newest page styles, its older ones on the older
styles, as the English variants do). Where no wording is known, the replica shows a plausible one that NO rule
has, marked `# unknown:` below, so that a run shows the honest outcome ("Optout does not know yet how Pinterest
words this setting in German") instead of a success the rules did not earn. The help texts, page intros, buttons,
dialogs, toasts and the login and block pages have no source in any language but English: they are plain
translations, so that a page reads as a whole, and no rule holds them (the rules know no German or Spanish button).
"""

from __future__ import annotations

from replica.pages import (
    ABOUT,
    ACTIVITY,
    AI_CONTENT,
    CANVAS,
    OFF_PINTEREST,
    PARTNER,
    PERSONALIZED,
    PRIVATE_PROFILE,
    REPORTING,
    SEARCH_PRIVACY,
    SHARING,
    SITES,
    genai_topic_key,
    interest_key,
)

LANGUAGES = {"en": "English", "de": "German", "es": "Spanish"}

# Texts of the pages around the settings. English is the replica as it always was.
UI: dict[str, dict[str, str]] = {
    "en": {
        "search": "Search",
        "practice": "Practice replica",
        "home": "Home",
        "home_title": "Your home feed",
        "home_intro": "Ideas for you would appear here.",
        "settings": "Settings",
        "log_out": "Log out",
        "menu_intro": "Choose a settings page from the menu.",
        "login_title": "Welcome to Pinterest",
        "email": "Email",
        "password": "Password",
        "log_in": "Log in",
        "login_error": "Enter your email and password to log in.",
        "blocked_title": "We've detected a bot!",
        "blocked_text": "We noticed some unusual activity coming from your account or network, so we've temporarily "
        "limited what you can do. Try again later.",
        "not_found": "Sorry! We couldn't find that page.",
        "not_found_link": "Go to your home feed",
        "error_title": "Something went wrong",
        "saved_notice": "Your settings have been saved.",
        "done": "Done",
        "save": "Save",
        "reset": "Reset",
        "cancel": "Cancel",
        "turn_on": "Turn on",
        "turn_off": "Turn off",
        "ask_on": "Turn this setting on?",
        "ask_off": "Turn this setting off?",
        "ask_text": "You can change this at any time in your settings.",
        "saved": "Saved",
        "save_failed": "Something went wrong. Your change wasn't saved. Please try again.",
        "saves_failed": "Something went wrong. Your settings weren't saved. Please try again.",
        "load_failed": "We couldn't load your settings. Refresh the page to try again.",
        "loading": "Loading",
    },
    "de": {
        "search": "Suchen",
        "practice": "Übungskopie",
        "home": "Startseite",
        "home_title": "Dein Home-Feed",
        "home_intro": "Hier würden Ideen für dich erscheinen.",
        "settings": "Einstellungen",
        "log_out": "Abmelden",
        "menu_intro": "Wähle eine Einstellungsseite aus dem Menü.",
        "login_title": "Willkommen bei Pinterest",
        "email": "E-Mail",
        "password": "Passwort",
        "log_in": "Anmelden",
        "login_error": "Gib deine E-Mail-Adresse und dein Passwort ein, um dich anzumelden.",
        "blocked_title": "Wir haben einen Bot entdeckt!",
        "blocked_text": "Wir haben ungewöhnliche Aktivitäten in deinem Konto oder Netzwerk bemerkt und deshalb "
        "vorübergehend eingeschränkt, was du tun kannst. Versuche es später noch einmal.",
        "not_found": "Leider konnten wir diese Seite nicht finden.",
        "not_found_link": "Zu deinem Home-Feed",
        "error_title": "Da ist etwas schiefgelaufen",
        "saved_notice": "Deine Einstellungen wurden gespeichert.",
        "done": "Fertig",
        "save": "Speichern",
        "reset": "Zurücksetzen",
        "cancel": "Abbrechen",
        "turn_on": "Aktivieren",
        "turn_off": "Deaktivieren",
        "ask_on": "Diese Einstellung aktivieren?",
        "ask_off": "Diese Einstellung deaktivieren?",
        "ask_text": "Du kannst das jederzeit in deinen Einstellungen ändern.",
        "saved": "Gespeichert",
        "save_failed": "Da ist etwas schiefgelaufen. Deine Änderung wurde nicht gespeichert. Bitte versuche es noch "
        "einmal.",
        "saves_failed": "Da ist etwas schiefgelaufen. Deine Einstellungen wurden nicht gespeichert. Bitte versuche "
        "es noch einmal.",
        "load_failed": "Wir konnten deine Einstellungen nicht laden. Lade die Seite neu, um es noch einmal zu "
        "versuchen.",
        "loading": "Wird geladen",
    },
    "es": {
        "search": "Buscar",
        "practice": "Copia de práctica",
        "home": "Inicio",
        "home_title": "Tu feed de inicio",
        "home_intro": "Aquí aparecerían ideas para ti.",
        "settings": "Configuración",
        "log_out": "Cerrar sesión",
        "menu_intro": "Elige una página de configuración en el menú.",
        "login_title": "Te damos la bienvenida a Pinterest",
        "email": "Correo electrónico",
        "password": "Contraseña",
        "log_in": "Iniciar sesión",
        "login_error": "Introduce tu correo electrónico y tu contraseña para iniciar sesión.",
        "blocked_title": "¡Hemos detectado un bot!",
        "blocked_text": "Hemos notado una actividad inusual en tu cuenta o tu red, así que hemos limitado "
        "temporalmente lo que puedes hacer. Vuelve a intentarlo más tarde.",
        "not_found": "¡Lo sentimos! No hemos encontrado esa página.",
        "not_found_link": "Ir a tu feed de inicio",
        "error_title": "Algo ha salido mal",
        "saved_notice": "Se ha guardado tu configuración.",
        "done": "Listo",
        "save": "Guardar",
        "reset": "Restablecer",
        "cancel": "Cancelar",
        "turn_on": "Activar",
        "turn_off": "Desactivar",
        "ask_on": "¿Activar esta opción?",
        "ask_off": "¿Desactivar esta opción?",
        "ask_text": "Puedes cambiarlo en cualquier momento en tu configuración.",
        "saved": "Guardado",
        "save_failed": "Algo ha salido mal. No se ha guardado el cambio. Vuelve a intentarlo.",
        "saves_failed": "Algo ha salido mal. No se ha guardado tu configuración. Vuelve a intentarlo.",
        "load_failed": "No hemos podido cargar tu configuración. Actualiza la página para volver a intentarlo.",
        "loading": "Cargando",
    },
}

# The settings menu and the plain pages behind it: (name, intro) by path; None: the privacy page.
MENU: dict[str, dict[str, str]] = {
    "en": {
        "/settings/edit-profile": "Edit profile",
        "/settings/account-settings": "Account management",
        "/settings/profile-visibility": "Profile visibility",
        "/settings/refine-recommendations": "Refine your recommendations",
        "/settings/claim": "Claimed external accounts",
        "/settings/social-permissions": "Social permissions",
        "/settings/notifications": "Notifications",
        "privacy": "Privacy and data",
        "/settings/security": "Security and logins",
    },
    "de": {
        "/settings/edit-profile": "Profil bearbeiten",
        "/settings/account-settings": "Kontoverwaltung",
        "/settings/profile-visibility": "Profilsichtbarkeit",
        "/settings/refine-recommendations": "Empfehlungen verfeinern",  # unknown: no source; no rule has it
        "/settings/claim": "Verknüpfte externe Konten",
        "/settings/social-permissions": "Soziale Berechtigungen",
        "/settings/notifications": "Benachrichtigungen",
        "privacy": "Datenschutz und Daten",  # pinterest-world.md §4 (a third-party fixture)
        "/settings/security": "Sicherheit und Anmeldungen",
    },
    "es": {
        "/settings/edit-profile": "Editar perfil",
        "/settings/account-settings": "Gestión de la cuenta",
        "/settings/profile-visibility": "Visibilidad del perfil",
        "/settings/refine-recommendations": "Refinar tus recomendaciones",  # pinterest-world.md §4 (press)
        "/settings/claim": "Cuentas externas reclamadas",
        "/settings/social-permissions": "Permisos sociales",
        "/settings/notifications": "Notificaciones",
        "privacy": "Privacidad y datos",  # pinterest-world.md §4 (press)
        "/settings/security": "Seguridad e inicios de sesión",
    },
}

PLAIN_INTROS: dict[str, dict[str, str]] = {
    "en": {
        "/settings/edit-profile": "Keep your personal details private. Information you add here is visible to anyone "
        "who can view your profile.",
        "/settings/account-settings": "Make changes to your personal information or account type.",
        "/settings/claim": "Claim your website and other accounts so you get credit for the Pins people save from "
        "them.",
        "/settings/social-permissions": "Manage who can mention you and how people can interact with you.",
        "/settings/notifications": "Choose how we get in touch with you.",
        "/settings/security": "Keep your account safe with extra security settings.",
    },
    "de": {
        "/settings/edit-profile": "Behalte deine persönlichen Daten für dich. Was du hier angibst, sieht jeder, der "
        "dein Profil sehen kann.",
        "/settings/account-settings": "Ändere deine persönlichen Daten oder deine Kontoart.",
        "/settings/claim": "Verknüpfe deine Website und andere Konten, damit Pins, die von dort gemerkt werden, dir "
        "zugeschrieben werden.",
        "/settings/social-permissions": "Lege fest, wer dich erwähnen und wie man mit dir interagieren kann.",
        "/settings/notifications": "Wähle aus, wie wir mit dir in Kontakt treten.",
        "/settings/security": "Schütze dein Konto mit zusätzlichen Sicherheitseinstellungen.",
    },
    "es": {
        "/settings/edit-profile": "Mantén tus datos personales en privado. Lo que añadas aquí lo verá cualquiera que "
        "pueda ver tu perfil.",
        "/settings/account-settings": "Cambia tu información personal o el tipo de cuenta.",
        "/settings/claim": "Reclama tu sitio web y otras cuentas para que se te reconozcan los Pines que la gente "
        "guarde desde ellos.",
        "/settings/social-permissions": "Gestiona quién puede mencionarte y cómo puede interactuar contigo la gente.",
        "/settings/notifications": "Elige cómo nos ponemos en contacto contigo.",
        "/settings/security": "Protege tu cuenta con más opciones de seguridad.",
    },
}

# The settings pages: titles and intros by page name, section headings and intros by their English text.
PAGE_TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "Privacy and data": "Datenschutz und Daten",
        "Manage how Pinterest uses your data to personalize your experience and the ads you see.": "Lege fest, wie "
        "Pinterest deine Daten nutzt, um dein Erlebnis und die Anzeigen, die du siehst, zu personalisieren.",
        "Profile visibility": "Profilsichtbarkeit",
        "Manage how your profile can be viewed on and off of Pinterest.": "Lege fest, wie dein Profil auf und "
        "außerhalb von Pinterest gesehen werden kann.",
        "Refine your recommendations": "Empfehlungen verfeinern",  # unknown: as in the menu
        "Manage what you see in your home feed.": "Lege fest, was du in deinem Home-Feed siehst.",
        "GenAI": "GenAI",
        "Ads personalization": "Einstellungen für die Personalisierung von Anzeigen",  # pinterest-world.md §4
        "Personalization": "Individuelle Anpassung",  # pinterest-world.md §4 (the old page)
        "Your profile": "Dein Profil",
        "Ads": "Anzeigen",
        "Search privacy": "Datenschutz bei Suchvorgängen",  # pinterest-world.md §4
        "Interests": "Interessen",
        "Topics you follow shape your home feed.": "Themen, denen du folgst, prägen deinen Home-Feed.",
        "GenAI interests": "GenAI-Interessen",  # unknown: no source; no rule has it
        "Choose the topics where you want to see fewer AI-made Pins.": "Wähle die Themen, bei denen du weniger "
        "mit KI erstellte Pins sehen möchtest.",
    },
    "es": {
        "Privacy and data": "Privacidad y datos",
        "Manage how Pinterest uses your data to personalize your experience and the ads you see.": "Gestiona cómo "
        "usa Pinterest tus datos para personalizar tu experiencia y los anuncios que ves.",
        "Profile visibility": "Visibilidad del perfil",
        "Manage how your profile can be viewed on and off of Pinterest.": "Gestiona cómo se puede ver tu perfil "
        "dentro y fuera de Pinterest.",
        "Refine your recommendations": "Refinar tus recomendaciones",  # pinterest-world.md §4 (press)
        "Manage what you see in your home feed.": "Gestiona lo que ves en tu feed de inicio.",
        "GenAI": "IA generativa",  # unknown: no source
        "Ads personalization": "Personalización de anuncios",  # unknown: no source
        "Personalization": "Personalización",
        "Your profile": "Tu perfil",
        "Ads": "Anuncios",
        "Search privacy": "Privacidad en las búsquedas",  # unknown: no source
        "Interests": "Intereses",
        "Topics you follow shape your home feed.": "Los temas que sigues dan forma a tu feed de inicio.",
        "GenAI interests": "Intereses de GenAI",  # pinterest-world.md §4 (press)
        "Choose the topics where you want to see fewer AI-made Pins.": "Elige los temas en los que quieres ver "
        "menos Pines creados con IA.",
    },
}

# Control titles. German has wordings of several ages (pinterest-world.md §4), given to the page styles as the
# English ones are: newest on switch/aria, the middle ones on checkbox (the help article), the oldest on legacy.
_DE_NEWEST = {
    SITES: "Informationen von dir besuchten Webseiten verwenden",
    PARTNER: "Partner-Infos verwenden",
    ABOUT: "Anzeigen für Pinterest",
    REPORTING: "Aktivität für die Berichtserstellung zu Anzeigen",
    SHARING: "Informationen mit Partnern teilen",
    SEARCH_PRIVACY: "Datenschutz bei Suchvorgängen",
}
_DE_UNKNOWN = {  # unknown: no German wording is known for these; none of these is in any rule
    CANVAS: "Deine Daten zum Trainieren von Pinterest Canvas verwenden",
    OFF_PINTEREST: "Anzeigen außerhalb von Pinterest",
    ACTIVITY: "Nutzung deiner Pinterest-Aktivität",
    AI_CONTENT: "KI-Inhalte anzeigen",
    PERSONALIZED: "Personalisierte Empfehlungen",
    PRIVATE_PROFILE: "Privates Profil",
}
_ES_UNKNOWN = {  # unknown: no Spanish wording of any setting is known; none of these is in any rule
    CANVAS: "Usar tus datos para entrenar Pinterest Canvas",
    SITES: "Usar información de los sitios que visitas",
    PARTNER: "Uso de información de socios",
    ABOUT: "Anuncios sobre Pinterest",
    REPORTING: "Actividad para los informes de anuncios",
    SHARING: "Compartir información con socios",
    OFF_PINTEREST: "Anuncios fuera de Pinterest",
    ACTIVITY: "Uso de la actividad en Pinterest",
    SEARCH_PRIVACY: "Privacidad en las búsquedas",
    AI_CONTENT: "Mostrar contenido de IA",
    PERSONALIZED: "Recomendaciones personalizadas",
    PRIVATE_PROFILE: "Perfil privado",
}
# unknown: topic names in German and Spanish have no source. "Beauty" and "Sport" are German words too, but the
# English rules hold them: the replica avoids them so that no English wording stands in for an unknown German one.
_TOPICS = {
    "de": {
        "architecture": "Architektur",
        "art": "Kunst",
        "beauty": "Schönheit",
        "entertainment": "Unterhaltung",
        "fashion": "Mode",
        "food_drink": "Essen und Trinken",
        "health": "Gesundheit",
        "home_decor": "Wohnen und Einrichten",
        "sport": "Sport und Fitness",
        "diy_crafts": "DIY und Handwerk",
        "travel": "Reisen",
    },
    "es": {
        "architecture": "Arquitectura",
        "art": "Arte",
        "beauty": "Belleza",
        "entertainment": "Entretenimiento",
        "fashion": "Moda",
        "food_drink": "Comida y bebida",
        "health": "Salud",
        "home_decor": "Decoración del hogar",
        "sport": "Deportes",
        "diy_crafts": "Bricolaje y manualidades",
        "travel": "Viajes",
    },
}
TITLES: dict[str, dict[str, dict[str, str]]] = {
    "de": {
        "switch": {**_DE_UNKNOWN, **_DE_NEWEST},
        "aria": {**_DE_UNKNOWN, **_DE_NEWEST},
        "checkbox": {
            **_DE_UNKNOWN,
            **_DE_NEWEST,
            SITES: "Nutze deine Webseitenaufrufe, um die auf Pinterest angezeigten Anzeigen besser auf dich "
            "abzustimmen",
            PARTNER: "Nutze Partnerinformationen, um die auf Pinterest angezeigten Anzeigen besser auf dich "
            "abzustimmen",
            ABOUT: "Nutze deine Aktivitäten, um die Anzeigen zu verbessern, die du auf anderen Webseiten bzw. in "
            "anderen Apps über Pinterest siehst",
            REPORTING: "Teile Aktivitäten für die Berichterstellung zur Anzeigen-Performance",
        },
        "legacy": {
            **_DE_UNKNOWN,
            **_DE_NEWEST,
            SITES: "Von mir besuchte Webseiten verwenden",
            ABOUT: "Verbessere, welche Anzeigen du über Pinterest siehst",
            REPORTING: "Teile Aktivitäten für die Berichterstellung zur Anzeigen-Performance",
        },
    },
    "es": {variant: _ES_UNKNOWN for variant in ("switch", "aria", "checkbox", "legacy")},
}
for _language, _names in _TOPICS.items():
    for _variant in TITLES[_language].values():
        _variant.update({genai_topic_key(slug): name for slug, name in _names.items() if slug != "diy_crafts"})
        _variant.update({interest_key(slug): name for slug, name in _names.items()})

# Help texts under the titles: plain translations (no source gives them).
HELP: dict[str, dict[str, str]] = {
    "de": {
        CANVAS: "Erlaube, dass deine Daten verwendet werden, um Pinterest Canvas zu trainieren.",
        SITES: "Erlaube Pinterest, Informationen von Webseiten, die du besuchst, für die Auswahl deiner Anzeigen "
        "auf Pinterest zu nutzen.",
        PARTNER: "Erlaube Pinterest, Informationen zu nutzen, die Werbetreibende und andere Partner mit uns teilen.",
        ABOUT: "Nutze deine Aktivität, um Anzeigen über Pinterest auf anderen Webseiten oder in Apps zu verbessern.",
        REPORTING: "Teile deine Aktivität mit Werbetreibenden, damit sie messen können, wie ihre Anzeigen wirken.",
        SHARING: "Teile deine Informationen und Aktivität mit Partnern, um Anzeigen Dritter auf Pinterest zu "
        "verbessern.",
        OFF_PINTEREST: "Nutze oder teile deine Informationen mit Partnern, um Anzeigen in anderen Apps und auf "
        "anderen Webseiten zu verbessern.",
        ACTIVITY: "Erlaube Pinterest, deine Aktivität für personalisierte Anzeigen zu nutzen.",
        PERSONALIZED: "Nutze deine Aktivität auf Pinterest, um dir Pins und Pinnwände zu empfehlen.",
        PRIVATE_PROFILE: "Wenn dein Profil privat ist, sehen nur Personen, die du bestätigst, dein Profil, deine "
        "Pins, Pinnwände, Follower und die Liste, wem du folgst.",
        SEARCH_PRIVACY: "Verbirg dein Profil und deine Pinnwände vor Suchmaschinen (z. B. Google).",
        AI_CONTENT: "Zeige in deinem Home-Feed Pins, die mit generativer KI erstellt oder verändert wurden.",
    },
    "es": {
        CANVAS: "Permite que se usen tus datos para entrenar Pinterest Canvas.",
        SITES: "Permite que Pinterest use información de los sitios web que visitas para elegir los anuncios que "
        "ves en Pinterest.",
        PARTNER: "Permite que Pinterest use la información que comparten con nosotros los anunciantes y otros socios.",
        ABOUT: "Usa tu actividad para mejorar los anuncios sobre Pinterest que ves en otros sitios o apps.",
        REPORTING: "Comparte tu actividad con los anunciantes para que puedan medir el rendimiento de sus anuncios.",
        SHARING: "Comparte tu información y actividad con socios para mejorar los anuncios de terceros en Pinterest.",
        OFF_PINTEREST: "Usa o comparte tu información con socios para mejorar los anuncios en otras apps y sitios.",
        ACTIVITY: "Permite que Pinterest use tu actividad para personalizar los anuncios.",
        PERSONALIZED: "Usa tu actividad en Pinterest para recomendarte Pines y tableros.",
        PRIVATE_PROFILE: "Si tu perfil es privado, solo las personas que apruebes podrán ver tu perfil, tus Pines, "
        "tableros, seguidores y seguidos.",
        SEARCH_PRIVACY: "Oculta tu perfil y tus tableros a los buscadores (p. ej., Google).",
        AI_CONTENT: "Muestra en tu feed de inicio Pines creados o modificados con IA generativa.",
    },
}


def ui(language: str) -> dict[str, str]:
    return UI[language]


def menu_name(language: str, path: str | None) -> str:
    return MENU[language][path or "privacy"]


def plain_intro(language: str, path: str) -> str:
    return PLAIN_INTROS[language][path]


def page_text(language: str, english: str) -> str:
    """A page title, intro or section heading in `language` (English when it is English or empty)."""
    if language == "en" or not english:
        return english
    return PAGE_TEXTS[language][english]


def control_title(language: str, variant: str, key: str, english: str) -> str:
    if language == "en":
        return english
    return TITLES[language][variant][key]


def control_help(language: str, key: str, english: str) -> str:
    if language == "en" or not english:
        return english
    return HELP[language].get(key, "")
