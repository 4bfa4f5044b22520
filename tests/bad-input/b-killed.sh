#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 killed (SIGKILL, nothing to clean up with) or interrupted
# (SIGINT, SIGTERM) at each step of a state write (prep --set-prefixes)
# and of a branch rewrite (prep --reorder): strace's fault injection
# sends the signal at the k-th call of each
# system call that changes a file (openat, write, fsync, rename, unlink),
# for every k the whole command makes.  After every kill: the state file
# is the old one or the new one, whole; the branch is at its old tip or
# at the new one with the old kept under refs/kvmx86/backup/ and in the
# reflog; a lock left behind is named by the next kvmx86 with what to do,
# and once that is done the command completes as if never interrupted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../integration/reorder-lib.sh"

command -v strace >/dev/null || skip "strace is not installed"
strace -qq -o /dev/null -e trace=none true 2>/dev/null ||
	skip "strace cannot trace here (ptrace is not permitted)"
# LeakSanitizer cannot run under ptrace (docs/hacking.md)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

SYSCALLS="openat write fsync rename unlink"

# steps DIR ARGS...: for each system call of $SYSCALLS, how often kvmx86
# ARGS calls it in (a copy of) DIR: "openat 12 write 7 ...".
steps() {
	local dir=$1 s
	shift
	rm -rf "$T/count"
	cp -a "$dir" "$T/count"
	(cd "$T/count" && strace -qq -o "$T/count.log" \
		-e trace="$(echo $SYSCALLS | tr ' ' ,)" "$KVMX86" "$@" \
		>/dev/null 2>&1) || fail "kvmx86 $* fails even when not killed"
	for s in $SYSCALLS; do
		printf '%s %s ' "$s" "$(grep -c "^$s(" "$T/count.log")"
	done
}

# ks N: the k to kill at among N calls: all of them up to 10; else the
# first three, the last three and four between (object writes are many,
# and alike: a bound keeps the run short under the sanitizers).
ks() {
	local n=$1 i
	if [ "$n" -le 10 ]; then
		seq 1 "$n"
		return
	fi
	{
		seq 1 3
		for i in 1 2 3 4; do echo $((3 + i * (n - 6) / 5)); done
		seq $((n - 2)) "$n"
	} | sort -nu
}

# killed_at DIR SYSCALL K ARGS...: a fresh copy of DIR in $T/k, where
# kvmx86 ARGS gets $SIG at its K-th SYSCALL; RC is what it exited with.
killed_at() {
	local dir=$1 sc=$2 k=$3
	shift 3
	rm -rf "$T/k"
	cp -a "$dir" "$T/k"
	cd "$T/k"
	LAST_CMD="(SIG$SIG at $sc #$k) kvmx86$(printf ' %q' "$@")"
	RC=0
	strace -qq -o /dev/null -e trace="$sc" \
		-e inject="$sc":signal="$SIG":when="$k" \
		"$KVMX86" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# recover ARGS...: reruns kvmx86 ARGS; each lock that the killed one left
# is reported (exit 128, or 1 for a refused rewrite; the lock and "rm"),
# removed as the hint says, and the command run again.
recover() {
	local lock tries=0
	run_kvmx86 "$@"
	# a SIGKILL may leave two: the state's and a ref's, named one by one
	while { [ "$RC" = 128 ] || [ "$RC" = 1 ]; } && grep -q "\.lock" "$ERR" &&
	      [ $tries -lt 3 ]; do
		expect_stderr_contains "hint: "
		lock=$(sed -n "s/.*rm '\([^']*\.lock\)'.*/\1/p" "$ERR" | head -1)
		[ -n "$lock" ] && [ -e "$lock" ] ||
			fail "the lock left behind is not named with the command that clears it"
		rm -f "$lock"
		tries=$((tries + 1))
		run_kvmx86 "$@"
	done
	expect_exit 0
}

# interrupted: kvmx86 died of $SIG, or caught it and said so (exit 2 or
# 128 + the signal, as git and kvmx86 test do); a signal it can catch
# leaves none of its locks (the state's, a ref's) behind
interrupted() {
	case $SIG:$RC in
	KILL:137|INT:130|INT:2|TERM:143|TERM:2) ;;
	*) fail "SIG$SIG: exit $RC" ;;
	esac
	[ "$SIG" = KILL ] && return
	find .git -name '*.lock' | grep -q . &&
		fail "SIG$SIG left a lock: $(find .git -name '*.lock')"
	return 0
}

