#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# verdict behind (exit 0): x86 series on the rc tag itself, on a kvm-x86
# topic branch, and on an older commit of kvm-x86/next; behind_by counts
# fork..kvm-x86/next.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

note "on v6.3-rc2 itself"
rc2=$(sha v6.3-rc2)
new_branch x86/vmx/on-rc v6.3-rc2
git cherry-pick refs/remotes/kvm-x86/next..x86/vmx/good-series >/dev/null
want=$(git rev-list --count "$rc2..refs/remotes/kvm-x86/next")
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict behind
expect_json .scope x86
expect_json .recommended_base kvm-x86/next
expect_json .recommended_commit "$next"
expect_json .actual_base v6.3-rc2
expect_json .base_commit "$rc2"
expect_json .behind_by "$want"
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$rc2") x86/vmx/on-rc"
expect_json '.commits | length' 3
run_kvmx86 check-base
expect_exit 0
expect_verdict behind
expect_stdout_matches "^fix: +git rebase --onto kvm-x86/next $(short "$rc2") x86/vmx/on-rc\$"

note "on the kvm-x86/pmu topic branch (with a kvm-x86-* decoy tag on it)"
pmu=$(sha refs/remotes/kvm-x86/pmu)
[ "$(sha kvm-x86-pmu-6.4)" = "$pmu" ] || fail "bad sample repo: decoy tag"
new_branch x86/pmu/on-topic refs/remotes/kvm-x86/pmu
commit_append arch/x86/kvm/pmu.c "KVM: x86/pmu: Use the GLOBAL_CTRL helper" <<'EOT'

static void kvm_pmu_refresh_global_ctrl(struct kvm_pmu *pmu)
{
	if (!kvm_pmu_has_perf_global_ctrl(pmu))
		pmu->global_ctrl = 0;
}
EOT
want=$(git rev-list --count "$pmu..refs/remotes/kvm-x86/next")
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict behind
expect_json .scope x86
expect_json .recommended_base kvm-x86/next
expect_json .actual_base kvm-x86/pmu
expect_json .base_commit "$pmu"
expect_json .behind_by "$want"
expect_json .target_topic pmu
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$pmu") x86/pmu/on-topic"

note "on an older commit of kvm-x86/next (no ref has it as its tip)"
old=$(sha refs/remotes/kvm-x86/next~2)
new_branch x86/misc/on-old-next "$old"
x86_commit 1
want=$(git rev-list --count "$old..refs/remotes/kvm-x86/next")
[ "$want" -ge 2 ] || fail "bad sample repo: next~2"
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict behind
expect_json .base_commit "$old"
# "40-hex when nothing names it", or the ref that contains it: the contract
# allows either reading.
expect_json_true ".actual_base | IN(\"kvm-x86/next\", \"$old\")" "actual_base"
expect_json .behind_by "$want"
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$old") x86/misc/on-old-next"

note "multi-arch series on v6.3-rc1 (an older tag under the rc): behind"
rc1=$(sha v6.3-rc1)
new_branch x86/mmu/multi-on-rc1 v6.3-rc1
git cherry-pick refs/remotes/kvm-x86/next..x86/mmu/multiarch >/dev/null
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope multi-arch
expect_json .verdict behind
expect_json .recommended_base v6.3-rc2
expect_json .actual_base v6.3-rc1
expect_json .behind_by "$(git rev-list --count "$rc1..v6.3-rc2")"
