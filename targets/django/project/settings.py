"""Settings of the "Django Workers" benchmark target (source 000).

Production-like (DEBUG off) and minimal: no database, no admin, no sessions, no templates.
The views only wait on the simulated fake redis and answer JSON.
"""
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "benchctl-django-workers-not-a-secret")

DEBUG = False

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = []

# The default `startproject` middleware minus the ones that need sessions/auth apps: every
# request still goes through a realistic stack (and, under ASGI, its sync/async adaptation).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"

DATABASES = {}

USE_TZ = True

# No per-request lines, but a failing view reaches stderr (the cell's log); Django's default
# would drop it with DEBUG off and no ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
