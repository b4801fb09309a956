#!/usr/bin/env bash
# What the full test suite needs besides node_modules: PostgreSQL on 127.0.0.1:5432 (the PostgreSQL
# suites), Debian's chromium (the docs page is checked in a real headless browser) and HAProxy (the
# load-balancer suite).
set -euo pipefail

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

if ! command -v chromium >/dev/null; then
  echo "installing chromium (Debian package) for the docs page test" >&2
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  else
    echo "chromium is missing and this is not root: install Debian's chromium package" >&2
    exit 1
  fi
fi

# The scale-out suite runs three idhub processes behind a real HAProxy (Debian package).
if ! command -v haproxy >/dev/null; then
  echo "installing haproxy (Debian package) for the load-balancer suite" >&2
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy) >&2
  else
    echo "haproxy is missing and this is not root: install Debian's haproxy package" >&2
    exit 1
  fi
fi
