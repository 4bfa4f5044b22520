#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Branch names git takes and a shell would not: 200 and 245 characters
# (the state file's name would pass NAME_MAX), and shell metacharacters
# ($(...), backquotes, ;, |, &, <, >, quotes) in the branch, in commit
# subjects and in test's command.  Every command works on them as on any
# name (exit 0, or 1 for findings; check-base refuses a name it could
# not put into the command it prints), and no text runs as a command: no
# file a command substitution would make appears anywhere.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Tess Ting"
git config user.email tess@example.com
next=$(sha refs/remotes/kvm-x86/next)
canary=$T/pwned

# works BRANCH [unsafe]: the branch through every command; check-base
# refuses an unsafe one, whose rebase command could not be pasted
works() {
	local b=$1
	git checkout -q -b "$b" "$next"
	echo "/* one */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -s -am "KVM: VMX: Frob \$(touch $canary-subject) \`touch $canary-bq\`"
	echo "/* two */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -s -am "KVM: VMX: Frob more; touch $canary-semicolon | cat & true"
	run_kvmx86 prep --enroll --base "$next"
	expect_exit 0
	expect_stdout_contains "enrolled "
	run_kvmx86 prep --set-prefixes RFC
	expect_exit 0
	run_kvmx86 prep --show-info
	expect_exit 0
	run_kvmx86 check-base
	if [ "${2:-}" = unsafe ]; then
		# its remedy is a command to paste: such a name is refused there
		expect_fatal "has characters that are unsafe to paste into a shell command"
		expect_stderr_contains "git branch -m"
	else
		expect_exit 0
	fi
	run_kvmx86 prep --check
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "prep --check exited $RC"
	expect_stderr_lacks "fatal: "
	run_kvmx86 test -- sh -c 'printf "%s\n" "$1" >/dev/null' sh "\$(touch $canary-arg)"
	expect_exit 0
	expect_stdout_contains "every commit passes"
	run_kvmx86 prep --cover --offline
	expect_exit 0
	run_kvmx86 send --force -o "$T/mails"
	expect_exit 0
	run_kvmx86 send --dry-run --json
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "send --dry-run exited $RC"
	expect_json '.mails | length' 3
	run_kvmx86 prep --cleanup --force
	expect_exit 0
	rm -rf "$T/mails"
	git checkout -q --detach "$next"
	if find "$T" -name 'pwned*' | grep -q .; then
		find "$T" -name "pwned*" -printf "%p\n" >&2
		fail "a name or subject ran as a command ($b)"
	fi
}

note "a 200-character branch name"
works "x86/vmx/$(printf 'a%.0s' $(seq 1 200))"

note "a 245-character last component: the state's file name is cut and hashed"
long="x86/vmx/$(printf 'b%.0s' $(seq 1 245))"
works "$long"

note "two long names alike up to the cut keep two states"
git checkout -q -b "${long}1" "$next"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
git checkout -q -b "${long}2" "$next"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
[ "$(ls "$(state_dir)" | grep -c '~')" = 2 ] || fail "the two long names share a state file"

note "shell metacharacters in the branch name"
works 'x86/vmx/a;touch$IFS"pwned-semi"' unsafe
# the file such a name would make is named by a variable: a name with
# the path in it would be a ref file of that name
export KX_CANARY=$canary-var
works 'x86/vmx/a$(touch${IFS}$KX_CANARY)' unsafe
works 'x86/vmx/b`touch${IFS}$KX_CANARY`' unsafe
works "x86/vmx/a'b\"c|d&e<f>g!h#i=j{k}(l)" unsafe