cd "$(sample_repo)"
repo=$PWD
git checkout -q x86/vmx/good-series
run_kvmx86 prep --enroll
expect_exit 0
sf_name=$(state_name x86/vmx/good-series)

for SIG in KILL INT TERM; do
note "prep --set-prefixes: SIG$SIG at each step of its state write"
kills=0
set -- $(steps "$repo" prep --set-prefixes RFC)
while [ $# -gt 0 ]; do
	sc=$1 n=$2
	shift 2
	for k in $(ks "$n"); do
		killed_at "$repo" "$sc" "$k" prep --set-prefixes RFC
		[ "$RC" = 0 ] && continue	# the call was after the work
		interrupted
		kills=$((kills + 1))
		sf=$(state_dir)/$sf_name
		prefixes=$(jq -c .prefixes "$sf") ||
			fail "the state file is not whole after a kill at $sc #$k"
		case $prefixes in
		'[]'|'["RFC"]') ;;
		*) fail "the state file holds $prefixes after a kill at $sc #$k" ;;
		esac
		recover prep --set-prefixes RFC
		[ "$(jq -c .prefixes "$sf")" = '["RFC"]' ] ||
			fail "after a kill at $sc #$k and a rerun: $(jq -c .prefixes "$sf")"
		cd "$repo"
	done
done
[ "$kills" -ge 5 ] || fail "only $kills kills: the steps were not found"
note "$kills interruptions of the state write"
done

b=x86/misc/timer
series_regression "$b"
# a written cover letter: prep --check is clean but for what is killed
git config "branch.$b.description" "$(printf 'KVM: x86: Keep LAPIC timer interrupts\n\nWhy.')"
run_kvmx86 prep --enroll
expect_exit 0
old=$(sha "$b")
old_tree=$(git rev-parse "$b^{tree}")
# the order a whole run makes
rm -rf "$T/whole"
cp -a "$repo" "$T/whole"
(cd "$T/whole" && "$KVMX86" prep --reorder >/dev/null 2>&1) ||
	fail "prep --reorder fails even when not killed"
git -C "$T/whole" log --format=%s "$old~4..$b" >"$T/want"
for SIG in KILL INT TERM; do
note "prep --reorder: SIG$SIG at each step of the rewrite"
kills=0
set -- $(steps "$repo" prep --reorder)
while [ $# -gt 0 ]; do
	sc=$1 n=$2
	shift 2
	for k in $(ks "$n"); do
		killed_at "$repo" "$sc" "$k" prep --reorder
		[ "$RC" = 0 ] && continue
		interrupted
		kills=$((kills + 1))
		tip=$(sha "$b")
		if [ "$tip" != "$old" ]; then
			[ "$(sha "refs/kvmx86/backup/$b/1")" = "$old" ] ||
				fail "$b moved without its backup ref (killed at $sc #$k)"
			git reflog show --format=%H "refs/heads/$b" | grep -q "^$old$" ||
				fail "the old tip is not in $b's reflog (killed at $sc #$k)"
		fi
		[ "$(git rev-parse "$b^{tree}")" = "$old_tree" ] ||
			fail "the tip's tree changed (killed at $sc #$k)"
		git fsck --no-dangling --connectivity-only "$b" >/dev/null 2>&1 ||
			fail "$b is not whole after a kill at $sc #$k"
		# what is left to do is done by a rerun
		if [ "$tip" = "$old" ]; then
			recover prep --reorder
		else
			recover prep --check
		fi
		git log --format=%s "$old~4..$b" >"$T/got"
		diff -u "$T/want" "$T/got" ||
			fail "not the order of a whole run after a kill at $sc #$k"
		cd "$repo"
	done
done
[ "$kills" -ge 5 ] || fail "only $kills kills: the steps were not found"
note "$kills interruptions of the rewrite"
done
