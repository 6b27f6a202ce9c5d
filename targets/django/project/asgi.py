"""ASGI entry point for Gunicorn's Uvicorn worker and Hypercorn: `project.asgi:application`.

The source ran Django 5.0, whose ASGI handler gives every request its own thread-sensitive
context, so sync views run concurrently, each in its own thread. Debian 12 ships Django 3.2,
which runs all sync views of a worker process on one shared thread (one 200 ms cache_set at
a time). Wrapping each request the way Django >= 4.0 does keeps the sync-under-ASGI cells
comparable with the source.
"""
import os

from asgiref.sync import ThreadSensitiveContext
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

django_application = get_asgi_application()


async def application(scope, receive, send):
    """Django's ASGI application, one thread-sensitive context per connection scope."""
    async with ThreadSensitiveContext():
        await django_application(scope, receive, send)
