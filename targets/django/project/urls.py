"""URL table: the four benchmarked views (the source's paths) and /health for readiness."""
from django.http import HttpResponse
from django.urls import path

from myapp import views


def health(request):
    """Readiness probe: 200 "ok" at once, without the simulated redis latency."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("health", health),
    path("myapp/sync/cache_hit", views.sync_cache_hit),
    path("myapp/async/cache_hit", views.async_cache_hit),
    path("myapp/sync/cache_set", views.sync_cache_set),
    path("myapp/async/cache_set", views.async_cache_set),
]
