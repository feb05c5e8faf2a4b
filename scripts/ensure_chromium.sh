#!/usr/bin/env bash
# The browser checks of `make test` (the coverage report, the Airflow UI) drive a headless
# Chromium. Debian's package is the one source this project relies on: installed here when
# it is missing and apt-get may be run (as root, or through sudo without a password);
# otherwise this stops with the one command that would install it.
set -euo pipefail

for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "make test needs a headless Chromium for its browser checks; install the 'chromium' package of your system" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "make test needs a headless Chromium for its browser checks: run 'sudo apt-get install -y chromium' once, then make test again" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser checks (once; a few minutes)"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
