"""URL table: the tasks API under /api/ (the source's endpoint) and /health for readiness."""
from django.http import HttpResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tasks.views import TaskViewSet

router = SimpleRouter()
router.register("tasks", TaskViewSet)


def health(request):
    """Readiness probe: 200 "ok" without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("health", health),
    path("api/", include(router.urls)),
]
