#!/usr/bin/env bash
# Runs every test on a clean machine that has only the .NET SDK: installs what the tests drive for
# real (Debian's Chromium for the browser test, HAProxy for the load balancer tests, PostgreSQL for the
# state store on its second engine), then the suite, then the state-store suites again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
# Debian keeps the server's programs off PATH; the test fixture (tests/TestCommon/Storage/PostgresCluster.cs) looks here too.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} (Debian packages) for the tests..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Every wait inside a test is bounded (tests/TestCommon/Wait.cs); this is the net for a hang nobody
# foresaw. A test process in which no test starts or ends for the hang timeout is dumped and killed,
# and the tests it was still running are named below, so the run ends instead of hanging
# (HANG_TIMEOUT=30s bash eng/test.sh shortens the wait, e.g. to see the net work).
results="$PWD/TestResults"
hang_timeout="${HANG_TIMEOUT:-5m}"
rm -f "$results"/*_hang.log "$results"/*_hang.dmp
status=0
dotnet test --solution Bot.sln --results-directory "$results" \
    --hangdump --hangdump-timeout "$hang_timeout" --hangdump-type Mini "$@" || status=$?

# The suites that drive the stores, once more with every store on PostgreSQL (a throwaway cluster per test
# process, a database per test: tests/TestCommon/Storage/TestStateStore.cs). The first run covered PostgreSQL's
# own tests; this one is the same store behaviour on the second engine.
for suite in "tests/Integrations.Tests --filter-namespace ChatOps.Integrations.Tests.Storage* --filter-namespace ChatOps.Integrations.Tests.Chat.*
    --filter-namespace ChatOps.Integrations.Tests.WebChat* --filter-namespace ChatOps.Integrations.Tests.Discord.Gateway* --filter-namespace ChatOps.Integrations.Tests.Teams*" \
    "tests/Bot.Tests" "tests/Radiator.Tests"; do
    # shellcheck disable=SC2086 # the suite's words are its project and filters
    CHATOPS_TEST_STORAGE=Postgres dotnet test --no-build --results-directory "$results" \
        --hangdump --hangdump-timeout "$hang_timeout" --hangdump-type Mini --project $suite "$@" || status=$?
done

shopt -s nullglob
hangs=("$results"/*_hang.log)
if ((${#hangs[@]})); then
    echo "HUNG: no test started or finished for $hang_timeout; these were still running when their process was stopped:"
    for log in "${hangs[@]}"; do
        echo "  $(basename "$log" .log):"
        sed 's/^/    /' "$log"
    done
    ((status)) || status=1
fi
exit "$status"
