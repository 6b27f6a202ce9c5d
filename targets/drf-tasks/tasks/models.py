"""The one model of source 003: a task with a title and a description, in table `task` (the
table name the source gives, shared with targets/express-tasks so one check fits both)."""
from django.db import models


class Task(models.Model):
    title = models.CharField(max_length=255)
    description = models.TextField()

    class Meta:
        db_table = "task"
        ordering = ["id"]
