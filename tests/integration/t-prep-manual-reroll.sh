#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --manual-reroll, as b4 prep --manual-reroll: a version sent with
# git format-patch and another mailer reaches a public-inbox; recorded
# from lore as kvmx86 send records its own (the Message-IDs and link,
# the sent/ tag, the next version begun), so that --trailers,
# --compare-to and the next cover letter know it.  Mails that are not the
# branch's commits are refused unless --force; a thread of another
# version, and a version recorded already, are errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

lore_repo
next=$NEXT
b=x86/vmx/elsewhere
git checkout -q -b "$b" "$next"
for i in 1 2; do
	echo "/* elsewhere $i */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -s -am "KVM: VMX: Send elsewhere $i" -m "Change $i, sent by another mailer."
done
git config "branch.$b.description" "$(printf 'KVM: VMX: Sent elsewhere\n\nTwo changes.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

note "v1 goes out by git format-patch and another mailer"
cover=$(lore_post_patches v1 1 "$next..$b" "$next")
[ -n "$cover" ] || fail "no cover letter Message-ID"

note "the branch changed since: refused, nothing recorded"
git commit -q --amend -m "KVM: VMX: Send elsewhere 2" -m "Reworded only." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
echo "/* more */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -s -am "KVM: VMX: Send elsewhere 3" -m "A third change."
state_before=$(cat "$(state_file "$b")")
run_kvmx86 prep --manual-reroll "$cover"
expect_exit 1
expect_stderr_contains "v1 on lore (2 patches) is not $b as it is (3 commits)"
[ "$(cat "$(state_file "$b")")" = "$state_before" ] || fail "a refusal changed the state"
[ -z "$(git tag -l "sent/$b-v1")" ] || fail "a refusal made a tag"
git reset -q --hard HEAD~1

note "the same patches, reworded: recorded, at the branch's tip"
run_kvmx86 prep --manual-reroll "$LORE_URL/$cover/"
expect_exit 0
expect_stdout_contains "v1 of $b is recorded as sent: 3 mails, tagged sent/$b-v1"
expect_stdout_contains "link: $LORE_URL/$cover/"
expect_stdout_contains "now preparing v2"
[ "$(git rev-parse "sent/$b-v1^{commit}")" = "$(sha "$b")" ] || fail "the tag is not on the tip"
run_kvmx86 prep --show-info revision
expect_info revision 2

note "the next cover letter links it; --compare-to knows it"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "$LORE_URL/$cover/"
run_kvmx86 prep --compare-to v1
expect_exit 0

note "recorded once"
run_kvmx86 prep --force-revision 1
expect_exit 0
run_kvmx86 prep --manual-reroll "$cover"
expect_exit 128
expect_stderr_contains "v1 of $b is recorded as sent already"
run_kvmx86 prep --force-revision 2
expect_exit 0

note "a thread of another version than the one prepared"
echo "/* v3 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -s -am "KVM: VMX: Send elsewhere 4" -m "For v3."
cover3=$(lore_post_patches v3 3 "$next..$b" "$next")
run_kvmx86 prep --manual-reroll "$cover3"
expect_exit 128
expect_stderr_contains "the thread's newest whole version is v3, and $b prepares v2"
expect_stderr_contains "kvmx86 prep --force-revision 3"

note "--force records mails that are not the branch's"
run_kvmx86 prep --force-revision 3
expect_exit 0
git commit -q --allow-empty -s -m "KVM: VMX: Not sent"
echo "/* unsent */" >>arch/x86/kvm/vmx/vmx.c
git commit -q --amend -a --no-edit
run_kvmx86 prep --manual-reroll "$cover3"
expect_exit 1
run_kvmx86 prep --manual-reroll --force "$cover3"
expect_exit 129
expect_stderr_contains "--manual-reroll needs the Message-ID or lore link of a mail of the version, not '--force'"
run_kvmx86 prep --force --manual-reroll "$cover3"
expect_exit 0
expect_stdout_contains "v3 of $b is recorded as sent: 4 mails"
run_kvmx86 prep --show-info revision
expect_info revision 4

note "--force goes with --manual-reroll; --manual-reroll needs a thread"
run_kvmx86 prep --manual-reroll nobody@example.org
expect_exit 128
expect_stderr_contains "lore has no thread for <nobody@example.org>"
