#!/usr/bin/env bash
# The reverse-proxy test runs Debian's nginx in front of two Rapport processes; install the
# light package when no nginx is present.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing nginx for the reverse-proxy test..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-light >/dev/null \
  || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
