#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One series for every command: a merge inside a range is refused alike by
# check-base, prep --check and test; an enrolled base follows kvm-x86/next
# and a rebase onto check-base's remedy (change-id and revision kept); a
# detached HEAD takes ranges; a range on an enrolled branch says one thing
# about its recorded results; "name@" is never HEAD.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

# state_key BRANCH FILTER: a value of BRANCH's state file.
state_key() {
	jq -r "$2" "$(state_file "$1")"
}

note "a merge inside a range: the same refusal from every command"
new_branch side refs/remotes/kvm-x86/next
x86_commit 1
new_branch x86/vmx/merged refs/remotes/kvm-x86/next
commit_append arch/x86/kvm/vmx/vmx.c "KVM: VMX: One" <<'EOT'
/* one */
EOT
git merge -q --no-ff --no-edit -m "Merge branch 'side'" side >/dev/null
x86_commit 3
merge=$(short HEAD~1)
for cmd in "check-base" "prep --check" "test"; do
	args=($cmd kvm-x86/next..x86/vmx/merged)
	[ "$cmd" = test ] && args+=(-- true)
	run_kvmx86 "${args[@]}"
	expect_fatal "merge commit $merge (\"Merge branch 'side'\") is in the series"
	expect_stdout_empty
done
git checkout -q x86/vmx/good-series

