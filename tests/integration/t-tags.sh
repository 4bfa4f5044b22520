#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Tags: v[0-9]* tags count, lightweight or annotated; kvm-x86-* and other
# tags are ignored; cycle_rc is the tag kvm-x86/next is built on.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
rc2=$(sha v6.3-rc2)
next=$(sha refs/remotes/kvm-x86/next)

note "v6.3-rc2 as a lightweight tag"
git tag -f v6.3-rc2 "$rc2" >/dev/null
[ "$(git cat-file -t refs/tags/v6.3-rc2)" = commit ] || fail "precondition: still annotated"
run_kvmx86 check-base --json x86/mmu/multiarch
expect_exit 1
expect_json .recommended_base v6.3-rc2
expect_json .recommended_commit "$rc2"
expect_json .cycle_rc v6.3-rc2
new_branch x86/vmx/on-light-rc v6.3-rc2
x86_commit 1
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict behind
expect_json .actual_base v6.3-rc2

note "a newer rc on master does not change the cycle rc of kvm-x86/next"
git checkout -q master
commit_append drivers/net/dummy.c "net: dummy: Tweak" <<'EOT'
/* tweak */
EOT
sed -i 's/^EXTRAVERSION = .*/EXTRAVERSION = -rc5/' Makefile
commit_all "Linux 6.3-rc5"
git tag -a v6.3-rc5 -m "Linux 6.3-rc5"
run_kvmx86 check-base --json x86/mmu/multiarch
expect_exit 1
expect_json .cycle_rc v6.3-rc2
expect_json .recommended_base v6.3-rc2
run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .base_commit "$next"

note "kvm-x86-* and other tags are not bases: the tagged commit is in the series"
new_branch x86/vmx/tagged-base refs/remotes/kvm-x86/next
x86_commit 2
base=$(sha HEAD)
git tag kvm-x86-vmx-6.4 HEAD
git tag -a for-linus -m "for-linus" HEAD
git tag kvm-6.4-1 HEAD
x86_commit 3
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
expect_json .base_commit "$next"
expect_json .actual_base kvm-x86/next
expect_json '.commits | length' 2

note "a v* tag on it makes it a base (v6.4-rc1)"
git tag v6.4-rc1 "$base"
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json '.commits | length' 1
expect_json .base_commit "$base"
expect_json .actual_base v6.4-rc1
git tag -d v6.4-rc1 >/dev/null

note "a stable tag (v6.2.1, as in linux-stable) is a v* tag too"
git checkout -q --detach v6.2
commit_append drivers/net/dummy.c "net: dummy: A stable backport" <<'EOT'
/* backport */
EOT
sed -i 's/^SUBLEVEL = .*/SUBLEVEL = 1/' Makefile
commit_all "Linux 6.2.1"
git tag -a v6.2.1 -m "Linux 6.2.1"
stable=$(sha HEAD)
new_branch x86/vmx/on-stable v6.2.1
x86_commit 4
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json '.commits | length' 1
expect_json .base_commit "$stable"
expect_json .actual_base v6.2.1
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$stable") x86/vmx/on-stable"
