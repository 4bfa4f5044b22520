#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A branch renamed (git branch -m) or deleted behind kvmx86's back: the
# message says so and names the old state; when another branch holds the
# state's last_tip it is named, with `kvmx86 prep --enroll` there adopting
# the state.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
old=x86/vmx/good-series
new=x86/vmx/renamed
git checkout -q "$old"
git config "branch.$old.description" "$(printf 'KVM: VMX: Renamed series\n\nBody.')"
run_kvmx86 prep --enroll
expect_exit 0
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
run_kvmx86 prep --force-revision 2
expect_exit 0
read_state "$old"
change_id=$(json .change_id)
cp "$(state_file "$old")" "$T/old.json"

note "git branch -m behind kvmx86's back"
git branch -m "$old" "$new"

note "the old name: the message says the branch is gone and names the new one"
run_kvmx86 prep --show-info "$old"
expect_fatal "$old"
expect_stderr_contains "$new"
expect_stderr_contains "kvmx86 prep --enroll"
expect_stderr_matches 'renamed|deleted|gone|no longer exists|does not exist'
expect_same_file "$(state_file "$old")" "$T/old.json" "show-info of the old name"

note "the new name (checked out): not enrolled, but the old state is named"
run_kvmx86 prep --show-info
expect_fatal "kvmx86 prep --enroll"
expect_stderr_contains "$old"
expect_same_file "$(state_file "$old")" "$T/old.json" "show-info of the new name"
expect_no_state "$new"

note "other actions on the new name explain it too, changing nothing"
run_kvmx86 prep --set-prefixes RESEND
expect_fatal "$old"
expect_same_file "$(state_file "$old")" "$T/old.json" "set-prefixes of the new name"
expect_no_state "$new"

note "--enroll on the new name adopts the state"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll adopting a renamed branch's state"
read_state "$new"
expect_json .branch "$new"
expect_json .change_id "$change_id"
expect_json .revision 2
expect_json '.prefixes | join(",")' RFC
expect_json .cover.subject "KVM: VMX: Renamed series"
expect_no_state "$old"
run_kvmx86 prep --show-info branch
expect_exit 0
expect_stdout_is "branch: $new"

note "a deleted branch: the message says so"
git checkout -q master
git branch --no-track x86/vmx/doomed "$new"
run_kvmx86 prep --enroll x86/vmx/doomed
expect_exit 0
git branch -D -q x86/vmx/doomed
# $new still holds doomed's last_tip: it may be named; the state stays.
run_kvmx86 prep --show-info x86/vmx/doomed
expect_fatal x86/vmx/doomed
expect_stderr_matches 'renamed|deleted|gone|no longer exists|does not exist'
expect_state_exists x86/vmx/doomed

note "deleted, and no branch holds its last tip"
git checkout -q --no-track -b x86/vmx/lonely "$new"
git commit -q --allow-empty -m "KVM: VMX: Only on lonely"
run_kvmx86 prep --enroll
expect_exit 0
git checkout -q master
git branch -D -q x86/vmx/lonely
run_kvmx86 prep --show-info x86/vmx/lonely
expect_fatal x86/vmx/lonely
expect_stderr_matches 'renamed|deleted|gone|no longer exists|does not exist'
expect_state_exists x86/vmx/lonely

note "an empty series deleted: a new branch on the same base starts anew"
git checkout -q master
run_kvmx86 prep -n scratch
expect_exit 0
read_state x86/misc/scratch
scratch_id=$(json .change_id)
git checkout -q master
git branch -D -q x86/misc/scratch
git commit-tree -p refs/remotes/kvm-x86/next -m "KVM: x86: Mine" \
	"refs/remotes/kvm-x86/next^{tree}" >"$T/mine"
git update-ref refs/heads/x86/misc/mine "$(cat "$T/mine")"
run_kvmx86 prep --enroll x86/misc/mine
expect_exit 0
expect_stdout_lacks "adopted the state"
# but it says so, with the way back if it was a rename
expect_stdout_contains "the state of x86/misc/scratch (its branch gone, no commit recorded) was not adopted"
expect_stdout_contains "git branch -m x86/misc/mine x86/misc/scratch"
run_kvmx86 prep --show-info x86/misc/scratch
expect_exit 128
expect_stderr_contains "it recorded no commit of its own"
expect_stderr_contains "git branch -m <new-name> x86/misc/scratch"
read_state x86/misc/mine
[ "$(json .change_id)" != "$scratch_id" ] ||
	fail "x86/misc/mine took the change-id of the deleted empty series"
expect_state_exists x86/misc/scratch

note "a renamed series enrolled with --base: a new enrollment, not the old state"
git branch -m "$new" x86/vmx/again
run_kvmx86 prep --enroll x86/vmx/again --base refs/remotes/kvm-x86/next
expect_exit 0
expect_stdout_lacks "adopted the state"
read_state x86/vmx/again
[ "$(json .change_id)" != "$change_id" ] ||
	fail "--enroll --base adopted the renamed branch's state"
expect_state_exists "$new"
