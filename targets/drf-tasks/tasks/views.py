"""The tasks API: POST /api/tasks/ creates a task from a form (or JSON) body and answers 201
with it; GET /api/tasks/ lists them (100 a page), GET /api/tasks/<id>/ reads one."""
from rest_framework import mixins, viewsets

from tasks.models import Task
from tasks.serializers import TaskSerializer


class TaskViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    queryset = Task.objects.all()
    serializer_class = TaskSerializer
