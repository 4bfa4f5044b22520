#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --cleanup --force twice in the same second (enrolled again between):
# two archives, neither overwritten.  The second second is made sure of:
# archives of the names the next 30 seconds give are there already.
. "$(dirname "$0")/lib.sh"

enrolled_series
b=x86/vmx/good-series
adir="$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/archive"
stem=$(state_name "$b")
stem=${stem%.json}

read_state "$b"
first=$(json .change_id)
run_kvmx86 prep --cleanup --force
expect_exit 0
expect_stdout_contains "archived the state of $b to $adir/$stem-"

run_kvmx86 prep --enroll
expect_exit 0
read_state "$b"
second=$(json .change_id)
now=$(date +%s)
for s in $(seq -2 30); do
	f="$adir/$stem-$(date -u -d "@$((now + s))" +%Y%m%dT%H%M%S).json"
	[ -e "$f" ] || echo "an archive of the same second $s" >"$f"
done
ls "$adir" >"$T/before"
(cd "$adir" && sha256sum -- * >"$T/sums")
run_kvmx86 prep --cleanup --force
expect_exit 0
new=$(sed -n "s|^archived the state of $b to ||p" "$OUT")
[ -f "$new" ] || fail "no archive $new"
grep -q "\"change_id\": \"$second\"" "$new" || fail "$new is not the second state"
(cd "$adir" && sha256sum -c --quiet "$T/sums") || fail "an archive was overwritten"
grep -l -q "\"change_id\": \"$first\"" "$adir"/* || fail "the first archive is gone"
[ "$(ls "$adir" | wc -l)" = $(($(wc -l <"$T/before") + 1)) ] ||
	fail "expected one archive more"
