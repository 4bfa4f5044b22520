#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep -n NAME [--topic TOPIC] [--base REV]: a new series branch
# x86/<topic>/<name> on kvm-x86/next (never the topic branch), checked out,
# with its state; refusals change nothing.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
pmu=$(sha refs/remotes/kvm-x86/pmu)
misc=$(sha refs/remotes/kvm-x86/misc)
rc2=$(sha v6.3-rc2)
[ "$next" != "$pmu" ] && [ "$next" != "$misc" ] || fail "bad sample repo"
today=$(date -u +%Y%m%d)

# expect_new_state BRANCH NAME BASE-COMMIT: the state of a new series.
expect_new_state() {
	read_state "$1"
	local k
	for k in schema_version branch change_id revision prefixes cover base \
		 sent test_results imported_from b4_cover_commit last_tip; do
		expect_json_true "has(\"$k\")" "state has '$k'"
	done
	expect_json .schema_version 2
	expect_json .branch "$1"
	expect_json .revision 1
	expect_json '.prefixes | length' 0
	expect_json .base.commit "$3"
	expect_json '.sent | length' 0
	expect_json '.test_results | type' object
	expect_json '.test_results | length' 0
	expect_json .imported_from null
	expect_json .b4_cover_commit null
	expect_json .last_tip "$3"
	expect_json_true ".change_id | test(\"^[0-9]{8}-$2-[0-9a-f]{12}\$\")" \
		"change_id is YYYYMMDD-$2-<12hex>"
	local day
	day=$(json .change_id | cut -c1-8)
	[ "$day" = "$today" ] || [ "$day" = "$(date -u +%Y%m%d)" ] ||
		fail "change_id date $day is not today ($today)"
}

note "default topic: misc, on the tip of kvm-x86/next"
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n first-series
expect_exit 0
expect_stdout_is "created x86/misc/first-series on kvm-x86/next ($(short "$next"))"
[ "$(git symbolic-ref HEAD)" = refs/heads/x86/misc/first-series ] ||
	fail "x86/misc/first-series is not checked out"
[ "$(sha x86/misc/first-series)" = "$next" ] ||
	fail "x86/misc/first-series is not at kvm-x86/next"
[ "$(sha x86/misc/first-series)" != "$misc" ] || fail "on the topic branch"
[ -z "$(git status --porcelain)" ] || fail "work tree not clean"
expect_new_state x86/misc/first-series first-series "$next"
expect_json .base.ref kvm-x86/next
expect_json .base.scope x86
# nothing else moved
git for-each-ref --format='%(objectname) %(refname)' >"$T/refs.after"
grep -v ' refs/heads/x86/misc/first-series$' "$T/refs.after" >"$T/refs.after2"
grep -v '^HEAD ' "$T/refs.before" | diff -u - "$T/refs.after2" ||
	fail "-n moved other refs"

note "the file name escapes '/'"
[ -f "$(git rev-parse --git-common-dir)/kvmx86/state/x86%2Fmisc%2Ffirst-series.json" ] ||
	fail "no x86%2Fmisc%2Ffirst-series.json"

note "--show-info works on the new branch"
run_kvmx86 prep --show-info
expect_exit 0
expect_info branch x86/misc/first-series
expect_info revision 1
expect_info base-commit "$next"

note "--topic pmu: x86/pmu/NAME, still on next, not on kvm-x86/pmu"
git checkout -q master
run_kvmx86 prep -n counters --topic pmu
expect_exit 0
expect_stdout_is "created x86/pmu/counters on kvm-x86/next ($(short "$next"))"
[ "$(git symbolic-ref HEAD)" = refs/heads/x86/pmu/counters ] ||
	fail "x86/pmu/counters is not checked out"
[ "$(sha x86/pmu/counters)" = "$next" ] || fail "x86/pmu/counters is not on next"
[ "$(sha x86/pmu/counters)" != "$pmu" ] || fail "x86/pmu/counters is on kvm-x86/pmu"
expect_new_state x86/pmu/counters counters "$next"

note "--topic=VALUE form"
git checkout -q master
run_kvmx86 prep -n paging --topic=mmu
expect_exit 0
[ "$(sha x86/mmu/paging)" = "$next" ] || fail "x86/mmu/paging is not on next"

note "an unknown topic fails, listing the topics, creating nothing"
git checkout -q master
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n nope --topic nosuchtopic
expect_fatal nosuchtopic
for topic in mmu pmu vmx svm misc selftests xen generic; do
	expect_stderr_contains "$topic"
