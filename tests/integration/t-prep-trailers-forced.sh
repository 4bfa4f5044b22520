#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --trailers reads an earlier version's replies by patch-id only,
# also when that version was recorded with --manual-reroll --force at a
# tip with more commits than it had patches: a review of v1's patch 1
# does not go on a patch 1 changed since, whatever its subject.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

lore_repo
next=$NEXT
b=x86/vmx/forced
git checkout -q -b "$b" "$next"
for i in 1 2 3; do
	echo "/* forced $i */" >"arch/x86/kvm/vmx/forced$i.h"
	git add "arch/x86/kvm/vmx/forced$i.h"
	git commit -q -s -m "KVM: VMX: Force $i" -m "Change $i."
done
git config "branch.$b.description" "$(printf 'KVM: VMX: Forced\n\nChanges.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

note "v1 of two patches went out; the branch has a third: recorded with --force"
cover1=$(lore_post_patches v1 1 "$next..$b~1" "$next")
p1=$(sed -n 's/^Message-I[Dd]: <\(.*\)>$/\1/p' "$T/v1"/v1-0001-*.patch | head -1)
[ -n "$cover1" ] && [ -n "$p1" ] || fail "no Message-IDs"
run_kvmx86 prep --manual-reroll "$cover1" --force
expect_exit 0

note "v2 changes patch 1 (not its subject), goes out, is recorded"
git checkout -q -B "$b" "$next"
echo "/* forced 1, reworked */" >arch/x86/kvm/vmx/forced1.h
git add arch/x86/kvm/vmx/forced1.h
git commit -q -s -m "KVM: VMX: Force 1" -m "Change 1."
git cherry-pick "sent/$b-v1~1" "sent/$b-v1" >/dev/null || fail "cherry-pick failed"
cover2=$(lore_post_patches v2 2 "$next..$b" "$next")
run_kvmx86 prep --manual-reroll "$cover2"
expect_exit 0

note "a late review of v1's patch 1 is for a patch changed since"
printf '%s\n' "Reviewed-by: Old Look <old@example.org>" |
	lore_message r1@example.org "Old Look <old@example.org>" \
		"Re: [PATCH 1/2] KVM: VMX: Force 1" "Tue, 03 Jan 2023 10:00:00 +0000" \
		"$p1" | lore_deliver
run_kvmx86 prep --trailers
expect_exit 0
expect_stderr_contains "v1's replies were not read: the 3 commits recorded for it are not its 2 patches"
git log --format=%B "$next..$b" | grep -q 'Old Look' &&
	fail "a review of v1's patch 1 went on the changed patch 1"
[ "$(git log -1 --format=%s "$b~2")" = "KVM: VMX: Force 1" ] || fail "the branch is not as made"
