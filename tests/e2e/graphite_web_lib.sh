# Debian's graphite-web on 127.0.0.1 over a given whisper dir, without
# Apache, for the end-to-end tests (sourced, not run; POSIX sh). Needs
# carbon_lib.sh (PY), common.sh (free_ports, port_open, wait_ready) and
# e2e_lib.sh's on_exit:
# gweb_start registers gweb_stop with it.
#   gweb_start DIR WHISPER CARBONLINK
#       settings, sqlite DB and logs under DIR (the test's scratch dir);
#       reads the whisper files under WHISPER, and asks carbon's cache
#       query port CARBONLINK (127.0.0.1:PORT) for points not yet written;
#       runs Django's runserver without its autoreloader (one process, so
#       $! is the server). Sets GWEB_PID, GWEB_PORT, GWEB_URL.
#   gweb_stop    SIGTERM to GWEB_PID only (SIGKILL after 10 s), waits.
#   gweb_get PATH?QUERY FILE    GWEB_URL/PATH?QUERY into FILE; fails on an
#       HTTP error (graphite-web answers a bad target with 400 or 500).
# shellcheck shell=sh
GWEB_PID=

gweb_write_settings() { # gweb_write_settings DIR WHISPER CARBONLINK
  mkdir -p "$1/settings" "$1/storage" "$1/log"
  # A module name of our own: Debian's graphite/settings.py puts
  # /etc/graphite on sys.path, whose local_settings.py must not be loaded.
  cat >"$1/settings/collectd_wmi_graphite_settings.py" <<EOF
# Throwaway graphite-web settings (tests/e2e/graphite_web_lib.sh).
SECRET_KEY = '$("$PY" -c 'import secrets; print(secrets.token_hex(24))')'
ALLOWED_HOSTS = ['127.0.0.1']
TIME_ZONE = 'UTC'
DEBUG = False
GRAPHITE_ROOT = '/usr/share/graphite-web'
STATIC_ROOT = '/usr/share/graphite-web/static'
CONF_DIR = '$1/settings'
STORAGE_DIR = '$1/storage'
# Set explicitly: graphite-web adds WHISPER_DIR to STANDARD_DIRS only if it
# exists when the settings load.
WHISPER_DIR = '$2'
STANDARD_DIRS = ['$2']
STORAGE_FINDERS = ('graphite.finders.standard.StandardFinder',)
INDEX_FILE = '$1/storage/index'
LOG_DIR = '$1/log'
LOG_ROTATION = False
# This run's carbon only (the default 127.0.0.1:7002 could be anybody's).
CARBONLINK_HOSTS = ['$3']
CLUSTER_SERVERS = []
# A render shows every stored point.
DEFAULT_XFILES_FACTOR = 0
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',
                         'NAME': '$1/storage/graphite.db'}}
EOF
}

gweb_start() { # gweb_start DIR WHISPER CARBONLINK
  on_exit gweb_stop
  gweb_write_settings "$1" "$2" "$3"
  # graphite.settings imports GRAPHITE_SETTINGS_MODULE and, if it cannot,
  # prints "Could not import ..., using defaults!" and goes on with
  # /var/lib/graphite: such a line fails the start. The sqlite DB needs
  # its tables (metrics/find reads the auth ones).
  if ! env PYTHONPATH="$1/settings" \
    GRAPHITE_SETTINGS_MODULE=collectd_wmi_graphite_settings \
    DJANGO_SETTINGS_MODULE=graphite.settings \
    "$PY" /usr/bin/django-admin migrate --run-syncdb --noinput \
    >"$1/log/migrate.log" 2>&1 || grep -q 'using defaults' "$1/log/migrate.log"; then
    echo "graphite-web: migrate failed:" >&2
    tail -n 20 "$1/log/migrate.log" >&2
    return 1
  fi
  GWEB_PORT=$(free_ports 1)
  GWEB_URL=http://127.0.0.1:$GWEB_PORT
  env PYTHONPATH="$1/settings" \
    GRAPHITE_SETTINGS_MODULE=collectd_wmi_graphite_settings \
    DJANGO_SETTINGS_MODULE=graphite.settings \
    "$PY" /usr/bin/django-admin runserver --noreload "127.0.0.1:$GWEB_PORT" \
    >"$1/log/runserver.log" 2>&1 8>&- &
  GWEB_PID=$!
  wait_ready "$GWEB_PID" 300 port_open "$GWEB_PORT" # 30 s
  if ! kill -0 "$GWEB_PID" 2>/dev/null || ! port_open "$GWEB_PORT" ||
    grep -q 'using defaults' "$1/log/runserver.log"; then
    echo "graphite-web did not start on $GWEB_URL:" >&2
    tail -n 20 "$1/log/runserver.log" >&2
    gweb_stop
    return 1
  fi
}

gweb_stop() {
  stop_pid "$GWEB_PID" 100
  GWEB_PID=
}

gweb_get() { # gweb_get PATH?QUERY FILE
  "$PY" -c 'import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=60) as r:
        data = r.read()
except urllib.error.URLError as e:
    sys.exit("graphite-web: %s: %s" % (sys.argv[1], e))
with open(sys.argv[2], "wb") as f:
    f.write(data)' "$GWEB_URL/$1" "$2"
}
