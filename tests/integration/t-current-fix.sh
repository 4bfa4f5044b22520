#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# scope current-fix: fixes/current (Fixes: a commit of this cycle, on
# kvm/master) is ok; the same fix on kvm-x86/fixes is ok there; on
# kvm-x86/next it stays x86 with a warning naming kvm/master; a fix of a
# released bug is no current-fix.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
kmaster=$(sha refs/remotes/kvm/master)
next=$(sha refs/remotes/kvm-x86/next)
fix=$(sha fixes/current)

note "fixes/current on kvm/master"
git checkout -q fixes/current
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
expect_json .scope current-fix
expect_json .detected_scope current-fix
expect_json .recommended_base kvm/master
expect_json .recommended_commit "$kmaster"
expect_json .actual_base kvm/master
expect_json .base_commit "$kmaster"
expect_json .target_topic null
expect_json .remedy null
expect_json '.commits | length' 1
expect_json '.commits[0].area' x86
run_kvmx86 check-base
expect_exit 0
expect_verdict ok
expect_stdout_matches '^scope: +current-fix$'

note "with a selftest commit without Fixes: still current-fix"
new_branch fixes/with-test fixes/current
commit_append tools/testing/selftests/kvm/x86_64/foo_test.c \
	"KVM: selftests: Exercise the dirty-logging zap fix" <<'EOT'
/* covers the zap fix */
EOT
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope current-fix
expect_json .verdict ok
expect_json '.commits | length' 2

note "Fixes: with a full 40-hex id: current-fix"
cycle=$(mf commit.cycle_bug)
new_branch fixes/full-id refs/remotes/kvm/master
add_lines arch/x86/kvm/mmu/mmu.c <<'EOT'
/* another fix */
EOT
commit_all "KVM: x86/mmu: Fix the zap again" \
	"Fixes: $cycle (\"$(git log -1 --format=%s "$cycle")\")"
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope current-fix
expect_json .verdict ok

note "a kernel commit without Fixes: next to the fix: x86 (and wrong on kvm/master)"
new_branch fixes/plus-feature fixes/current
x86_commit 7
run_kvmx86 check-base --json
expect_exit 1
expect_json .detected_scope x86
expect_json .verdict wrong
expect_json .recommended_base kvm-x86/next
expect_json_true '[.warnings[] | select(contains("--scope=current-fix"))] | length == 0' \
	"no --scope=current-fix for a commit that fixes nothing"

note "the same fix on kvm-x86/fixes: current-fix, ok there"
xfixes=$(sha refs/remotes/kvm-x86/fixes)
new_branch fixes/on-x86-fixes refs/remotes/kvm-x86/fixes
git cherry-pick "$fix" >/dev/null
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope current-fix
expect_json .verdict ok
expect_json .recommended_base kvm-x86/fixes
expect_json .actual_base kvm-x86/fixes
expect_json .base_commit "$xfixes"

note "a fix of a commit queued in kvm-x86/fixes only, on kvm-x86/fixes: current-fix, ok"
queued=$(sha refs/remotes/kvm-x86/fixes)
git merge-base --is-ancestor "$queued" refs/remotes/kvm/master &&
	fail "the sample's kvm-x86/fixes tip is in kvm/master: the case needs one that is not"
new_branch fixes/fix-queued refs/remotes/kvm-x86/fixes
add_lines arch/x86/kvm/x86.c <<'EOT'
/* fix for the queued fix */
EOT
commit_all "KVM: x86: Fix the queued TSC scaling fix" \
	"Fixes: $(short "$queued") (\"$(git log -1 --format=%s "$queued")\")"
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope current-fix
expect_json .verdict ok
expect_json .recommended_base kvm-x86/fixes

note "the same fix on kvm-x86/next: x86, ok, with a warning about kvm/master"
new_branch x86/mmu/fix-on-next refs/remotes/kvm-x86/next
git cherry-pick "$fix" >/dev/null
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope x86
expect_json .detected_scope x86
expect_json .verdict ok
expect_json .recommended_base kvm-x86/next
expect_json .base_commit "$next"
expect_json_true '[.warnings[] | select(contains("kvm/master"))] | length > 0' \
	"a warning naming kvm/master"
expect_json_true '[.warnings[] | select(contains("current release"))] | length > 0' \
	"a warning about the current release"
run_kvmx86 check-base
expect_exit 0
expect_verdict ok
grep -E '^warning: .*kvm/master' "$OUT" >/dev/null ||
	fail "text output lacks a 'warning: ...kvm/master' line"

note "a fix of a released bug (before v6.2), on kvm/master: x86, wrong"
released=$(mf commit.released_bug)
new_branch fixes/released-bug refs/remotes/kvm/master
add_lines arch/x86/kvm/x86.c <<'EOT'
/* fix for the cached ratio */
EOT
commit_all "KVM: x86: Fix the cached TSC ratio on hotplug" \
	"Fixes: $(short "$released") (\"$(git log -1 --format=%s "$released")\")"
run_kvmx86 check-base --json
expect_exit 1
expect_json .detected_scope x86
expect_json .scope x86
expect_json .verdict wrong
expect_json .recommended_base kvm-x86/next
# the handbook lets an urgent or critical fix go there: the way is said
expect_json_true '[.warnings[] | select(contains("--scope=current-fix"))] | length == 1' \
	"a warning naming --scope=current-fix"

note "a Fixes: without an id that resolves: not current-fix"
new_branch fixes/bogus-fixes refs/remotes/kvm/master
add_lines arch/x86/kvm/x86.c <<'EOT'
/* bogus */
EOT
commit_all "KVM: x86: Fix something" \
	"Fixes: 0123456789ab (\"KVM: x86: No such commit\")"
run_kvmx86 check-base --json
expect_json .detected_scope x86
expect_json .verdict wrong
expect_exit 1
