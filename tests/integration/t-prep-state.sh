#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The state file: a corrupt, truncated or newer-schema file is a fatal error
# naming the file, never changed; unknown keys survive a rewrite; writes go
# through a temporary file and a rename; no other *.json file appears in
# the state directory; '/' and '%' are escaped in the file name.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
git config "branch.$b.description" "$(printf 'KVM: VMX: State tests\n\nBody.')"
run_kvmx86 prep --enroll
expect_exit 0
sd=$(state_dir)
sf=$(state_file "$b")
[ "$sf" = "$sd/x86%2Fvmx%2Fgood-series.json" ] || fail "bad state_file helper"
[ -f "$sf" ] || fail "no $sf"
jq -e . "$sf" >/dev/null || fail "the state file is not JSON"
cp "$sf" "$T/good.json"
refs_snapshot "$T/refs.before"

# expect_bad_state WHAT: every action on the branch fails with 128, names
# the file, and leaves it byte-identical.
expect_bad_state() {
	local what=$1
	cp "$sf" "$T/bad.json"
	printf '%s\n' "KVM: VMX: X" "" "Y" >"$T/cover.txt"
	make_editor "$T/editor" "$T/cover.txt"
	local -a actions=(
		"--show-info"
		"--show-info branch"
		"--show-info --json"
		"--set-prefixes RFC"
		"--force-revision 2"
		"--edit-cover"
		"--compare-to v1"
		"--cleanup"
		"--cleanup --force"
		"--enroll"
	)
	local a
	for a in "${actions[@]}"; do
		# shellcheck disable=SC2086
		run_env GIT_EDITOR="$T/editor" -- prep $a
		expect_fatal "$(basename "$sf")"
		expect_stdout_empty
		expect_same_file "$sf" "$T/bad.json" "$what: prep $a"
	done
	# ... also with REV from another branch
	git checkout -q master
	run_kvmx86 prep --show-info "$b"
	expect_fatal "$(basename "$sf")"
	run_kvmx86 prep --set-prefixes RFC "$b"
	expect_fatal "$(basename "$sf")"
	expect_same_file "$sf" "$T/bad.json" "$what: prep ... REV"
	git checkout -q "$b"
	expect_refs_unchanged "$T/refs.before" "$what"
	[ -z "$(ls "$sd" | grep -v -x "$(basename "$sf")")" ] ||
		fail "$what: other files appeared in $sd: $(ls "$sd")"
}

note "corrupt"
printf '{"schema_version": 1, "branch": "%s", garbage\n' "$b" >"$sf"
expect_bad_state corrupt

note "not an object"
printf '[1, 2, 3]\n' >"$sf"
expect_bad_state "not an object"

note "empty file"
: >"$sf"
expect_bad_state empty

note "truncated"
head -c $(($(wc -c <"$T/good.json") / 2)) "$T/good.json" >"$sf"
expect_bad_state truncated

note "newer schema_version"
jq '.schema_version = 3' "$T/good.json" >"$sf"
expect_bad_state "schema_version 3"
expect_stderr_matches '[Ss]chema|version|newer'

note "the good file again"
cp "$T/good.json" "$sf"
run_kvmx86 prep --show-info
expect_exit 0

note "unknown keys are kept when kvmx86 rewrites the file"
jq '. + {"future_key": {"nested": [1, "two", null]}, "another_future": "x"}' \
	"$T/good.json" >"$sf"
# A hard link keeps the old inode alive (no reuse), and shows whether the
# old file was written in place.
ln "$sf" "$T/hold.json"
cp "$sf" "$T/hold.copy"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
read_state "$b"
expect_json '.prefixes | join(",")' RFC
expect_json '.future_key | tojson' '{"nested":[1,"two",null]}'
expect_json .another_future x
expect_json .schema_version 2
run_kvmx86 prep --force-revision 2
expect_exit 0
read_state "$b"
expect_json '.future_key.nested[1]' two
expect_json .revision 2

note "written through a new file renamed over the old one"
[ "$(stat -c %i "$sf")" != "$(stat -c %i "$T/hold.json")" ] ||
	fail "the state file was rewritten in place (same inode), not replaced by a rename"
expect_same_file "$T/hold.json" "$T/hold.copy" "the old state file (hard link)"
rm -f "$T/hold.json"
if command -v strace >/dev/null 2>&1 &&
   strace -f -o "$T/strace.probe" true 2>/dev/null; then
	LAST_CMD="strace kvmx86 prep --set-prefixes RESEND"
	RC=0
	# (LeakSanitizer cannot run under ptrace: off for this run)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -e trace=openat,rename,renameat,renameat2,fsync,fdatasync \
		-o "$T/strace.txt" "$KVMX86" prep --set-prefixes RESEND \
		>"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_exit 0
	grep -qE 'rename(at2?)?\(.*good-series\.json' "$T/strace.txt" ||
		fail "no rename onto the state file: $(grep -E 'rename|fsync' "$T/strace.txt")"
	grep -qE '(fsync|fdatasync)\(' "$T/strace.txt" || fail "no fsync before the rename"
	! grep -E 'openat\(.*good-series\.json", O_WRONLY' "$T/strace.txt" |
		grep -q O_TRUNC || fail "the state file (or a temporary *.json) was opened with O_TRUNC"
else
	note "(no working strace: rename/fsync not traced)"
fi

note "no other *.json file in the state dir, nothing left behind"
ls -A "$sd" >"$T/ls"
[ "$(cat "$T/ls")" = "$(basename "$sf")" ] || fail "the state dir holds: $(cat "$T/ls")"

note "'%' in a branch name is escaped as %25, '/' as %2F"
git branch --no-track "x86/misc/100%-done" "$b"
git branch --no-track "x86/misc/100%2F" "$b"
refs_snapshot "$T/refs.before"
# (check-base refuses names unsafe to paste into a shell: --base)
run_kvmx86 prep --enroll "x86/misc/100%-done" --base "$(sha refs/remotes/kvm-x86/next)"
expect_exit 0
[ -f "$sd/x86%2Fmisc%2F100%25-done.json" ] ||
	fail "no x86%2Fmisc%2F100%25-done.json in: $(ls "$sd")"
run_kvmx86 prep --enroll "x86/misc/100%2F" --base "$(sha refs/remotes/kvm-x86/next)"
expect_exit 0
[ -f "$sd/x86%2Fmisc%2F100%252F.json" ] ||
	fail "no x86%2Fmisc%2F100%252F.json in: $(ls "$sd")"
run_kvmx86 prep --set-prefixes RFC "x86/misc/100%2F"
expect_exit 0
read_state "x86/misc/100%-done"
expect_json '.prefixes | length' 0
expect_json .branch "x86/misc/100%-done"
read_state "x86/misc/100%2F"
expect_json '.prefixes | join(",")' RFC
expect_json .branch "x86/misc/100%2F"
ls -A "$sd" | LC_ALL=C sort >"$T/ls"
printf '%s\n' 'x86%2Fmisc%2F100%252F.json' 'x86%2Fmisc%2F100%25-done.json' \
	'x86%2Fvmx%2Fgood-series.json' | LC_ALL=C sort | diff -u - "$T/ls" ||
	fail "unexpected files in the state dir"

expect_refs_unchanged "$T/refs.before" "state tests"
