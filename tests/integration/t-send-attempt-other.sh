#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One attempt at a time: while a send of v2 is unfinished, a --resend of
# v1 is refused with the command that finishes v2 (not a --force-revision
# of the series, which is still v2), and the reverse: while a resend of v1
# is unfinished, a send of v2 (or a resend of another version) names
# `kvmx86 send --resend v1`.  Following the hint finishes the attempt
# without a mail twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity

# two_series NAME: a 2-patch series (3 mails) on kvm-x86/next, enrolled.
two_series() {
	local i
	git checkout -q -b "$1" "$(sha refs/remotes/kvm-x86/next)"
	for i in 1 2; do
		echo "/* $1 $i */" >>arch/x86/kvm/vmx/vmx.c
		git commit -q -am "KVM: VMX: Part $i" -m "Part $i for the test." \
			-m "Signed-off-by: Tess Ting <tess@example.com>"
	done
	git config "branch.$1.description" \
		"$(printf 'KVM: VMX: Two parts\n\nTwo parts for the test.')"
	run_kvmx86 prep --enroll --base "$(sha refs/remotes/kvm-x86/next)"
	expect_exit 0 "enrolling $1"
}

# expect_hint CMD: stderr gives CMD on a line of its own.
expect_hint() {
	grep -qxF "  $1" "$ERR" || {
		cat "$ERR" >&2
		fail "stderr does not give '$1'"
	}
}

b=x86/vmx/other
two_series "$b"
smtp_start
send_config
run_kvmx86 send --force
expect_exit 0 "v1 sent"
no_duplicates 3

note "a send of v2 stops after its cover letter; --resend v1 names the way to finish it"
git commit -q --amend -m "KVM: VMX: Part 2, v2" -m "Part 2, again." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
restart --drop-after 1
run_kvmx86 send --force
expect_exit 2 "v2 cut off"
no_duplicates 4
restart
run_kvmx86 send --resend v1
expect_exit 1 "a resend beside an unfinished send"
expect_stderr_contains "an attempt to send v2 began"
expect_stderr_contains "this run would resend v1: one attempt at a time"
expect_stderr_lacks "force-revision"
expect_stderr_lacks "the series is v1 now"
expect_hint "kvmx86 send"
expect_hint "kvmx86 send --resend v1 --new-attempt"
expect_stderr_contains "its 2 mails left never sent"
no_duplicates 4
run_kvmx86 send
expect_exit 0 "the hint finishes v2"
no_duplicates 6
git rev-parse -q --verify "refs/tags/sent/$b-v2" >/dev/null || fail "no sent/$b-v2 tag"

note "a resend of v1 stops after its cover letter; a send of v3 names --resend v1"
restart --drop-after 1
run_kvmx86 send --resend v1
expect_exit 2 "the resend cut off"
no_duplicates 7
restart
git commit -q --amend -m "KVM: VMX: Part 2, v3" -m "Part 2, once more." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_kvmx86 send --force
expect_exit 1 "a send beside an unfinished resend"
expect_stderr_contains "an attempt to resend v1 began"
expect_stderr_contains "this run would send v3: one attempt at a time"
expect_stderr_lacks "force-revision"
expect_hint "kvmx86 send --resend v1"

note "... and a resend of v2 names it too"
run_kvmx86 send --resend v2 "$b"
expect_exit 1 "a resend of v2 beside an unfinished resend of v1"
expect_stderr_contains "this run would resend v2: one attempt at a time"
expect_hint "kvmx86 send $b --resend v1"
no_duplicates 7
run_kvmx86 send --resend v1
expect_exit 0 "the hint finishes the resend"
no_duplicates 9
run_kvmx86 send --force
expect_exit 0 "then v3 goes"
no_duplicates 12
