"""Django's DATABASES entry from the environment: DATABASE_URL (a libpq URL) or the PG*
variables, so that the target runs against whatever PostgreSQL benchctl (or a user) started.

DATABASE_URL: postgresql://user:password@host:port/dbname?key=value; a `host` query parameter
names a Unix-socket directory (postgresql://user@/dbname?host=/tmp/pg), other parameters pass
to libpq as connection options (sslmode=disable ...). Without DATABASE_URL, PGHOST, PGPORT,
PGUSER, PGPASSWORD and PGDATABASE are read (libpq's own names); PGDATABASE defaults to "tasks".
"""
import os
import urllib.parse


def from_url(url):
    """The DATABASES["default"] dict for a postgresql:// (or postgres://) URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"DATABASE_URL must start with postgresql://, got {url.split(':')[0]}://")
    options = dict(urllib.parse.parse_qsl(parts.query))
    host = options.pop("host", None) or urllib.parse.unquote(parts.hostname or "")
    return {
        "NAME": urllib.parse.unquote(parts.path.lstrip("/")) or "tasks",
        "USER": urllib.parse.unquote(parts.username or ""),
        "PASSWORD": urllib.parse.unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or options.pop("port", "")),
        "OPTIONS": options,
    }


def from_environment(env=os.environ):
    """DATABASES["default"] from DATABASE_URL, else from the PG* variables."""
    url = env.get("DATABASE_URL")
    if url:
        settings = from_url(url)
    else:
        settings = {"NAME": env.get("PGDATABASE", "tasks"), "USER": env.get("PGUSER", ""),
                    "PASSWORD": env.get("PGPASSWORD", ""), "HOST": env.get("PGHOST", ""),
                    "PORT": env.get("PGPORT", ""), "OPTIONS": {}}
    settings["ENGINE"] = "django.db.backends.postgresql"
    # Django's default, 0: a connection per request, as in the source's untuned project.
    settings["CONN_MAX_AGE"] = int(env.get("DJANGO_CONN_MAX_AGE", "0"))
    return settings
