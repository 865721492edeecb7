#!/usr/bin/env bash
# Install what the browser, accessibility and PDF tests need on a Debian machine:
#   chromium        Debian's Chromium, which Playwright drives (no `playwright install` download)
#   poppler-utils   pdfinfo and pdftotext, to read the book's PDF back
#   axe-core        the accessibility engine, from npm at a pinned version, into tools/axe
# Idempotent: what is already there is kept. Offline-safe: when a package cannot be fetched
# it says so and carries on (exit 0); the tests that need it then skip with the same reason.
#
#   tools/install_browser_deps.sh            # everything
#   tools/install_browser_deps.sh --check    # only report what is missing (exit 1 if any)
set -u

# The one pin of axe-core (tools/book_browser.py reads it from here).
AXE_VERSION=4.11.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AXE_DIR="$ROOT/tools/axe"
AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
CHECK_ONLY=0
[ "${1:-}" = "--check" ] && CHECK_ONLY=1
missing=0

say() { printf 'install_browser_deps: %s\n' "$*"; }

have_axe() {
    [ -f "$AXE_JS" ] && grep -q "\"version\": \"$AXE_VERSION\"" \
        "$AXE_DIR/node_modules/axe-core/package.json" 2>/dev/null
}

apt_packages=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || apt_packages+=(chromium)
command -v pdfinfo >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
    || apt_packages+=(poppler-utils)
command -v npm >/dev/null 2>&1 || have_axe || apt_packages+=(npm)

if [ ${#apt_packages[@]} -eq 0 ]; then
    say "chromium and poppler-utils are installed"
elif [ $CHECK_ONLY -eq 1 ]; then
    say "missing apt packages: ${apt_packages[*]}"
    missing=1
else
    sudo=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
    if ! command -v apt-get >/dev/null 2>&1; then
        say "no apt-get here: install ${apt_packages[*]} yourself; the browser tests skip until then"
        missing=1
    elif [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
        say "not root and no sudo: run 'apt-get install ${apt_packages[*]}' as root;" \
            "the browser tests skip until then"
        missing=1
    else
        say "apt-get install ${apt_packages[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! { $sudo apt-get install -y --no-install-recommends "${apt_packages[@]}" \
                || { $sudo apt-get update -q && \
                     $sudo apt-get install -y --no-install-recommends "${apt_packages[@]}"; }; }
        then
            say "could not install ${apt_packages[*]} (offline?); the browser tests skip until then"
            missing=1
        fi
    fi
fi

if have_axe; then
    say "axe-core $AXE_VERSION is in tools/axe"
elif [ $CHECK_ONLY -eq 1 ]; then
    say "axe-core $AXE_VERSION is missing from tools/axe"
    missing=1
elif ! command -v npm >/dev/null 2>&1; then
    say "npm is not installed, so axe-core cannot be fetched; the accessibility test skips"
    missing=1
else
    say "npm install axe-core@$AXE_VERSION into tools/axe"
    mkdir -p "$AXE_DIR"
    if ! npm install --no-save --no-package-lock --no-audit --no-fund --silent \
            --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" || ! have_axe; then
        say "could not fetch axe-core $AXE_VERSION (offline?); the accessibility test skips"
        missing=1
    fi
fi

if [ $missing -ne 0 ] && [ $CHECK_ONLY -eq 0 ]; then
    say "some browser test dependencies are missing (see above); those tests will skip"
    exit 0
fi
exit $missing
