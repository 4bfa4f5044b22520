#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Series of unusual shape: a binary file, a rename, a mode change, a
# symlink, a 10,000-character line and bytes that are not UTF-8, a
# .mailmap line with '<>', 1000 commits, an empty commit; and output that
# cannot be written (/dev/full, a closed stdout, a pipe whose reader is
# gone).  Each command ends with a documented exit status and no control
# character on the terminal, and changes nothing it should not.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q -b x86/vmx/shapes kvm-x86/next

# commit SUBJECT: commits what is staged, signed off, with a changelog
commit() {
	git commit -q -s -m "$1" -m "The changelog of '$1'."
}

head -c 3000 /dev/urandom >arch/x86/kvm/blob.bin
git add arch/x86/kvm/blob.bin
commit "KVM: x86: Add a binary blob"
git mv arch/x86/kvm/blob.bin arch/x86/kvm/blob2.bin
commit "KVM: x86: Rename the blob"
chmod +x arch/x86/kvm/x86.c
git add arch/x86/kvm/x86.c
commit "KVM: x86: Make x86.c executable"
ln -s x86.c arch/x86/kvm/link.c
git add arch/x86/kvm/link.c
commit "KVM: x86: Add a symlink"
python3 -c "print('x' * 10000)" >>arch/x86/kvm/x86.c
printf '\xff\xfe latin-1 \xe9 \x1b[2J\n' >>arch/x86/kvm/x86.c
git add arch/x86/kvm/x86.c
commit "KVM: x86: Add a long line and bytes that are not UTF-8"
printf 'Tess Ting <tess@example.com> <>\n' >.mailmap
git add .mailmap
commit "KVM: x86: Add a mailmap with an empty address"

# every_command WHAT: each command on the current branch, 0 or 1, its
# output free of control characters, nothing changed
every_command() {
	local args
	snapshot "$T/before"
	for args in "check-base" "prep --check" "prep --cover --offline" \
		"test -- true"; do
		# shellcheck disable=SC2086
		run_kvmx86 $args
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "$LAST_CMD ($1): exit $RC"
		expect_clean_bytes
		# kvmx86 test records its results in the repository's store
		# and --enroll makes a state: the snapshot is taken again
		snapshot "$T/before"
	done
	expect_unchanged "$T/before" "$1"
}

note "binary, rename, mode, symlink, long and non-UTF-8 lines, a .mailmap with <>"
run_kvmx86 prep --enroll
expect_exit 0
every_command "odd changes"

note "a series of 1000 commits"
git checkout -q -b x86/vmx/long kvm-x86/next
next=$(git rev-parse HEAD)
python3 - "$next" <<'EOF' | git fast-import --quiet
import sys
parent = sys.argv[1]
out = sys.stdout
for i in range(1, 1001):
    msg = ('KVM: VMX: Step %d\n\nStep %d of a long series.\n\n'
           'Signed-off-by: Tess Ting <tess@example.com>\n' % (i, i))
    data = ('step %d\n' % i)
    out.write('commit refs/heads/x86/vmx/long\n')
    out.write('committer Tess Ting <tess@example.com> %d +0000\n' % (1700000000 + i))
    out.write('data %d\n%s' % (len(msg), msg))
    if i == 1:
        out.write('from %s\n' % parent)
    out.write('M 100644 inline arch/x86/kvm/vmx/steps.txt\n')
    out.write('data %d\n%s\n' % (len(data), data))
EOF
git reset -q --hard x86/vmx/long
[ "$(git rev-list --count kvm-x86/next..HEAD)" = 1000 ] || fail "not 1000 commits"
run_kvmx86 prep --enroll
expect_exit 0
for args in "check-base" "prep --check" "prep --cover --offline"; do
	snapshot "$T/before"
	# shellcheck disable=SC2086
	run_kvmx86 $args
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "$LAST_CMD: exit $RC"
	expect_clean_bytes
	expect_unchanged "$T/before" "$LAST_CMD on 1000 commits"
done
run_kvmx86 check-base --json
expect_exit 0
[ "$(jq '.commits | length' "$OUT")" = 1000 ] ||
	fail "check-base --json does not list 1000 commits"

note "output that cannot be written: /dev/full, a closed stdout"
for args in "check-base" "prep --check" "prep --show-info" "--help" "--version" "help test" "test --help"; do
	snapshot "$T/before"
	LAST_CMD="kvmx86 $args >/dev/full"
	RC=0
	# shellcheck disable=SC2086
	"$KVMX86" $args >/dev/full 2>"$ERR" </dev/null || RC=$?
	[ "$RC" = 128 ] || fail "$LAST_CMD: exit $RC, not 128"
	expect_stderr_contains "could not write the output"
	LAST_CMD="kvmx86 $args >&-"
	RC=0
	# shellcheck disable=SC2086
	"$KVMX86" $args >&- 2>"$ERR" </dev/null || RC=$?
	[ "$RC" = 128 ] || fail "$LAST_CMD: exit $RC, not 128"
	expect_stderr_contains "could not write the output"
	expect_unchanged "$T/before" "$args with nowhere to write"
done

note "a pipe whose reader is gone: SIGPIPE as git dies of it; ignored, EPIPE is said"
# the 1000 commits' output is more than a pipe holds
for args in "prep --check" "check-base" "test -- true"; do
	snapshot "$T/before"
	LAST_CMD="kvmx86 $args | head -c1"
	# shellcheck disable=SC2086
	RC=$( { "$KVMX86" $args 2>"$ERR" </dev/null; echo $? >"$T/rc"; } | head -c1 >/dev/null; cat "$T/rc")
	[ "$RC" = 141 ] || [ "$RC" = 0 ] || [ "$RC" = 1 ] ||
		fail "$LAST_CMD: exit $RC, not 141 (SIGPIPE)"
	RC=$( { trap '' PIPE; "$KVMX86" $args 2>"$ERR" </dev/null; echo $? >"$T/rc"; } | head -c1 >/dev/null; cat "$T/rc")
	[ "$RC" = 128 ] || fail "$LAST_CMD with SIGPIPE ignored: exit $RC, not 128"
	expect_stderr_contains "could not write the output"
	# test records what it ran: nothing else may change, no lock stays
	[ "$args" = "test -- true" ] || expect_unchanged "$T/before" "$args into a closed pipe"
	ls "$(state_dir)" | grep -q '\.lock$' && fail "$LAST_CMD left a lock"
	run_kvmx86 prep --show-info
	expect_exit 0
done

note "an empty commit: prep --check says so, send refuses naming it"
git checkout -q -b x86/vmx/empty kvm-x86/next
echo "/* one */" >>arch/x86/kvm/x86.c
git add arch/x86/kvm/x86.c
commit "KVM: x86: Change one thing"
git commit -q -s --allow-empty -m "KVM: x86: Change nothing" -m "An empty commit."
empty=$(git rev-parse --short=12 HEAD)
echo "/* two */" >>arch/x86/kvm/x86.c
git add arch/x86/kvm/x86.c
commit "KVM: x86: Change another thing"
git config user.name "Tess Ting"
git config user.email tess@example.com
run_kvmx86 prep --enroll
expect_exit 0
every_command "an empty commit"
run_kvmx86 prep --check
expect_exit 1
expect_stdout_contains "$empty error empty-commit: the commit changes no file"
snapshot "$T/before"
run_kvmx86 send --force -o "$T/empty-mails"
expect_fatal "wrote no mail for $empty"
[ ! -e "$T/empty-mails" ] || fail "send wrote mails for a series it refused"
expect_unchanged "$T/before" "send of a series with an empty commit"
exit 0
