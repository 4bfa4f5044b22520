#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What a killed git or kvmx86 leaves, and a state that cannot be written:
# a branch's ref lock left behind is named with the command that clears
# it before anything is rewritten; prep -n that cannot write its state
# makes nothing; a read-only state stops --link and --reorder before the
# branch moves.
. "$(dirname "$0")/lib.sh"

enrolled_series
b=x86/vmx/good-series
gd=$(git rev-parse --path-format=absolute --git-common-dir)

note "refs/heads/<branch>.lock left by a killed rewrite"
mkdir -p "$(dirname "$gd/refs/heads/$b.lock")"
echo junk >"$gd/refs/heads/$b.lock"
snapshot "$T/before"
run_kvmx86 prep --link 'a@example.com' --offline
expect_fatal "refs/heads/$b is locked: $gd/refs/heads/$b.lock exists"
expect_stderr_contains "rm '$gd/refs/heads/$b.lock'"
expect_unchanged "$T/before" "a locked branch"
rm "$gd/refs/heads/$b.lock"

note "prep -n whose state cannot be written makes nothing"
mv "$gd/kvmx86/state" "$T/state.saved"
: >"$gd/kvmx86/state"
snapshot "$T/before"
run_kvmx86 prep -n unwritable --topic vmx
expect_fatal
expect_stderr_contains "nothing was made"
git rev-parse -q --verify refs/heads/x86/vmx/unwritable >/dev/null &&
	fail "the branch was made"
expect_unchanged "$T/before" "prep -n with no room for its state"
rm "$gd/kvmx86/state"
mv "$T/state.saved" "$gd/kvmx86/state"

# read_only_state ARGS...: kvmx86 ARGS with the state directory on a
# read-only bind mount of itself (a mount namespace of its own), as
# run_kvmx86 runs it.  Root ignores file modes: a mount is what holds.
read_only_state() {
	LAST_CMD="(read-only state) kvmx86$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	unshare -rm bash -c '
		d=$1; out=$2; err=$3; shift 3
		mount --bind "$d" "$d" && mount -o remount,ro,bind "$d" || exit 99
		exec "$@" >"$out" 2>"$err" </dev/null' ro \
		"$gd/kvmx86/state" "$OUT" "$ERR" "$KVMX86" "$@" || RC=$?
	[ "$RC" != 99 ] || fail "could not mount the state read-only"
}

if command -v unshare >/dev/null && unshare -rm true 2>/dev/null; then
	note "a read-only state: --link and --reorder refuse before the branch moves"
	snapshot "$T/before"
	read_only_state prep --link "https://lore.kernel.org/all/abc@example.com/" --offline
	expect_fatal "Read-only file system"
	expect_unchanged "$T/before" "prep --link with a read-only state"
	. "$(dirname "$0")/../integration/reorder-lib.sh"
	series_regression x86/misc/timer
	run_kvmx86 prep --enroll
	expect_exit 0
	snapshot "$T/before"
	read_only_state prep --reorder
	expect_fatal "Read-only file system"
	expect_unchanged "$T/before" "prep --reorder with a read-only state"
	run_kvmx86 prep --reorder
	expect_exit 0
else
	note "user and mount namespaces are not permitted: the read-only state is not tried"
fi
