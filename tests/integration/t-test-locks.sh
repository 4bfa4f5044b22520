#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test's worktrees are locked while a run uses them: a second run
# on the same branch is refused, naming the first one's pid, instead of
# moving HEAD under its commands; after kvmx86 was killed (SIGKILL, no
# chance to stop its commands) a rerun does not trust the worktrees those
# commands still run in: it tests in new ones, says so, and the old ones
# go once nothing runs there.
. "$(dirname "$0")/lib.sh"

repo="$T/proj"
git init -q -b master "$repo"
cd "$repo"
printf 'one\n' >file
git add file
git commit -q -m "Start"
git checkout -q -b x86/misc/locks
for i in 1 2 3 4; do
	printf '%s\n' "$i" >>file
	git commit -q -am "KVM: x86: Add $i"
done
run_kvmx86 prep --enroll --base master
expect_exit 0
wtdir=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/worktrees/x86-misc-locks-$(printf %s x86/misc/locks | git hash-object --stdin | cut -c1-10)

# each commit: its file and HEAD as checked out stay so while the command runs
check=(sh -c 'before=$(cat file); head=$(git rev-parse HEAD); sleep 1; [ "$(cat file)" = "$before" ] && [ "$(git rev-parse HEAD)" = "$head" ]')

note "a second run on the branch is refused while the first one runs"
"$KVMX86" test -j 2 --rerun -- "${check[@]}" >"$T/first.out" 2>&1 &
first=$!
# up to 30 s: a busy machine makes worktrees slowly
for i in $(seq 300); do
	[ -e "$wtdir/1.lock" ] && [ -s "$wtdir/1.lock" ] && break
	sleep 0.1
done
run_kvmx86 test -j 2 --rerun -- true
expect_fatal "another kvmx86 test is using this worktree (pid $first)"
sf=$(state_file x86/misc/locks)
cp "$sf" "$T/state.running"
run_kvmx86 prep --cleanup --force
expect_fatal "kvmx86 test (pid $first) is running on x86/misc/locks"
cmp -s "$sf" "$T/state.running" || fail "--cleanup changed the state of a series under test"
[ -d "$wtdir/0" ] || fail "--cleanup removed a worktree in use"
wait $first || fail "the first run failed: $(cat "$T/first.out")"
grep -q "4 commits: 4 pass" "$T/first.out" || fail "the first run was disturbed: $(cat "$T/first.out")"
run_kvmx86 test -j 2 --rerun -- true
expect_exit 0

note "killed with its commands running: the rerun tests in new worktrees"
# the commands outlive kvmx86 and then scribble over their worktree
scribble=(sh -c 'sleep 2; echo scribbled >file; sleep 3')
"$KVMX86" test -j 2 --rerun -- "${scribble[@]}" >/dev/null 2>&1 &
killed=$!
for i in $(seq 300); do
	# kvmx86 itself and the two commands
	[ "$(pgrep -f -c "sleep 2; echo scribbled" || true)" -ge 3 ] && break
	sleep 0.1
done
kill -KILL $killed
wait $killed 2>/dev/null || true
run_kvmx86 test --json -j 2 -- sh -c 'sleep 3; ! grep -q scribbled file'
expect_exit 0
expect_json '[.results[].status] | join(" ")' "pass pass pass pass"
expect_json '[.notes[] | select(startswith("commands a killed"))] | length' 2
expect_json '.notes[0] | startswith("commands a killed kvmx86 test (pid '"$killed"') started still run in ")' true
ls -d "$wtdir"/0.gone-* >/dev/null 2>&1 || fail "the old worktree was not set aside: $(ls "$wtdir")"

note "once nothing runs in them, the next run removes the old worktrees"
for i in $(seq 100); do
	pgrep -f "sleep 2; echo scribbled" >/dev/null || break
	sleep 0.1
done
run_kvmx86 test -- true
expect_exit 0
ls -d "$wtdir"/*.gone-* >/dev/null 2>&1 && fail "the old worktrees are still there: $(ls "$wtdir")"
git worktree list --porcelain | grep -q gone && fail "git still lists an old worktree"
true
