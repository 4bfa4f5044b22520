#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A branch deleted and made again under its name is another series: its
# reflog's first entry (the one that made it) is not the one the state
# recorded, so the earlier state is not used, --enroll archives it and
# starts anew, and its sent/ tags are not imported.  A branch moved,
# renamed, or with its reflog expired keeps its state; one prep -n made
# is recorded as it is made.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/again
git checkout -q -b "$b" "$next"
echo "/* first */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -s -am "KVM: VMX: Add the first" -m "The first series."
git config "branch.$b.description" "$(printf 'KVM: VMX: The first\n\nThe first series.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
run_kvmx86 prep --force-revision 3
expect_exit 0
read_state "$b"
expect_json_true '.branch_created | test("^[0-9a-f]{40} [0-9]+$")' "the state records the branch's creation"
created=$(json .branch_created)
[ "${created%% *}" = "$next" ] || fail "branch_created names ${created%% *}, not the commit $b was made at"
# b4's tag of a version of the first series
git tag -a -m "v1 of the first series" "sent/$b-v1" "$b"

note "moved (reset, a commit, kvmx86's own rewrite): the same branch"
git commit -q --allow-empty -s -m "KVM: VMX: Add nothing" -m "An empty one."
git reset -q --hard HEAD~1
run_kvmx86 prep --link '<bug@example.com>' --offline
expect_exit 0
run_kvmx86 prep --show-info revision
expect_exit 0
expect_stdout_contains "3"

note "deleted and made again: the state is an earlier branch's"
git checkout -q master
git branch -q -D "$b"
# made again at the same commit: only the time tells them apart
sleep 1
git checkout -q -b "$b" "$next"
echo "/* second */" >>arch/x86/kvm/x86.c
git commit -q -s -am "KVM: VMX: Add the second" -m "Another series, same name."
cp "$(state_file "$b")" "$T/earlier.json"
run_kvmx86 prep --show-info revision
expect_exit 128
expect_stderr_contains "is an earlier branch's of that name, deleted and made again since"
expect_stderr_contains "kvmx86 prep --enroll"
run_kvmx86 prep --check
expect_stdout_contains "note: the state of $b is an earlier branch's of that name"
expect_same_file "$(state_file "$b")" "$T/earlier.json" "commands on the new branch"

note "--enroll archives it and starts anew, without the earlier tags"
git config "branch.$b.description" "$(printf 'KVM: VMX: The second\n\nThe second series.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
expect_stdout_matches "the state of an earlier branch $b .* is archived to .*kvmx86/archive/"
archived=$(ls "$(git rev-parse --git-common-dir)"/kvmx86/archive/*.json)
[ "$(jq -r .revision "$archived")" = 3 ] || fail "the archive is not the earlier state"
run_kvmx86 prep --show-info revision
expect_exit 0
expect_stdout_contains "1"
read_state "$b"
expect_json_true '(.sent // []) | length == 0' "the earlier branch's sent/ tag was imported"
[ "$(json .change_id)" != "$(jq -r .change_id "$T/earlier.json")" ] ||
	fail "the new series took the earlier change-id"
git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null || fail "the earlier tag was deleted"

note "renamed: the state goes with it"
run_kvmx86 prep --force-revision 2
expect_exit 0
git branch -m "$b" x86/vmx/renamed
run_kvmx86 prep --enroll
expect_exit 0
expect_stdout_contains "adopted the state of $b"
run_kvmx86 prep --show-info revision
expect_exit 0
expect_stdout_contains "2"

note "a reflog expired: nothing to tell by, the state stays"
git reflog expire --expire=now --all
run_kvmx86 prep --show-info revision
expect_exit 0
expect_stdout_contains "2"

note "a state written before the record: recorded at its next save"
sf=$(state_file x86/vmx/renamed)
git checkout -q -b x86/vmx/older "$next"
echo "/* older */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -s -am "KVM: VMX: Add the older" -m "An older state."
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
sf=$(state_file x86/vmx/older)
jq 'del(.branch_created)' "$sf" >"$T/s" && cat "$T/s" >"$sf"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
read_state x86/vmx/older
expect_json_true '.branch_created | test("^[0-9a-f]{40} [0-9]+$")' "the record was added at the save"

note "made by prep -n: recorded at once, and told from one made again"
git config user.name "Tess Ting"
git config user.email tess@example.com
run_kvmx86 prep -n fresh
expect_exit 0
nb=$(git branch --show-current)
read_state "$nb"
expect_json_true '.branch_created | test("^[0-9a-f]{40} [0-9]+$")' "prep -n recorded the branch it made"
echo "/* fresh */" >>arch/x86/kvm/x86.c
git commit -q -s -am "KVM: x86: Add the fresh" -m "The fresh series."
git checkout -q master
git branch -q -D "$nb"
sleep 1
git checkout -q -b "$nb" "$next"
echo "/* other */" >>arch/x86/kvm/x86.c
git commit -q -s -am "KVM: x86: Add another" -m "Another series, same name."
run_kvmx86 prep --show-info revision
expect_exit 128
expect_stderr_contains "is an earlier branch's of that name, deleted and made again since"
