#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --enroll of plain git branches: no commit id changes, git's branch
# description becomes the cover letter, the base is check-base's fork point
# (with its scope and ref) or --base; enrolling again changes nothing.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
kvm_master=$(sha refs/remotes/kvm/master)
b=x86/vmx/good-series
tip=$(mf branch.$b.tip)
first=$(git rev-list --reverse "$next..$tip" | head -n1)

# git's own way of writing a description: git branch --edit-description.
printf 'KVM: VMX: Harden DEBUGCTL handling\n\nFirst paragraph of the cover.\n\nSecond paragraph.\n' \
	>"$T/description"
make_editor "$T/desc-editor" "$T/description"
git checkout -q "$b"
GIT_EDITOR="$T/desc-editor" git branch --edit-description
[ "$(git config "branch.$b.description" | head -n1)" = "KVM: VMX: Harden DEBUGCTL handling" ] ||
	fail "git branch --edit-description did not work"

note "enroll the checked-out branch: no ref moves"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll"
[ "$(sha "$b")" = "$tip" ] || fail "the branch moved"
[ -z "$(git status --porcelain)" ] || fail "work tree changed"

note "the state"
read_state "$b"
expect_json .schema_version 2
expect_json .branch "$b"
expect_json .revision 1
expect_json '.prefixes | length' 0
expect_json .cover.subject "KVM: VMX: Harden DEBUGCTL handling"
expect_json '.cover.body | sub("^\n+"; "") | sub("\n+$"; "")' \
	"$(printf 'First paragraph of the cover.\n\nSecond paragraph.')"
expect_json .base.commit "$next"
expect_json .base.scope x86
expect_json .base.ref kvm-x86/next
expect_json '.sent | length' 0
expect_json .imported_from null
expect_json .b4_cover_commit null
expect_json .last_tip "$tip"
expect_json '.test_results | type' object
expect_json_true '.change_id | test("^[0-9]{8}-[a-z0-9-]+-[0-9a-f]{12}$")' \
	"change_id is YYYYMMDD-<slug>-<12hex>"
cp "$(state_file "$b")" "$T/state.1"

note "--show-info agrees"
run_kvmx86 prep --show-info
expect_exit 0
expect_info branch "$b"
expect_info cover-subject "KVM: VMX: Harden DEBUGCTL handling"
expect_info base-branch kvm-x86/next
expect_info base-scope x86
expect_info base-commit "$next"
expect_info start-commit "$first"
expect_info end-commit "$tip"
expect_info series-range "$next..$tip"

note "enrolling again when nothing would change: 0, state unchanged"
run_kvmx86 prep --enroll
expect_exit 0
expect_same_file "$(state_file "$b")" "$T/state.1" "second --enroll"
expect_refs_unchanged "$T/refs.before" "second --enroll"

note "enrolling again when the import would change something: 128"
printf 'KVM: VMX: Another title\n\nOther words.\n' >"$T/description"
GIT_EDITOR="$T/desc-editor" git branch --edit-description
run_kvmx86 prep --enroll
expect_fatal "would change its cover letter"
# the action that changes it, not a start anew that would drop the history
expect_stderr_contains "kvmx86 prep --edit-cover"
expect_stderr_lacks "--cleanup"
expect_same_file "$(state_file "$b")" "$T/state.1" "--enroll of an enrolled branch"
expect_refs_unchanged "$T/refs.before" "third --enroll"

note "REV: enroll another branch than the current one; multi-arch scope"
git checkout -q master
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll x86/mmu/multiarch
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll x86/mmu/multiarch"
[ "$(git symbolic-ref HEAD)" = refs/heads/master ] || fail "HEAD moved"
read_state x86/mmu/multiarch
expect_json .branch x86/mmu/multiarch
expect_json .base.commit "$(mf branch.x86/mmu/multiarch.fork)"
expect_json .base.scope multi-arch
expect_json .base.ref kvm-x86/next
expect_json .last_tip "$(mf branch.x86/mmu/multiarch.tip)"

note "a current-release fix: base kvm/master"
run_kvmx86 prep --enroll fixes/current
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll fixes/current"
read_state fixes/current
expect_json .base.commit "$kvm_master"
expect_json .base.scope current-fix
expect_json .base.ref kvm/master

note "--base REV wins over the fork point"
git branch --no-track x86/vmx/one-patch "$tip"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll x86/vmx/one-patch --base "$tip~1"
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll --base"
read_state x86/vmx/one-patch
expect_json .base.commit "$(sha "$tip~1")"
run_kvmx86 prep --show-info x86/vmx/one-patch
expect_exit 0
expect_info base-commit "$(sha "$tip~1")"
expect_info start-commit "$tip"
expect_info end-commit "$tip"
expect_info series-range "$(sha "$tip~1")..$tip"

note "a branch with no description enrolls too"
git branch --no-track x86/vmx/no-desc "$tip"
run_kvmx86 prep --enroll x86/vmx/no-desc
expect_exit 0
expect_state_exists x86/vmx/no-desc

note "detached HEAD: no branch to enroll"
git checkout -q --detach "$tip"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll
expect_fatal
expect_refs_unchanged "$T/refs.before" "--enroll on a detached HEAD"

note "REV that is not a branch"
run_kvmx86 prep --enroll no-such-branch
expect_fatal no-such-branch
expect_refs_unchanged "$T/refs.before" "--enroll no-such-branch"

note "a branch that is not enrolled: other actions say to enroll it"
git checkout -q x86/vmx/good-series
git branch --no-track x86/vmx/plain "$tip"
run_kvmx86 prep --show-info x86/vmx/plain
expect_fatal "kvmx86 prep --enroll"
expect_no_state x86/vmx/plain
