#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# verdict stale (exit 0): the series sits on a kvm-x86/next that was since
# force-pushed; only the reflog of refs/remotes/kvm-x86/next still has it.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config core.logAllRefUpdates true
old=$(sha refs/remotes/kvm-x86/next)
old_kvm_next=$(sha refs/remotes/kvm/next)

new_branch x86/vmx/stale refs/remotes/kvm-x86/next
x86_commit 1
x86_commit 2

note "precondition: the branch is ok before the force-push"
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok

note "rebuild kvm-x86/next (topics merged in another order, one more commit)"
git checkout -q --detach v6.3-rc2
for t in xen vmx svm selftests pmu mmu misc generic; do
	git merge -q --no-ff --no-edit -m "Merge branch '$t' into next (v2)" \
		"refs/remotes/kvm-x86/$t" >/dev/null
done
commit_append arch/x86/kvm/x86.c "KVM: x86: A late addition to next" <<'EOT'
/* late */
EOT
new=$(sha HEAD)
git update-ref -m 'fetch: forced-update' refs/remotes/kvm-x86/next "$new" "$old"
# kvm/next pulled the old kvm-x86/next: rebuild it too, or the old commit
# would still be in a current ref.
git checkout -q --detach refs/remotes/kvm/next^1
git merge -q --no-ff --no-edit -m "Merge kvm-x86/next (v2)" "$new" >/dev/null
git update-ref -m 'fetch: forced-update' refs/remotes/kvm/next HEAD
git checkout -q x86/vmx/stale

git reflog show --format=%H refs/remotes/kvm-x86/next | grep -qx "$old" ||
	fail "precondition: the reflog lacks the old kvm-x86/next"
git for-each-ref --contains "$old" --format='%(refname)' refs/remotes refs/tags |
	grep . && fail "precondition: a current ref still contains the old next"

note "stale, json"
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict stale
expect_json .scope x86
expect_json .recommended_base kvm-x86/next
expect_json .recommended_commit "$new"
expect_json .base_commit "$old"
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$old") x86/vmx/stale"
expect_json '.commits | length' 2

note "stale, text"
run_kvmx86 check-base
expect_exit 0
expect_verdict stale
expect_stdout_matches "^fix: +git rebase --onto kvm-x86/next $(short "$old") x86/vmx/stale\$"

# Without the reflog the old next's merges are in no ref: the contract's
# "merges in the series -> fatal", or (the friendlier reading) the pile of
# merges is a base, and the series forks from a commit in no ref: wrong.
note "stale, --print-base: nothing on stdout, exit 1"
run_kvmx86 check-base --print-base
expect_exit 1
expect_stdout_empty
expect_stderr_nonempty

note "kvm/next not rebuilt yet (it merged the old next): still stale, not on kvm/next"
new_kvm_next=$(sha refs/remotes/kvm/next)
git update-ref refs/remotes/kvm/next "$old_kvm_next"
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict stale
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$old") x86/vmx/stale"
expect_json_true '[.reasons[] | select(test("kvm/next keeps it"))] | length == 1' \
	"the reason says kvm/next keeps the old next"
git update-ref refs/remotes/kvm/next "$new_kvm_next"

note "without the reflog: wrong (fork = old next), or fatal (merges)"
git reflog expire --expire-unreachable=now --expire=now refs/remotes/kvm-x86/next
git reflog delete 'refs/remotes/kvm-x86/next@{0}' 2>/dev/null || true
if git reflog show --format=%H refs/remotes/kvm-x86/next | grep -qx "$old"; then
	note "could not empty the reflog; skipping this part"
else
	run_kvmx86 check-base --json
	if [ "$RC" = 128 ]; then
		expect_fatal
		expect_stdout_empty
	else
		expect_exit 1
		expect_json .verdict wrong
		expect_json .base_commit "$old"
		expect_json .remedy "git rebase --onto kvm-x86/next $(short "$old") x86/vmx/stale"
		expect_json '.commits | length' 2
	fi
fi
