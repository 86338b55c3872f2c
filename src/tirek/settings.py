"""Tirek's one settings module.

Every difference between deployments is an environment variable read through the typed helpers in
`tirek.core.env`; the README lists them all. Debug is off unless asked for, and then nothing has a default
that would be unsafe in production.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tirek.core.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
    env_timezone,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("TIREK_DATA_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("TIREK_DEBUG", False)

_DEV_SECRET = "tirek-insecure-development-key-never-use-in-production"  # noqa: S105 (refused below unless debug)
SECRET_KEY = env_str("TIREK_SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("TIREK_SECRET_KEY must be a random string of at least 32 characters.")

ALLOWED_HOSTS = env_list("TIREK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("TIREK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "tirek.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "tirek.core",
    "tirek.audit",
    "tirek.accounts",
    "tirek.directory",
    "tirek.catalog",
    "tirek.people",
    "tirek.cases",
    "tirek.assessments",
    "tirek.plans",
    "tirek.services",
    "tirek.referrals",
    "tirek.support",
    "tirek.courses",
    "tirek.residence",
    "tirek.notifications",
    "tirek.reports",
    "tirek.exports",
    "tirek.emergency",
    "tirek.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tirek.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tirek.accounts.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tirek.core.middleware.ClientAddressMiddleware",
    "tirek.core.middleware.RejectNulMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees a view's refusal first (process_exception runs in reverse order).
    "tirek.core.middleware.RefusalMiddleware",
]

# Content Security Policy: scripts, styles, fonts and images from Tirek's own static files only, no inline
# script anywhere (data for scripts travels in <script type="application/json"> blocks), no framing. Inline
# style attributes stay allowed (a progress bar's width); <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "tirek.urls"
WSGI_APPLICATION = "tirek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tirek.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("TIREK_DATABASE_URL", f"sqlite:///{DATA_DIR / 'tirek.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Sign-in throttling (django-axes, tirek.accounts.throttling): a login is refused from an address after
# TIREK_LOGIN_FAILURES failures there, for TIREK_LOGIN_COOLOFF_MINUTES; a successful sign-in resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("TIREK_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("TIREK_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tirek.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "tirek.accounts.throttling.locked_out"
AXES_VERBOSE = False

# Two-step sign-in (tirek.accounts.two_factor): an authenticator app's code after the password, required for
# the roles listed ("all" for everyone), optional for the others.
TIREK_TWO_FACTOR_ROLES = env_list("TIREK_TWO_FACTOR_ROLES", ["manager", "analyst", "administrator"])
_unknown_roles = set(TIREK_TWO_FACTOR_ROLES) - {
    "all",
    "specialist",
    "coordinator",
    "intake",
    "manager",
    "analyst",
    "administrator",
}
if _unknown_roles:
    raise ImproperlyConfigured(f"TIREK_TWO_FACTOR_ROLES: unknown roles {sorted(_unknown_roles)}")
# API tokens (tirek.accounts.tokens) stop working TIREK_TOKEN_DAYS after they were issued, however busy, and
# sooner after TIREK_TOKEN_IDLE_DAYS without a request.
TIREK_TOKEN_DAYS = env_int("TIREK_TOKEN_DAYS", 30, minimum=1)
TIREK_TOKEN_IDLE_DAYS = env_int("TIREK_TOKEN_IDLE_DAYS", 7, minimum=1)
OTP_TOTP_ISSUER = "Tirek"
OTP_TOTP_THROTTLE_FACTOR = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kazakh is the default, Russian and English one click away.
LANGUAGE_CODE = env_choice("TIREK_LANGUAGE_CODE", "kk", ("kk", "ru", "en"))
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "tirek_language"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tirek.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_timezone("TIREK_TIME_ZONE", "Asia/Almaty")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploads: no request body and no uploaded file is larger than TIREK_UPLOAD_MAX_BYTES (the proxy's
# client_max_body_size matches it, docs/deploy.md). A file over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a
# temporary file that keeps at most that many bytes (tirek.core.uploads); every form takes a single file.
TIREK_UPLOAD_MAX_BYTES = env_int("TIREK_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = TIREK_UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "tirek.core.uploads.BoundedTemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Each kind of upload has its own limit, at most TIREK_UPLOAD_MAX_BYTES, and is recognised by its content, not
# its name: a case document's scan (PDF, PNG, JPEG; tirek.cases.documents; never served from MEDIA_ROOT
# directly) and a journal to import (XLSX or CSV; tirek.people.importing).
TIREK_DOCUMENT_MAX_BYTES = env_int(
    "TIREK_DOCUMENT_MAX_BYTES", TIREK_UPLOAD_MAX_BYTES, minimum=1024, maximum=TIREK_UPLOAD_MAX_BYTES
)
TIREK_IMPORT_MAX_BYTES = env_int(
    "TIREK_IMPORT_MAX_BYTES",
    min(5 * 1024 * 1024, TIREK_UPLOAD_MAX_BYTES),
    minimum=1024,
    maximum=TIREK_UPLOAD_MAX_BYTES,
)
# Emergency access ("break the glass"): how long a manager's opening of a record outside their reach lasts.
TIREK_EMERGENCY_ACCESS_HOURS = env_int("TIREK_EMERGENCY_ACCESS_HOURS", 3, minimum=1, maximum=24)
# IIN look-ups (the API's and the registration page's "is this IIN taken") one user may make in any hour
# (tirek.people.lookup): enough for an intake desk, too few to sweep the register.
TIREK_IIN_LOOKUPS_PER_HOUR = env_int("TIREK_IIN_LOOKUPS_PER_HOUR", 60, minimum=1)
# Counts from 1 to this minus one are shown to analysts as "<N" in reports (small-count suppression).
TIREK_SMALL_COUNT_THRESHOLD = env_int("TIREK_SMALL_COUNT_THRESHOLD", 5, minimum=1)
# Exports: a list longer than SYNC_ROWS is written in the background, reporting its progress every
# PROGRESS_ROWS rows; finished files are kept KEEP_DAYS days.
TIREK_EXPORT_SYNC_ROWS = env_int("TIREK_EXPORT_SYNC_ROWS", 2000, minimum=1)
TIREK_EXPORT_PROGRESS_ROWS = env_int("TIREK_EXPORT_PROGRESS_ROWS", 2000, minimum=1)
TIREK_EXPORT_KEEP_DAYS = env_int("TIREK_EXPORT_KEEP_DAYS", 7, minimum=1)
# Retention (README "Retention", tirek.operations.retention): years after a person's last record of each type
# ended before `tirek retention --apply` anonymises them. Finished exports are kept TIREK_EXPORT_KEEP_DAYS.
TIREK_RETENTION_YEARS = env_int("TIREK_RETENTION_YEARS", 10, minimum=1, maximum=100)
TIREK_RETENTION = {
    "case": TIREK_RETENTION_YEARS,
    "appeal": env_int("TIREK_RETENTION_APPEAL_YEARS", TIREK_RETENTION_YEARS, minimum=1, maximum=100),
}

# Background tasks (large exports, the refresh of report aggregates): queued in the database and run by
# `tirek worker`; "immediate" runs them at once in the request (tests, a single-process trial).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env_choice("TIREK_TASKS", "database", ("database", "immediate"))],
        "QUEUES": ["default"],
    }
}

# E-mail: the console in development; SMTP inside Kazakhstan in production (personal data law).
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[env_choice("TIREK_EMAIL_BACKEND", "console", ("console", "smtp"))]
EMAIL_HOST = env_str("TIREK_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TIREK_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("TIREK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TIREK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TIREK_EMAIL_USE_TLS", False)
# Where users reach Tirek: links in e-mails (invitations) point here.
TIREK_BASE_URL = env_str("TIREK_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("TIREK_DEFAULT_FROM_EMAIL", "tirek@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Cookies are secure whenever debug is off; the TLS settings below depend on the proxy in front of
# Tirek and are therefore switched on by the deployment (docs in the README).
SESSION_COOKIE_SECURE = env_bool("TIREK_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# A session lasts TIREK_SESSION_SECONDS from sign-in whatever the activity, and ends sooner after
# TIREK_SESSION_IDLE_MINUTES without a request (tirek.accounts.sessions).
SESSION_COOKIE_AGE = env_int("TIREK_SESSION_SECONDS", 12 * 60 * 60, minimum=60)
TIREK_SESSION_IDLE_MINUTES = env_int("TIREK_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_NAME = "tirek_session"
CSRF_COOKIE_NAME = "tirek_csrftoken"
# Behind the TLS proxy (docs/deploy.md) Django learns the scheme from X-Forwarded-Proto, so redirecting plain
# HTTP to HTTPS is safe and is then the default (the proxy redirects too; this covers a request that reaches
# Tirek another way).
_BEHIND_TLS_PROXY = env_bool("TIREK_BEHIND_TLS_PROXY", False)
if _BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("TIREK_SSL_REDIRECT", _BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("TIREK_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("TIREK_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 asks every site with HSTS to send "preload" too. Preloading puts the whole registrable
    # domain (often a ministry's or an akimat's, with other services on it) into the browsers' built-in list:
    # a decision for that domain's owner, not for one application, and one that takes months to undo. ASVS
    # level 2 does not ask for it: without it only a browser's very first visit, typed without https://, can
    # be downgraded; from then on HSTS holds. A deployment that owns its domain opts in: TIREK_HSTS_PRELOAD=1.
    "security.W021",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tirek.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tirek.core.pagination.TirekCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "tirek.core.errors.api_exception_handler",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tirek API",
    "DESCRIPTION": "Interagency case management and reporting for children's services in Kazakhstan. "
    'Every error has the shape {"error": {"code", "message", "fields"}}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tirek.core.api.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "tirek.directory.choices.OrganisationKind",
        "ProgrammeKindEnum": "tirek.directory.choices.ProgrammeKind",
        "MemberRoleEnum": "tirek.accounts.choices.Role",
        "FamilyRoleEnum": "tirek.people.choices.FamilyRole",
        "CaseStatusEnum": "tirek.cases.choices.CaseStatus",
        "OpenCaseStatusEnum": "tirek.cases.choices.OPEN_STATUS_CHOICES",
        "InstrumentKindEnum": "tirek.assessments.choices.InstrumentKind",
        "PlanStatusEnum": "tirek.plans.choices.PlanStatus",
        "DevelopmentalDomainEnum": "tirek.plans.choices.Domain",
        "FrequencyPeriodEnum": "tirek.plans.choices.FrequencyPeriod",
        "ServiceModeEnum": "tirek.plans.choices.ServiceMode",
        "GoalRatingEnum": "tirek.plans.choices.GoalRating",
        "VisitStatusEnum": "tirek.services.choices.VisitStatus",
        "ExportFormatEnum": "tirek.exports.choices.ExportFormat",
        "FormatEnum": "tirek.services.choices.VisitFormat",
        "VisitOutcomeEnum": "tirek.services.choices.OUTCOME_CHOICES",
        "GroupActivityStatusEnum": "tirek.services.choices.GroupActivityStatus",
        "GroupActivityEditableStatusEnum": "tirek.services.choices.GROUP_EDITABLE_STATUS_CHOICES",
        "GroupActivityKindEnum": "tirek.services.choices.GroupActivityKind",
        "OutcomeRatingEnum": "tirek.cases.choices.OutcomeRating",
        "ClosureDestinationEnum": "tirek.cases.choices.ClosureDestination",
        "PauseReasonEnum": "tirek.cases.choices.PauseReason",
        "DeadlineClockEnum": "tirek.cases.choices.DeadlineClock",
        "DeadlineStateEnum": "tirek.cases.choices.DeadlineState",
        "TransitionStepEnum": "tirek.cases.choices.TransitionStep",
        "CaseDocumentKindEnum": "tirek.cases.choices.DocumentKind",
        "PartnershipStatusEnum": "tirek.directory.choices.PartnershipStatus",
        "CourseKindEnum": "tirek.courses.choices.CourseKind",
        "CourseStatusEnum": "tirek.courses.choices.CourseStatus",
        "CourseEnrolmentStatusEnum": "tirek.courses.choices.EnrolmentStatus",
        "FacilityKindEnum": "tirek.residence.choices.FacilityKind",
        "AppealStatusEnum": "tirek.support.choices.AppealStatus",
        "AppealChannelEnum": "tirek.support.choices.AppealChannel",
        "HelplineChannelEnum": "tirek.support.choices.HELPLINE_CHANNEL_CHOICES",
        "AidKindEnum": "tirek.support.choices.AidKind",
        "OutcomeKindEnum": "tirek.support.choices.OutcomeKind",
        "ReferralStatusEnum": "tirek.referrals.choices.ReferralStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("TIREK_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
