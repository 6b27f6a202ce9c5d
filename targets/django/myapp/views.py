"""The benchmarked views of source 000: a fake redis hit and a fake cache set, each as a sync
and an async view.

The source's "fake redis" is no store: each view only simulates the round trip by waiting,
20 ms for a cache hit and 200 ms for a cache set (its value compressed with brotli first), then
answers {"status": "ok"}. Sync views block in time.sleep (cooperative under gunicorn -k gevent,
which monkey-patches it; a thread per request under ASGI); async views await asyncio.sleep.
"""
import asyncio
import time

from django.http import JsonResponse

HIT_SECONDS = 0.02
SET_SECONDS = 0.2
OK = {"status": "ok"}


def sync_cache_hit(request):
    time.sleep(HIT_SECONDS)
    return JsonResponse(OK)


async def async_cache_hit(request):
    await asyncio.sleep(HIT_SECONDS)
    return JsonResponse(OK)


def sync_cache_set(request):
    time.sleep(SET_SECONDS)
    return JsonResponse(OK)


async def async_cache_set(request):
    await asyncio.sleep(SET_SECONDS)
    return JsonResponse(OK)
