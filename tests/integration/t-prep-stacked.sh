#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A series enrolled on another branch of one's own (a stacked series):
# once the lower branch is reworked and the upper one rebased onto it,
# the recorded base is no longer below the tip, and that is what is said
# (with the --enroll --base that records the new one), not the merge of
# kvm-x86/next met further down.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
[ "$(git log -1 --format=%p "$next" | wc -w)" = 2 ] ||
	fail "the sample's kvm-x86/next is no merge: the case needs one"

new_branch x86/pmu/lower "$next"
commit_append arch/x86/kvm/pmu.c "KVM: x86/pmu: Lower change" <<'EOT'
/* lower */
EOT
run_kvmx86 prep --enroll
expect_exit 0
new_branch x86/pmu/upper x86/pmu/lower
commit_append arch/x86/kvm/pmu.c "KVM: x86/pmu: Upper change" <<'EOT'
/* upper */
EOT
run_kvmx86 prep --enroll --base x86/pmu/lower
expect_exit 0
run_kvmx86 prep --show-info --json
expect_json '."start-commit"' "$(sha HEAD)"

note "the lower branch reworded, the upper rebased onto it"
git checkout -q x86/pmu/lower
git commit -q --amend -m "KVM: x86/pmu: Lower change, reworded" -m "Why." \
	-m "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
git checkout -q x86/pmu/upper
git rebase -q --onto x86/pmu/lower 'x86/pmu/lower@{1}'
run_kvmx86 prep --show-info
expect_fatal "the recorded base"
expect_stderr_contains "is no longer below its tip"
expect_stderr_lacks "merge commit"
expect_stderr_contains "kvmx86 prep --enroll --base <rev> x86/pmu/upper"

note "recording the new base puts it right"
run_kvmx86 prep --enroll --base x86/pmu/lower
expect_exit 0
run_kvmx86 prep --show-info --json
expect_exit 0
expect_json '."start-commit"' "$(sha HEAD)"
expect_json '."base-commit"' "$(sha x86/pmu/lower)"
