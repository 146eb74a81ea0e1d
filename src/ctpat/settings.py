"""All settings, read from the environment in one place.

Nothing set gives a local SQLite portal with the demo relaxations on; production sets
``CTPAT_ENV=production``, ``SECRET_KEY``, ``DATABASE_URL`` and ``ALLOWED_HOSTS``, and the
relaxations are then refused. A malformed value stops start-up with the variable's name.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent.parent


class SettingsError(RuntimeError):
    """A setting from the environment has a value that cannot be used."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


CTPAT_ENV = env_str("CTPAT_ENV", "local")
if CTPAT_ENV not in {"local", "test", "production"}:
    raise SettingsError(f"CTPAT_ENV must be local, test or production, not {CTPAT_ENV!r}")
PRODUCTION = CTPAT_ENV == "production"

_DEV_SECRET = "ctpat-local-development-key-not-for-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise SettingsError("SECRET_KEY must be set to a secret value in production")

DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The local demo may skip the second factor for agency users so a newcomer can log in with the
# printed demo passwords. The log-in page says so whenever it is on; production refuses it.
DEMO_RELAX_2FA = env_bool("CTPAT_DEMO_RELAX_2FA", not PRODUCTION)
if PRODUCTION and DEMO_RELAX_2FA:
    raise SettingsError("CTPAT_DEMO_RELAX_2FA cannot be on in production")

VAR_DIR = Path(env_str("CTPAT_VAR_DIR", str(PROJECT_ROOT / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ctpat.accounts",
    "ctpat.criteria",
    "ctpat.applications",
    "ctpat.agency",
    "ctpat.business_partners",
    "ctpat.declarations",
    "ctpat.api",
    "ctpat.notifications",
    "ctpat.deadlines",
    "ctpat.review",
    "ctpat.validation",
    "ctpat.membership",
    "ctpat.incidents",
    "ctpat.audits",
    "ctpat.compliance",
    "ctpat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ctpat.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves its collected static files itself (``ctpat manage collectstatic``).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "ctpat.urls"
WSGI_APPLICATION = "ctpat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctpat.accounts.context.portal_context",
                "ctpat.notifications.context.unread_notifications",
            ],
        },
    }
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'ctpat.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed log-ins are throttled per user name and address: after AXES_FAILURE_LIMIT failures the
# pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env_int("CTPAT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("CTPAT_LOGIN_THROTTLE", True)

OTP_TOTP_ISSUER = "CTPAT portal"

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PROJECT_ROOT / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Evidence files: the largest accepted upload, in bytes.
EVIDENCE_MAX_BYTES = env_int("CTPAT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ctpat-portal@localhost")

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Program policy (the domain file marks these as settings with defaults).
CERTIFICATION_DAYS = env_int("CTPAT_CERTIFICATION_DAYS", 90)
VALIDATION_DAYS = env_int("CTPAT_VALIDATION_DAYS", 365)
INCIDENT_LATE_REPORT_HOURS = env_int("CTPAT_INCIDENT_LATE_REPORT_HOURS", 24)
# Keeping membership: the annual review window opens this many days before each anniversary of
# the certification; a full revalidation with site visits is due this many years after the last
# validation; a window that closes unsubmitted leads to a "warning" (the officers and the
# specialist are told) or to "corrective_action" (the partner is also put into corrective action).
ANNUAL_REVIEW_WINDOW_DAYS = env_int("CTPAT_ANNUAL_REVIEW_WINDOW_DAYS", 90)
if not 1 <= ANNUAL_REVIEW_WINDOW_DAYS <= 364:  # windows of two years must not overlap
    raise SettingsError("CTPAT_ANNUAL_REVIEW_WINDOW_DAYS must be between 1 and 364")
FULL_REVALIDATION_YEARS = env_int("CTPAT_FULL_REVALIDATION_YEARS", 4)
if FULL_REVALIDATION_YEARS < 1:
    raise SettingsError("CTPAT_FULL_REVALIDATION_YEARS must be at least 1")
ANNUAL_REVIEW_MISSED_CONSEQUENCE = env_str("CTPAT_ANNUAL_REVIEW_MISSED_CONSEQUENCE", "warning")
if ANNUAL_REVIEW_MISSED_CONSEQUENCE not in {"warning", "corrective_action"}:
    raise SettingsError("CTPAT_ANNUAL_REVIEW_MISSED_CONSEQUENCE must be warning or corrective_action")
# Reminders go out this many days before each deadline, and again once it is overdue.
try:
    REMINDER_DAYS_BEFORE = tuple(int(d) for d in env_list("CTPAT_REMINDER_DAYS", ["30", "7", "1"]))
except ValueError as exc:
    raise SettingsError("CTPAT_REMINDER_DAYS must be comma-separated whole numbers, e.g. 30,7,1") from exc
