#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test on a small C project: exactly the commit that does not build
# fails and the later fix passes; -j 2 gives what -j 1 gives; results are
# recorded in the state and reused; an interrupted run exits 2 and resumes;
# a commit that cannot be checked out is an error, not a failure; the
# user's checkout is never touched.
. "$(dirname "$0")/lib.sh"

command -v cc >/dev/null || skip "no C compiler"
repo="$T/proj"
git init -q -b master "$repo"
cd "$repo"
printf 'int main(void) { return 0; }\n' >main.c
git add main.c
git commit -q -m "Start"
git checkout -q -b x86/misc/runner
add() { printf '%s\n' "$1" >>main.c; git commit -q -am "$2"; }
add 'int one(void) { return 1; }' "KVM: x86: Add one"
add 'int two(void) { return 2; }' "KVM: x86: Add two"
add 'int three(void) { return 3 }' "KVM: x86: Add three, badly"
sed -i 's/return 3 }/return 3; }/' main.c
git commit -q -am "KVM: x86: Fix three"
add 'int four(void) { return 4; }' "KVM: x86: Add four"
broken=$(git rev-parse HEAD~2)
run_kvmx86 prep --enroll --base master
expect_exit 0
head_before=$(git rev-parse HEAD)
build=(cc -fsyntax-only main.c)

note "exactly the commit that does not build fails"
run_kvmx86 test -- "${build[@]}"
expect_exit 1
[ "$(grep -c ' pass ' "$OUT")" = 4 ] || fail "not 4 passes: $(cat "$OUT")"
grep -q "^${broken:0:12} fail .*KVM: x86: Add three, badly (exit 1, log " "$OUT" ||
	fail "the broken commit is not the failure"
expect_stdout_contains "first failure: ${broken:0:12} KVM: x86: Add three, badly: the series is not bisectable"
log=$(sed -n 's/.*(exit 1, log \(.*\))$/\1/p' "$OUT")
[ -f "$log" ] && grep -q 'error' "$log" || fail "the log $log has no compiler error"

note "the user's checkout is untouched; the work happened in kvmx86's worktrees"
[ "$(git rev-parse HEAD)" = "$head_before" ] || fail "HEAD moved"
[ -z "$(git status --porcelain)" ] || fail "the checkout changed: $(git status --porcelain)"
[ -d .git/kvmx86/worktrees/x86%2Fmisc%2Frunner/0 ] || fail "no worktree in the state dir"

note "results are in the state, and a re-run reuses them"
read_state x86/misc/runner
[ "$(json ".test_results[\"$broken\"][0].status")" = fail ] || fail "no recorded failure"
[ "$(json ".test_results[\"$broken\"][0].command")" = "${build[*]}" ] || fail "no recorded command"
run_kvmx86 test --json -- "${build[@]}"
expect_exit 1
expect_json '[.results[].recorded] | all' true
expect_json '.first_failure' "$broken"

note "prep --check turns the recorded failure into an error"
run_kvmx86 prep --check --json
expect_exit 1
expect_json '[.findings[] | select(.rule == "build-each-commit" and .severity == "error")] | length' 1
expect_json '.findings[] | select(.rule == "build-each-commit") | .message | contains("'"${broken:0:12}"'")' true

note "-j 2 gives what -j 1 gives"
run_kvmx86 test --rerun --json -j 1 -- "${build[@]}"
jq -c '[.results[] | [.commit, .status]]' "$OUT" >"$T/j1"
expect_json '[.results[].recorded] | any' false
run_kvmx86 test --rerun --json -j 2 -- "${build[@]}"
expect_exit 1
jq -c '[.results[] | [.commit, .status]]' "$OUT" >"$T/j2"
expect_same_file "$T/j1" "$T/j2"
[ -d .git/kvmx86/worktrees/x86%2Fmisc%2Frunner/1 ] || fail "-j 2 used one worktree"

note "options after REV are kvmx86's; after '--' they are the command's"
run_kvmx86 test x86/misc/runner --json -- true
expect_exit 0
expect_json '.first_failure' null
run_kvmx86 test x86/misc/runner -- echo --json
expect_exit 0
expect_stdout_lacks '"results"'
run_kvmx86 test x86/misc/runner --bogus -- true
expect_usage_error

note "--selftests runs after the command passes, and is recorded apart"
run_kvmx86 test --json --selftests "grep -q 'two(void)' main.c" -- "${build[@]}"
expect_exit 1
expect_json '[.results[].status] | join(" ")' "fail pass fail pass pass"
expect_json '[.results[0].steps[] | .kind + "=" + .status] | join(" ")' "command=pass selftests=fail"
expect_json '[.results[2].steps[] | .kind + "=" + .status] | join(" ")' "command=fail selftests=skipped"
expect_json '.results[0].steps[0].recorded' true
run_kvmx86 test --selftests "grep -q 'two(void)' main.c" -- "${build[@]}"
grep -q "KVM: x86: Add one (selftests: exit 1, log " "$OUT" || fail "the failing step is not named: $(cat "$OUT")"
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "run-selftests-kut" and .severity == "error")] | length' 1
run_kvmx86 test --selftests "grep -q 'unterminated" -- true
expect_usage_error

note "an interrupted run keeps what it has, exits 2, and resumes"
# the command interrupts kvmx86 itself at "Add two", until resume exists
stopper=(sh -c 'if grep -q two main.c && ! grep -q three main.c && [ ! -e "$0" ]; then kill -INT $PPID; sleep 5; fi; exec cc -fsyntax-only main.c' "$T/resume")
run_kvmx86 test --json -- "${stopper[@]}"
expect_exit 2
expect_json '.interrupted' true
expect_json '[.results[].status] | join(" ")' "pass skipped skipped skipped skipped"
touch "$T/resume"
run_kvmx86 test --json -- "${stopper[@]}"
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass pass fail pass pass"
expect_json '[.results[].recorded] | join(" ")' "true false false false false"

note "a commit that cannot be checked out is an error"
blob=$(git hash-object -w main.c)
long=$(printf 'f%.0s' $(seq 300))
tree=$( (git ls-tree HEAD; printf '100644 blob %s\t%s\n' "$blob" "$long") | git mktree)
c=$(git commit-tree "$tree" -p HEAD -m "KVM: x86: Add a file no file system takes")
git update-ref refs/heads/x86/misc/runner "$c"
run_kvmx86 test -- "${build[@]}"
expect_exit 1
grep -q "^${c:0:12} error .*git checkout failed" "$OUT" || fail "no error line: $(cat "$OUT")"
expect_stdout_contains "first failure: ${broken:0:12}"

note "bad usage"
run_kvmx86 test
expect_usage_error
run_kvmx86 test -j 0 -- true
expect_usage_error
run_kvmx86 test x86/misc/runner
expect_usage_error

note "prep --cleanup removes the branch's test worktrees"
run_kvmx86 prep --cleanup --force
expect_exit 0
[ ! -e .git/kvmx86/worktrees/x86%2Fmisc%2Frunner ] || fail "the worktrees outlived the state"
git worktree list --porcelain | grep -q 'kvmx86/worktrees' && fail "git still lists a test worktree"
true
