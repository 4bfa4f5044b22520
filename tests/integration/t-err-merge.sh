#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A merge commit in the series: fatal for check-base, prep --enroll and
# test, a finding of prep --check; nothing changes.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
new_branch side refs/remotes/kvm-x86/next
x86_commit 1
new_branch x86/vmx/with-merge refs/remotes/kvm-x86/next
commit_append arch/x86/kvm/vmx/vmx.c "KVM: VMX: One" <<'EOT'
/* one */
EOT
git merge -q --no-ff --no-edit -m "Merge branch 'side'" side >/dev/null
x86_commit 2

run_kvmx86 check-base
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --json
expect_fatal
expect_stdout_empty
run_kvmx86 check-base kvm-x86/next..x86/vmx/with-merge
expect_fatal

note "a merge of a KVM ref (back-merge of kvm-x86/next) is in the series too"
new_branch x86/vmx/backmerge refs/remotes/kvm-x86/vmx
x86_commit 3
git merge -q --no-ff --no-edit -m "Merge kvm-x86/next" refs/remotes/kvm-x86/next >/dev/null
run_kvmx86 check-base
expect_fatal

note "every command on a series with a merge: named, nothing changed"
git checkout -q x86/vmx/with-merge
merge=$(git rev-parse --short=12 HEAD~1)
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll
expect_fatal "merge commit $merge"
# --base too: every other command would refuse the series it enrolled
run_kvmx86 prep --enroll --base refs/remotes/kvm-x86/next
expect_fatal "merge commit $merge"
run_kvmx86 test -- true
expect_fatal "merge commit $merge"
run_kvmx86 prep --check
expect_exit 1
expect_stdout_contains "$merge"
# the note gives the reason, not "no KVM trees"
expect_stdout_contains "was not found (merge commit $merge"
run_kvmx86 send --dry-run
expect_fatal "not enrolled"
expect_refs_unchanged "$T/refs.before" "commands on a series with a merge"
[ ! -e "$(state_file x86/vmx/with-merge)" ] || fail "a state was made for a series with a merge"