note "following check-base's remedy keeps an enrolled series whole"
git checkout -q x86/mmu/multiarch
run_kvmx86 prep --enroll
expect_exit 0
change_id=$(state_key x86/mmu/multiarch .change_id)
run_kvmx86 prep --force-revision 2
expect_exit 0
run_kvmx86 check-base --json
expect_exit 1
remedy=$(json .remedy)
case "$remedy" in
"git rebase --onto "*) ;;
*) fail "no rebase remedy: $remedy" ;;
esac
# the remedy is kvmx86's own shell-safe text: run it as printed
eval "$remedy" >/dev/null 2>&1 || fail "the remedy failed: $remedy"
rc2=$(sha v6.3-rc2)
run_kvmx86 prep --check --json
[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "prep --check failed after the rebase"
expect_json '.commits | length' 3
expect_stdout_lacks "Merge branch"
expect_json '[.findings[] | select(.rule == "base-choice" and .severity == "error")] | length' 0
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "base-commit: $rc2"
expect_stdout_lacks "Merge branch"
expect_stderr_contains "rebased onto v6.3-rc2"
run_kvmx86 prep --show-info
expect_exit 0
expect_info series-range "$rc2..$(sha HEAD)"
expect_stderr_contains "rebased onto v6.3-rc2"
run_kvmx86 prep --enroll --base v6.3-rc2
expect_exit 0
[ "$(state_key x86/mmu/multiarch .change_id)" = "$change_id" ] || fail "the change-id changed"
[ "$(state_key x86/mmu/multiarch .revision)" = 2 ] || fail "the revision changed"
[ "$(state_key x86/mmu/multiarch .base.commit)" = "$rc2" ] || fail "the base is not the rc"
[ "$(state_key x86/mmu/multiarch .base.ref)" = v6.3-rc2 ] || fail "the base does not track the rc"

note "kvm-x86/next moves on; the branch follows it with a rebase"
git checkout -q x86/vmx/good-series
run_kvmx86 prep --enroll
expect_exit 0
old_next=$(sha refs/remotes/kvm-x86/next)
[ "$(state_key x86/vmx/good-series .base.ref)" = kvm-x86/next ] ||
	fail "the base does not track kvm-x86/next"
git checkout -q --detach refs/remotes/kvm-x86/next
commit_append arch/x86/kvm/mmu/mmu.c "KVM: x86/mmu: Upstream work" <<'EOT'
/* upstream */
EOT
new_next=$(sha HEAD)
git update-ref -m "fetch: fast-forward" refs/remotes/kvm-x86/next "$new_next" "$old_next"
git checkout -q x86/vmx/good-series
run_kvmx86 prep --show-info
expect_exit 0
expect_stderr_lacks "note:"
git rebase -q --onto refs/remotes/kvm-x86/next "$old_next" x86/vmx/good-series
run_kvmx86 prep --check --json
expect_json '.commits | length' 3
expect_stdout_lacks "Upstream work"
run_kvmx86 prep --show-info
expect_exit 0
expect_stderr_contains "the base of x86/vmx/good-series follows kvm-x86/next"
[ "$(state_key x86/vmx/good-series .base.commit)" = "$old_next" ] ||
	fail "a read-only command wrote the state"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
[ "$(state_key x86/vmx/good-series .base.commit)" = "$old_next" ] ||
	fail "a state-only action recorded a base it did not look at"
run_kvmx86 test -- true
expect_exit 0
[ "$(state_key x86/vmx/good-series .base.commit)" = "$new_next" ] ||
	fail "a command that writes the state did not record the base"
run_kvmx86 prep --enroll --base kvm-x86/next
expect_exit 0

note "a base kvmx86 does not know: a clear error naming what to run"
git checkout -q -b x86/misc/elsewhere refs/remotes/kvm-x86/next
x86_commit 4
run_kvmx86 prep --enroll
expect_exit 0
# a history of its own, below no KVM ref
git checkout -q refs/remotes/kvm-x86/next
git checkout -q --orphan unrelated
git commit -q --no-verify -m "somebody's tree"
other=$(sha HEAD)
git checkout -q x86/misc/elsewhere
git rebase -q --onto "$other" refs/remotes/kvm-x86/next x86/misc/elsewhere
run_kvmx86 prep --check
expect_fatal "is no longer below its tip"
expect_stderr_contains "kvmx86 prep --enroll --base <rev> x86/misc/elsewhere"
run_kvmx86 prep --enroll --base "$other"
expect_exit 0
run_kvmx86 prep --check --json
expect_json '.commits | length' 1

note "a detached HEAD takes a range"
git checkout -q --detach x86/misc/bad-style
for args in "prep --check kvm-x86/next..x86/misc/bad-style" \
	    "test kvm-x86/next..x86/misc/bad-style -- true" \
	    "check-base kvm-x86/next..x86/misc/bad-style" "prep --check"; do
	run_kvmx86 $args
	[ "$RC" -lt 128 ] || fail "$args failed on a detached HEAD: $(cat "$ERR")"
	expect_stderr_lacks "HEAD is detached"
done
run_kvmx86 prep --link 'a@example.com' --offline
expect_fatal "HEAD is detached"

note "a range and an enrolled branch see the same records"
git checkout -q x86/vmx/good-series
run_kvmx86 test kvm-x86/next..x86/vmx/good-series -- true
expect_exit 0
expect_stdout_contains "[recorded]"
expect_stdout_lacks "not recorded"
git checkout -q master
run_kvmx86 test kvm-x86/next..x86/misc/bad-style -- true
expect_exit 0
expect_stdout_contains "[recorded]"
expect_stdout_lacks "not recorded"

note "'name@' is a ref of that name or nothing, never HEAD"
git checkout -q master
refs_snapshot "$T/refs.before"
run_kvmx86 prep --link a@b --offline 'xyzw@'
expect_fatal "ambiguous argument 'xyzw@'"
expect_refs_unchanged "$T/refs.before" "prep --link xyzw@"
run_kvmx86 check-base 'xyzw@'
expect_fatal "ambiguous argument 'xyzw@'"
run_kvmx86 prep --check 'xyzw@'
expect_fatal "ambiguous argument 'xyzw@'"
run_kvmx86 prep --enroll 'x86/vmx/@'
expect_fatal
expect_no_state 'x86/vmx/@'
run_kvmx86 prep --enroll @
expect_fatal "'@' is not a valid branch name"

note "a revision outside the series is not rewritten"
git checkout -q x86/vmx/good-series
refs_snapshot "$T/refs.before"
run_kvmx86 prep --link a@b --offline v6.3-rc2
expect_fatal "is not a commit of x86/vmx/good-series's series"
expect_refs_unchanged "$T/refs.before" "prep --link v6.3-rc2"
