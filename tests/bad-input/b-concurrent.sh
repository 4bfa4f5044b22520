#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Two kvmx86 at once on one series: every read-modify-write of the state
# holds its lock, so no update is lost; a lock held by a live kvmx86 is
# named with its pid (exit 128), one left by a process that is gone is
# named with the command that clears it.
. "$(dirname "$0")/lib.sh"

enrolled_series
b=x86/vmx/good-series
sf=$(state_file "$b")
lock="$sf.lock"

note "30 pairs of --set-prefixes and --force-revision at the same time"
lost=0
for i in $(seq 1 30); do
	"$KVMX86" prep --set-prefixes "P$i" >"$T/a.out" 2>&1 &
	pa=$!
	"$KVMX86" prep --force-revision $((i + 1)) >"$T/b.out" 2>&1 &
	pb=$!
	ra=0; rb=0
	wait $pa || ra=$?
	wait $pb || rb=$?
	for r in $ra $rb; do
		[ "$r" = 0 ] || [ "$r" = 128 ] || fail "pair $i: exit status $r"
	done
	if [ "$ra" = 128 ]; then
		grep -q "another kvmx86 is working on this series" "$T/a.out" ||
			fail "pair $i: $(cat "$T/a.out")"
	fi
	read_state "$b"
	if [ "$ra" = 0 ] && [ "$(json '.prefixes[0]')" != "P$i" ]; then
		lost=$((lost + 1))
	fi
	if [ "$rb" = 0 ] && [ "$(json .revision)" != $((i + 1)) ]; then
		lost=$((lost + 1))
	fi
done
[ "$lost" = 0 ] || fail "$lost updates of 60 were lost"
[ ! -e "$lock" ] || fail "a lock is left: $lock"

note "a lock held by a live kvmx86"
sleep 60 &
holder=$!
stop_at_exit $holder
printf '%s %s\n' "$holder" "$(hostname)" >"$lock"
snapshot "$T/before"
run_kvmx86 prep --set-prefixes RFC
expect_fatal
expect_message "fatal: another kvmx86 is working on this series (pid $holder)"
expect_stderr_contains "rm '$lock'"
expect_unchanged "$T/before" "a locked series"

note "the lock of a kvmx86 that is gone"
kill $holder
wait $holder 2>/dev/null || true
run_kvmx86 prep --force-revision 40
expect_fatal
expect_message "fatal: a kvmx86 that is gone (pid $holder) left this series locked: $lock"
expect_stderr_contains "hint:   rm '$lock'"
expect_unchanged "$T/before" "a stale lock"
# --edit-cover says so before the editor opens: no text to keep, no
# file that the next edit refuses
printf '#!/bin/sh\necho edited >"$1"\n' >"$T/edit-cover"
chmod +x "$T/edit-cover"
run_env GIT_EDITOR="$T/edit-cover" -- prep --edit-cover
expect_fatal "left this series locked"
[ -z "$(ls -A "$(git rev-parse --git-common-dir)/kvmx86/cover" 2>/dev/null)" ] ||
	fail "--edit-cover kept a file under a stale lock"
expect_unchanged "$T/before" "--edit-cover under a stale lock"
rm "$lock"
run_kvmx86 prep --force-revision 40
expect_exit 0

note "kvmx86 test records its results while the prefixes change"
run_env KX_UNUSED=1 -- test -- sh -c 'sleep 0.3' &
tpid=$!
for i in 1 2 3 4 5 6; do
	"$KVMX86" prep --set-prefixes "Q$i" >/dev/null 2>&1 || true
	sleep 0.1
done
"$KVMX86" prep --set-prefixes QLAST >"$T/q.out" 2>&1 || fail "$(cat "$T/q.out")"
wait $tpid || true
read_state "$b"
expect_json '.prefixes[0]' QLAST
# the results are the repository's (kvmx86-test(1)), beside the states
records=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/test-records.json
[ "$(jq '.records | length' "$records" 2>/dev/null)" = 3 ] ||
	fail "kvmx86 test's results were lost: $(cat "$records" 2>&1)"
expect_json .revision 40
