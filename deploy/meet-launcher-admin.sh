#!/bin/sh
# The admin command for a host set up like deploy/meet-launcher.service: install it as
# /usr/local/bin/meet-launcher (install -m 0755 deploy/meet-launcher-admin.sh /usr/local/bin/meet-launcher).
# It reads the service's settings (DATA_DIR, DATABASE_URL...) from the same file, and run by root it
# runs as the service's user, so every file it makes in DATA_DIR (the store's -wal and -shm too)
# stays the service's: a root-owned one would lock the service out of its own store.
set -eu
env_file=${MEET_LAUNCHER_ENV:-/etc/meet-launcher/meet-launcher.env}
home=${MEET_LAUNCHER_HOME:-/opt/meet-launcher}
user=${MEET_LAUNCHER_USER:-meet-launcher}
export DATA_DIR="${DATA_DIR:-/var/lib/meet-launcher}"
if [ -r "$env_file" ]; then
  set -a
  . "$env_file"
  set +a
fi
if [ "$(id -u)" = 0 ] && id -u "$user" >/dev/null 2>&1; then
  exec runuser -u "$user" -- node "$home/bin/meet-launcher.mjs" "$@"
fi
exec node "$home/bin/meet-launcher.mjs" "$@"
