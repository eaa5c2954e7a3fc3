#!/bin/sh
# The Debian packages the tests need, installed when missing: Chromium for the browser
# tests (never a browser download), the fonts its screenshots fall back on, and
# PostgreSQL (the tests start their own server from its programs).
# `make test` runs this first. As root it uses apt-get; otherwise `sudo -n` when that works
# without a password; otherwise it stops at once with the one command to run.
set -eu

# The packages (arguments name others, as the test of this script does).
PACKAGES="${*:-chromium fonts-dejavu-core postgresql}"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for package in $PACKAGES; do
    installed "$package" || missing="$missing $package"
done
case " $PACKAGES " in *" chromium "*)
    [ -x /usr/bin/chromium ] || case "$missing" in *chromium*) ;; *) missing="$missing chromium" ;; esac
esac
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "make test needs Chromium at /usr/bin/chromium and these Debian packages:$missing" >&2
    echo "This machine has no apt-get: install them with its own package manager." >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root="sudo -n"
else
    echo "make test needs these Debian packages:$missing" >&2
    echo "Run once:  sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "Installing Debian packages for the tests:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086  # one word per package
$as_root apt-get install -y -qq $missing >/dev/null
case " $PACKAGES " in *" chromium "*)
    test -x /usr/bin/chromium || { echo "chromium installed, but /usr/bin/chromium is missing" >&2; exit 1; }
esac