done
expect_refs_unchanged "$T/refs.before" "unknown topic"
expect_no_state x86/nosuchtopic/nope

note "--base REV: on REV"
run_kvmx86 prep -n rc-based --base v6.3-rc2
expect_exit 0
expect_stdout_is "created x86/misc/rc-based on v6.3-rc2 ($(short "$rc2"))"
[ "$(sha x86/misc/rc-based)" = "$rc2" ] || fail "x86/misc/rc-based is not on v6.3-rc2"
[ "$(git symbolic-ref HEAD)" = refs/heads/x86/misc/rc-based ] ||
	fail "x86/misc/rc-based is not checked out"
read_state x86/misc/rc-based
expect_json .base.commit "$rc2"
expect_json .last_tip "$rc2"

note "--base may name the topic branch"
git checkout -q master
run_kvmx86 prep -n on-topic --topic pmu --base kvm-x86/pmu
expect_exit 0
[ "$(sha x86/pmu/on-topic)" = "$pmu" ] || fail "x86/pmu/on-topic is not on kvm-x86/pmu"
read_state x86/pmu/on-topic
expect_json .base.commit "$pmu"

note "--base of something that does not exist"
git checkout -q master
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n nobase --base no-such-rev
expect_fatal no-such-rev
expect_refs_unchanged "$T/refs.before" "--base no-such-rev"
expect_no_state x86/misc/nobase

note "an existing branch: 128, nothing changed"
before_state=$(state_file x86/misc/first-series)
cp "$before_state" "$T/first.json"
run_kvmx86 prep -n first-series
expect_fatal x86/misc/first-series
expect_refs_unchanged "$T/refs.before" "existing branch"
expect_same_file "$before_state" "$T/first.json" "existing branch"

note "a local branch that exists without state is not overwritten either"
git branch --no-track x86/misc/taken v6.3-rc2
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n taken
expect_fatal x86/misc/taken
expect_refs_unchanged "$T/refs.before" "existing plain branch"
expect_no_state x86/misc/taken

note "local changes that -n would overwrite: refused, nothing changed"
git checkout -q master
! git diff --quiet "$next" master -- virt/kvm/kvm_main.c ||
	fail "bad sample repo: kvm_main.c is the same on master and next"
echo "/* local change */" >>virt/kvm/kvm_main.c
echo "untracked" >untracked.txt
git status --porcelain >"$T/status.before"
cp virt/kvm/kvm_main.c "$T/kvm_main.c.before"
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n conflict
expect_fatal
expect_refs_unchanged "$T/refs.before" "dirty tree"
expect_no_state x86/misc/conflict
git status --porcelain | diff -u "$T/status.before" - || fail "status changed"
expect_same_file virt/kvm/kvm_main.c "$T/kvm_main.c.before" "dirty tree"
[ -z "$(git diff --cached --name-only)" ] || fail "the index changed"

note "local changes that do not conflict are carried over, like git switch -c"
git checkout -q -- virt/kvm/kvm_main.c
git diff --quiet "$next" master -- include/uapi/linux/kvm.h ||
	fail "bad sample repo: kvm.h differs between master and next"
echo "/* carried */" >>include/uapi/linux/kvm.h
run_kvmx86 prep -n carried
expect_exit 0
[ "$(git symbolic-ref HEAD)" = refs/heads/x86/misc/carried ] ||
	fail "x86/misc/carried is not checked out"
[ "$(sha HEAD)" = "$next" ] || fail "x86/misc/carried is not on next"
tail -n1 include/uapi/linux/kvm.h | grep -qF '/* carried */' ||
	fail "the local change was lost"
[ -f untracked.txt ] || fail "the untracked file was lost"
git checkout -q -- include/uapi/linux/kvm.h
rm -f untracked.txt

note "from a linked worktree: the state goes to the common dir"
git checkout -q master
git worktree add -q --detach "$T/wt" master
(
	cd "$T/wt"
	run_kvmx86 prep -n from-worktree
	expect_exit 0
	[ "$(git symbolic-ref HEAD)" = refs/heads/x86/misc/from-worktree ] ||
		fail "not checked out in the worktree"
)
expect_state_exists x86/misc/from-worktree
[ ! -e "$(git rev-parse --git-dir)/worktrees/wt/kvmx86" ] ||
	fail "state written under the worktree's private git dir"
