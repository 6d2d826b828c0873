#!/usr/bin/env bash
# Runs every test on a clean machine that has only the .NET SDK: installs what the tests drive for
# real (Debian's Chromium for the browser test, HAProxy for the load balancer tests), then the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} (Debian packages) for the tests..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

exec dotnet test --solution Bot.sln "$@"
