#!/bin/sh
# `needlepoint` for the administrator: any command with the services' environment.
# Install: install -m 755 deploy/needlepoint.sh /usr/local/bin/needlepoint
# Use:     sudo -u needlepoint needlepoint doctor
set -a
. /srv/needlepoint/.env
set +a
exec /srv/needlepoint/venv/bin/needlepoint "$@"
