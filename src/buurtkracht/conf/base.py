"""Settings for Buurtkracht. Everything lives here; dev, test and production only set
environment defaults before importing this module (DESIGN.md: settings from the environment).

Safe by default: without an explicit environment the settings behave as production, which
refuses to start without a SECRET_KEY or with DEBUG on.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets the code write ModelAdmin[Household], QuerySet[Entry] and friends, which
# `mypy --strict` asks for; Django's own classes are not subscriptable at run time.
django_stubs_ext.monkeypatch()


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything but a clear yes is no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

# "production" unless a settings module says otherwise: a forgotten variable must fail
# safe, never open up debug pages with resident data.
ENVIRONMENT = os.environ.get("BUURTKRACHT_ENVIRONMENT", "production")
# Only these two names relax anything; any other value (a typo, "acceptatie", "Prod") is
# treated as production, so a mistake fails closed.
LENIENT_ENVIRONMENTS = {"development", "test"}
IS_PRODUCTION = ENVIRONMENT not in LENIENT_ENVIRONMENTS
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")

if IS_PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random secret: "
            'set SECRET_KEY (for example from `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`).'
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG is on under production settings. Debug pages can show resident data; "
            "unset DEBUG or set DEBUG=0."
        )
elif not SECRET_KEY:
    # Development, demo and tests only: a fixed key that is useless anywhere else.
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where the embedded default keeps its SQLite database, and the audit anchors by default.
DATA_DIR = Path(os.environ.get("BUURTKRACHT_DATA_DIR", PROJECT_DIR / "data"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "buurtkracht.core",
    "buurtkracht.households",
    "buurtkracht.casework",
    "buurtkracht.signals",
    "buurtkracht.outcomes",
    "buurtkracht.socialmap",
    "buurtkracht.network",
    "buurtkracht.referrals",
    "buurtkracht.volunteering",
    "buurtkracht.initiatives",
    "buurtkracht.voting",
    "buurtkracht.documents",
    "buurtkracht.circles",
    "buurtkracht.conferences",
    "buurtkracht.mandates",
    "buurtkracht.dilemmas",
    "buurtkracht.workspace",
    "buurtkracht.accounts",
    "buurtkracht.demo",
    "buurtkracht.audit",
    "buurtkracht.privacy",
    "buurtkracht.notifications",
    # After buurtkracht.core: core's `db_worker` (which also re-queues jobs whose worker
    # died) takes the place of django_tasks_db's own.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "buurtkracht.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Login is required by default; a public view opts out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "buurtkracht.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "buurtkracht.urls"
WSGI_APPLICATION = "buurtkracht.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "buurtkracht.workspace.context_processors.site",
            ],
        },
    },
]

# One code path for both databases: DATABASE_URL selects PostgreSQL (production, CI);
# without it the embedded SQLite default in DATA_DIR.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'buurtkracht.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the demo server read while the generator or a test writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# Background work (docs/jobs.md): Django's tasks API through the django-tasks backport.
# The database backend needs no extra server: `manage.py db_worker` processes pick the
# tasks up, on this machine or others sharing the database.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("BUURTKRACHT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    },
}
# Which backend new jobs go to (an alias in TASKS).
JOBS_BACKEND = os.environ.get("BUURTKRACHT_JOBS_BACKEND", "default")
# A running job whose heartbeat is older than this is taken to have lost its worker (killed,
# machine gone, database restarted) and is queued again. Longer than the slowest step of
# any job between two progress reports (a batch of 10,000 signals takes well under a minute).
JOBS_STALE_SECONDS = int(os.environ.get("BUURTKRACHT_JOBS_STALE_SECONDS", "120"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:my-work"
LOGOUT_REDIRECT_URL = "accounts:login"
# The password login, and the two OpenID Connect logins (accounts/oidc.py), which answer
# only to their own callback and stay silent while their provider is not configured.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "buurtkracht.accounts.oidc.StaffOIDCBackend",
    "buurtkracht.households.resident_login.ResidentOIDCBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first: residents and most workers read Dutch; English for colleagues who do not.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Uploaded files: only the photos of initiatives' reports back, which are public. Outside
# production the app serves them itself (urls.py); in production the web server does.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Outside production WhiteNoise serves straight from the app folders, so the demo and the
# browser tests need no collectstatic.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Sessions end after this many minutes without activity (Trust issue: 15 by default). Every
# request renews the cookie, so working on keeps one signed in.
SESSION_IDLE_MINUTES = int(os.environ.get("BUURTKRACHT_SESSION_IDLE_MINUTES", "15"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor login (TOTP) for every staff role. Only the development/demo settings may
# switch it off; production refuses to start without it.
REQUIRE_TWO_FACTOR = env_bool("BUURTKRACHT_REQUIRE_TWO_FACTOR", default=True)
if IS_PRODUCTION and not REQUIRE_TWO_FACTOR:
    raise ImproperlyConfigured(
        "Two-factor login is switched off under production settings. Residents' files need "
        "it: unset BUURTKRACHT_REQUIRE_TWO_FACTOR."
    )
OTP_TOTP_ISSUER = os.environ.get("BUURTKRACHT_SITE_NAME", "Buurtkracht")

# Mail: activation links go to the account's owner (docs/access.md). The relay is the
# organisation's; Django reads EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, … as usual.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("BUURTKRACHT_MAIL_FROM", "buurtkracht@localhost")
# The address of this site as users reach it: the links in notification mails, which are
# sent by commands without a request to read it from (docs/notifications.md).
SITE_URL = os.environ.get("BUURTKRACHT_SITE_URL", "http://localhost:8000")

# Lock an account name for one client address after LOCKOUT_ATTEMPTS failed logins from
# that address within LOCKOUT_MINUTES; lock the name for every address only after
# LOCKOUT_NAME_ATTEMPTS, so that a stranger who knows a user name cannot lock its owner
# out with five wrong passwords (accounts/lockout.py, docs/operations.md).
LOCKOUT_ATTEMPTS = int(os.environ.get("BUURTKRACHT_LOCKOUT_ATTEMPTS", "5"))
LOCKOUT_NAME_ATTEMPTS = int(os.environ.get("BUURTKRACHT_LOCKOUT_NAME_ATTEMPTS", "50"))
LOCKOUT_MINUTES = int(os.environ.get("BUURTKRACHT_LOCKOUT_MINUTES", "15"))

# Throttles (core/throttle.py) count in the database unless a cache alias is named here;
# BUURTKRACHT_REDIS_URL (redis://…, needs the `redis` package) sets up and names one.
REDIS_URL = os.environ.get("BUURTKRACHT_REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
THROTTLE_CACHE = os.environ.get("BUURTKRACHT_THROTTLE_CACHE", "throttle" if REDIS_URL else "")

# The reverse proxies in front of the application (addresses or networks, comma-separated).
# Only when a request comes from one of them is X-Forwarded-For believed, and then only
# the right-most address that is not one of them: the client's own (core/throttle.py).
# Without this list every visitor behind the proxy shares one address.
TRUSTED_PROXIES = env_list("BUURTKRACHT_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"BUURTKRACHT_TRUSTED_PROXIES holds {_proxy!r}, which is not an IP address or "
            "network. Write addresses or networks separated by commas, such as "
            "10.0.0.5,10.1.0.0/16."
        ) from _error

# The signals API (signals/api.py): a batch holds at most this many signals and a body at
# most this many megabytes; a larger delivery is refused with the limit, to be split.
# Checking 10,000 signals takes well under the application server's timeout.
SIGNALS_API_MAX_SIGNALS = int(os.environ.get("BUURTKRACHT_SIGNALS_API_MAX_SIGNALS", "10000"))
SIGNALS_API_MAX_MB = int(os.environ.get("BUURTKRACHT_SIGNALS_API_MAX_MB", "10"))
# An API batch larger than this is taken in by a background job (docs/jobs.md): the answer
# is 202 with a link to the delivery's progress. Smaller ones are answered at once.
SIGNALS_API_SYNC_MAX = int(os.environ.get("BUURTKRACHT_SIGNALS_API_SYNC_MAX", "1000"))
# Rows taken in per committed step: a delivery interrupted halfway resumes after the last.
SIGNALS_BATCH_SIZE = int(os.environ.get("BUURTKRACHT_SIGNALS_BATCH_SIZE", "10000"))

# The on-demand lookup in the BRP (Haal Centraal BRP bevragen v2; core/brp.py,
# docs/register.md "Zoek in de BRP", docs/operations.md). Off without an endpoint. The demo
# and development use the synthetic register (the Person table) instead; production may not.
BRP_API_URL = os.environ.get("BUURTKRACHT_BRP_API_URL", "").strip()
BRP_API_KEY = os.environ.get("BUURTKRACHT_BRP_API_KEY", "")
BRP_API_KEY_FILE = os.environ.get("BUURTKRACHT_BRP_API_KEY_FILE", "")
if BRP_API_KEY_FILE and not BRP_API_KEY:
    try:
        BRP_API_KEY = Path(BRP_API_KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"BUURTKRACHT_BRP_API_KEY_FILE {BRP_API_KEY_FILE} cannot be read ({exc}). Give "
            "the application read access to it, or set BUURTKRACHT_BRP_API_KEY."
        ) from exc
BRP_CLIENT_CERT = os.environ.get("BUURTKRACHT_BRP_CLIENT_CERT", "")
BRP_CLIENT_KEY = os.environ.get("BUURTKRACHT_BRP_CLIENT_KEY", "")
BRP_CA_BUNDLE = os.environ.get("BUURTKRACHT_BRP_CA_BUNDLE", "")
BRP_TIMEOUT_SECONDS = float(os.environ.get("BUURTKRACHT_BRP_TIMEOUT_SECONDS", "10"))
# Four digits (e.g. 0363): searches by name find only residents of this municipality.
BRP_GEMEENTE_VAN_INSCHRIJVING = os.environ.get("BUURTKRACHT_BRP_GEMEENTE", "").strip()
# Protocol headers of the municipality's BRP gateway (x-doelbinding, x-verwerking,
# x-origin-oin), as its supplier names them; empty ones are not sent.
BRP_DOELBINDING = os.environ.get("BUURTKRACHT_BRP_DOELBINDING", "")
BRP_VERWERKING = os.environ.get("BUURTKRACHT_BRP_VERWERKING", "")
BRP_ORIGIN_OIN = os.environ.get("BUURTKRACHT_BRP_ORIGIN_OIN", "")
# The legal ground written with every lookup in the audit log (docs/register.md).
BRP_LEGAL_GROUND = os.environ.get(
    "BUURTKRACHT_BRP_LEGAL_GROUND",
    "Wet BRP art. 3.3 (autorisatie gemeente); taak sociaal domein: Wmo 2015, Jeugdwet, "
    "Participatiewet, Wgs",
)
BRP_SYNTHETIC = env_bool("BUURTKRACHT_BRP_SYNTHETIC", default=False)
if BRP_API_URL and not BRP_API_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"BUURTKRACHT_BRP_API_URL {BRP_API_URL!r} is not a web address. Give the endpoint "
        "up to, not including, /personen, e.g. https://brp.example.nl/haalcentraal/api/brp."
    )
if IS_PRODUCTION and BRP_API_URL and not BRP_API_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "BUURTKRACHT_BRP_API_URL must start with https:// in production: resident data "
        "never travels unencrypted."
    )
if IS_PRODUCTION and BRP_SYNTHETIC:
    raise ImproperlyConfigured(
        "BUURTKRACHT_BRP_SYNTHETIC is on under production settings. The synthetic register "
        "is for the demo; unset it and configure BUURTKRACHT_BRP_API_URL."
    )

# Content Security Policy without inline scripts or styles (see core.middleware).
# Messages stay on the server (in the session), not in a cookie: they can name residents,
# and the partner's API token is shown once through one.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if IS_PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)

# How long audit entries are kept. NEN 7513 and the Wmo practice ask for at least five
# years; a shorter period is refused so a typo cannot erase the trail.
AUDIT_RETENTION_YEARS = int(os.environ.get("BUURTKRACHT_AUDIT_RETENTION_YEARS", "5"))
if AUDIT_RETENTION_YEARS < 5:
    raise ImproperlyConfigured(
        "BUURTKRACHT_AUDIT_RETENTION_YEARS is below 5. Audit entries must be kept at least "
        "five years; set 5 or more."
    )

# Anchors of the audit log (docs/operations.md, "Anchors"): the chain's head is written,
# signed, to a file outside the database every few minutes, so that a shortened, emptied
# or recomputed log is noticed. The signing key lives outside the database and is not the
# SECRET_KEY. Production refuses to start without one; development, the demo and the tests
# generate one into DATA_DIR when none is configured.
AUDIT_ANCHOR_KEY = os.environ.get("BUURTKRACHT_AUDIT_ANCHOR_KEY", "")
AUDIT_ANCHOR_KEY_FILE = os.environ.get("BUURTKRACHT_AUDIT_ANCHOR_KEY_FILE", "")
if AUDIT_ANCHOR_KEY_FILE and not AUDIT_ANCHOR_KEY:
    try:
        AUDIT_ANCHOR_KEY = Path(AUDIT_ANCHOR_KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"BUURTKRACHT_AUDIT_ANCHOR_KEY_FILE {AUDIT_ANCHOR_KEY_FILE} cannot be read ({exc}). "
            "Give the application read access to it, or set BUURTKRACHT_AUDIT_ANCHOR_KEY."
        ) from exc
AUDIT_ANCHOR_FILE = Path(
    os.environ.get("BUURTKRACHT_AUDIT_ANCHOR_FILE", DATA_DIR / "audit-anchors.log")
)
# How often `anchor_audit_chain` runs (cron or systemd timer); the privacy officer's page
# warns when the newest anchor is more than twice as old.
AUDIT_ANCHOR_MINUTES = int(os.environ.get("BUURTKRACHT_AUDIT_ANCHOR_MINUTES", "15"))
if IS_PRODUCTION:
    if not AUDIT_ANCHOR_KEY:
        raise ImproperlyConfigured(
            "The audit anchor key is not set. Production signs the anchors of the audit log "
            "with a key kept outside the database: set BUURTKRACHT_AUDIT_ANCHOR_KEY_FILE to a "
            'file holding a long random key (for example from `python -c "import secrets; '
            'print(secrets.token_urlsafe(48))"`), or BUURTKRACHT_AUDIT_ANCHOR_KEY.'
        )
    if AUDIT_ANCHOR_KEY == SECRET_KEY:
        raise ImproperlyConfigured(
            "The audit anchor key equals SECRET_KEY. Use a separate long random key, so that "
            "whoever holds one cannot forge the other."
        )
    if len(AUDIT_ANCHOR_KEY) < 32:
        raise ImproperlyConfigured(
            "The audit anchor key is shorter than 32 characters. Use a long random key."
        )

# Documents on a household file (docs/documents.md): the largest upload in megabytes, and
# how many months after a file was closed its documents are removed (`purge_documents`).
DOCUMENTS_MAX_MB = int(os.environ.get("BUURTKRACHT_DOCUMENTS_MAX_MB", "15"))
DOCUMENTS_RETENTION_MONTHS = int(os.environ.get("BUURTKRACHT_DOCUMENTS_RETENTION_MONTHS", "24"))
if DOCUMENTS_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured(
        "BUURTKRACHT_DOCUMENTS_RETENTION_MONTHS is below 1. Set the number of months after "
        "a file is closed that its documents are kept, for example 24."
    )
# ClamAV's daemon (clamd) that scans every uploaded document: a Unix socket path
# (/run/clamav/clamd.ctl) or host:port (127.0.0.1:3310). Empty: documents are stored
# unscanned and the page says so. Configured but not answering: uploads are refused.
CLAMAV_SOCKET = os.environ.get("BUURTKRACHT_CLAMAV_SOCKET", "").strip()
CLAMAV_TIMEOUT_SECONDS = float(os.environ.get("BUURTKRACHT_CLAMAV_TIMEOUT_SECONDS", "30"))


# Login through OpenID Connect (docs/operations.md, "Logging in with DigiD and with the
# organisation account"): one provider for residents (a DigiD broker, matched by BSN) and
# one for staff (the municipality's Entra ID, ADFS or Keycloak, matched to an existing
# account). Each is off until its endpoints, client id and secret are all set; a
# half-filled one is named by `manage.py check` (accounts/oidc.py).
def _oidc_provider(kind: str, **extra: object) -> dict[str, object]:
    prefix = f"BUURTKRACHT_OIDC_{kind}_"
    secret = os.environ.get(prefix + "CLIENT_SECRET", "")
    secret_file = os.environ.get(prefix + "CLIENT_SECRET_FILE", "")
    if secret_file and not secret:
        try:
            secret = Path(secret_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{prefix}CLIENT_SECRET_FILE {secret_file} cannot be read ({exc}). Give the "
                f"application read access to it, or set {prefix}CLIENT_SECRET."
            ) from exc
    return {
        "AUTHORIZATION_ENDPOINT": os.environ.get(prefix + "AUTHORIZATION_ENDPOINT", "").strip(),
        "TOKEN_ENDPOINT": os.environ.get(prefix + "TOKEN_ENDPOINT", "").strip(),
        "USERINFO_ENDPOINT": os.environ.get(prefix + "USERINFO_ENDPOINT", "").strip(),
        "JWKS_ENDPOINT": os.environ.get(prefix + "JWKS_ENDPOINT", "").strip(),
        "ISSUER": os.environ.get(prefix + "ISSUER", "").strip(),
        "CLIENT_ID": os.environ.get(prefix + "CLIENT_ID", "").strip(),
        "CLIENT_SECRET": secret,
        "SCOPES": os.environ.get(prefix + "SCOPES", "openid"),
        "SIGN_ALGO": os.environ.get(prefix + "SIGN_ALGO", "RS256"),
        "ACR_VALUES": os.environ.get(prefix + "ACR_VALUES", "").strip(),
        "USE_PKCE": env_bool(prefix + "USE_PKCE", default=True),
        **extra,
    }


OIDC_RESIDENT = _oidc_provider(
    "RESIDENT",
    # The claim that carries the BSN: brokers name it differently ("bsn", "nl:bsn",
    # "urn:nl-eid-gdi:1.0:id:BSN"); some put it in "sub".
    BSN_CLAIM=os.environ.get("BUURTKRACHT_OIDC_RESIDENT_BSN_CLAIM", "bsn").strip(),
)
OIDC_STAFF = _oidc_provider(
    "STAFF",
    # Which claim names the account, and which field of the account it must equal
    # ("email" or "username"): Entra ID sends "email" or "preferred_username" (the UPN).
    MATCH_CLAIM=os.environ.get("BUURTKRACHT_OIDC_STAFF_MATCH_CLAIM", "email").strip(),
    MATCH_FIELD=os.environ.get("BUURTKRACHT_OIDC_STAFF_MATCH_FIELD", "email").strip(),
    # The provider asserts a second factor when the id_token's "amr" holds one of these,
    # or its "acr" is one of these: then Buurtkracht does not ask its own code.
    MFA_AMR=env_list("BUURTKRACHT_OIDC_STAFF_MFA_AMR", "mfa"),
    MFA_ACR=env_list("BUURTKRACHT_OIDC_STAFF_MFA_ACR"),
)
OIDC_TIMEOUT_SECONDS = float(os.environ.get("BUURTKRACHT_OIDC_TIMEOUT_SECONDS", "10"))
if IS_PRODUCTION:
    for _kind, _provider in (("RESIDENT", OIDC_RESIDENT), ("STAFF", OIDC_STAFF)):
        for _key in (
            "AUTHORIZATION_ENDPOINT",
            "TOKEN_ENDPOINT",
            "USERINFO_ENDPOINT",
            "JWKS_ENDPOINT",
        ):
            _url = str(_provider[_key])
            if _url and not _url.startswith("https://"):
                raise ImproperlyConfigured(
                    f"BUURTKRACHT_OIDC_{_kind}_{_key} must start with https:// in "
                    "production: a login never travels unencrypted."
                )

# Minutes since the last password entry within which an export or bulk action needs no
# new password (Trust issue: re-authentication before an export or a bulk action).
REAUTH_MINUTES = int(os.environ.get("BUURTKRACHT_REAUTH_MINUTES", "5"))

# The name shown in the header; a municipality can set its own.
SITE_NAME = os.environ.get("BUURTKRACHT_SITE_NAME", "Buurtkracht")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
