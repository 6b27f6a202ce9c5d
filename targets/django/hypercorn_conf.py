"""Hypercorn settings that the command line cannot take from the environment
(`hypercorn --config file:hypercorn_conf.py ...`): the worker count, from WEB_CONCURRENCY like
gunicorn's default, so one variable sizes every server."""
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
