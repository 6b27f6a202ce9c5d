"""Settings of the DRF tasks target (source 003's Django side): a default Django project with
Django REST Framework, DEBUG off, PostgreSQL from the environment (see database.py)."""
import os

from task_management import database

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "benchctl-drf-tasks-not-a-secret")

DEBUG = False  # as in the source ("Django running with DEBUG mode turned off")

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "tasks",
]

# startproject's middleware, less sessions and messages (no admin, no logins here).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "task_management.urls"
WSGI_APPLICATION = "task_management.wsgi.application"

DATABASES = {"default": database.from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser",
                               "rest_framework.parsers.JSONParser"],
    # An open API, as the source's: no authentication, so no session lookup and no CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}

# No per-request lines, but a failing view reaches stderr (the cell's log).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
