#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test on a small C project: exactly the commit that does not build
# fails and the later fix passes, each line printed as it comes (a pipe
# too) with the compiler's error; -j 2 gives what -j 1 gives; results are
# recorded for the repository, keyed by tree, command and compiler, and
# reused (after a reword too), forgotten on request; an interrupted run
# exits 2 and resumes; a commit that cannot be checked out is an error,
# not a failure; the user's checkout is never touched.
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
wtdir=$(echo .git/kvmx86/worktrees/x86-misc-runner-??????????)
[ -d "$wtdir/0" ] || fail "no worktree in the state dir: $(ls .git/kvmx86/worktrees)"

note "the compiler's error is printed under the failing commit"
grep -A1 "^${broken:0:12} fail" "$OUT" | grep -q "^    main.c:4:.*error: expected" ||
	fail "no compiler error under the failure: $(cat "$OUT")"
expect_stdout_contains "note: the command is not declared a build (--build, kvmx86.buildCommand)"
expect_stdout_matches "; if it is one: kvmx86 test --build -- cc -fsyntax-only main.c\$"

note "results are the repository's, keyed by tree, command and compiler; a re-run reuses them"
records=.git/kvmx86/test-records.json
rec() { jq -r "[.records[] | select(.commit == \"$1\")][0].$2" "$records"; }
[ "$(rec "$broken" status)" = fail ] || fail "no recorded failure"
[ "$(rec "$broken" command)" = "${build[*]}" ] || fail "no recorded command"
[ "$(rec "$broken" tree)" = "$(git rev-parse "$broken^{tree}")" ] || fail "not keyed by the tree"
[ "$(rec "$broken" compiler)" = "$(cc --version | head -1)" ] || fail "no compiler recorded"
[ "$(rec "$broken" build)" = command ] || fail "a command taken for a build"
read_state x86/misc/runner
[ "$(json '.test_results | length')" = 0 ] || fail "results went to the branch's state"
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
[ -d "$wtdir/1" ] || fail "-j 2 used one worktree"

note "results as they happen: a pipe gets each commit's line before the run ends"
# the last commit waits until the first line is in the pipe's reader's file
waiter=(sh -c 'if grep -q four main.c; then i=0; while [ $i -lt 100 ] && ! grep -q "Add one" "$0"; do sleep 0.1; i=$((i + 1)); done; grep -q "Add one" "$0" || exit 7; fi; exec cc -fsyntax-only main.c' "$T/live.out")
"$KVMX86" test --rerun -- "${waiter[@]}" | cat >"$T/live.out"
grep -q "^${broken:0:12} fail" "$T/live.out" || fail "no result lines: $(cat "$T/live.out")"
tail -n +5 "$T/live.out" | grep -q "KVM: x86: Add four" || fail "the last commit was not last"
grep -q "Add four (exit 7" "$T/live.out" && fail "the first line came only at the end"
grep -q "fail.*KVM: x86: Add four" "$T/live.out" && fail "the first line came only at the end: $(cat "$T/live.out")"

note "a reword keeps the tree: its results are reused"
git checkout -q x86/misc/runner
git -c core.editor=true commit -q --amend -m "KVM: x86: Add four, reworded"
run_kvmx86 test --json -- "${build[@]}"
expect_exit 1
expect_json '[.results[].recorded] | all' true
expect_json '.results[4].subject' "KVM: x86: Add four, reworded"

note "a range and the branch see the same records"
run_kvmx86 test --json master..x86/misc/runner -- "${build[@]}"
expect_json '[.results[].recorded] | all' true
expect_json '.recorded' true

note "another compiler is another setup: nothing recorded applies"
mkdir -p "$T/cc2"
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "othercc 9.9"; exit 0; }\nexec cc "$@"\n' >"$T/cc2/othercc"
chmod +x "$T/cc2/othercc"
run_env CC="$T/cc2/othercc" -- test --json -- "${build[@]}"
expect_json '[.results[].recorded] | any' false
[ "$(jq '[.records[] | select(.commit == "'"$broken"'" and .command == "'"${build[*]}"'")] | length' "$records")" = 2 ] ||
	fail "not one record per compiler"

note "--forget forgets the series' results (3 commands, 5 trees), --forget-all the repository's"
run_kvmx86 test --forget
expect_exit 0
expect_stdout_contains "forgot 15 recorded results of the 5 commits of the series"
run_kvmx86 test --json -- "${build[@]}"
expect_json '[.results[].recorded] | any' false
run_kvmx86 test --forget-all
expect_exit 0
[ "$(jq '.records | length' "$records")" = 0 ] || fail "--forget-all left records"
run_kvmx86 test --forget --json
expect_usage_error
run_kvmx86 test --forget -- true
expect_usage_error
run_kvmx86 test -- "${build[@]}"

note "--build declares the command a build; kvmx86.buildCommand is one too"
run_kvmx86 test --json --build -- "${build[@]}"
expect_json '.build' "build"
expect_json '(.testing_statement | gsub("\\n"; " ")) | contains("Built with `cc -fsyntax-only main.c`")' true
git config kvmx86.buildCommand "cc -fsyntax-only 'main.c'"
run_kvmx86 test --json
expect_json '.build' "build"
expect_json '[.results[].recorded] | all' true
git config kvmx86.buildCommand "cc 'main.c"
run_kvmx86 test
expect_fatal "kvmx86.buildCommand is not a command"
git config --unset kvmx86.buildCommand
run_kvmx86 test --build
expect_usage_error
run_kvmx86 test -- "${build[@]}"

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
expect_stderr_contains "no command: give it after '--'"

note "a command without '--', or two revisions: bad usage, never dropped"
git config kvmx86.buildCommand true
run_kvmx86 test x86/misc/runner false
expect_usage_error
expect_stderr_contains "too many arguments: 'false'"
run_kvmx86 test x86/misc/runner master -- false
expect_usage_error
expect_stderr_contains "too many arguments: 'master'"
git config --unset kvmx86.buildCommand

note "the testing statement is the cover letter's: every command recorded, not this run's only"
four=$(git log -1 --format=%H --grep="Add four, reworded")
git worktree list --porcelain | sed -n 's/^worktree //p' | sort >"$T/wt.before"
run_kvmx86 test --build "master..$four" -- true
expect_exit 0
run_kvmx86 test "master..$four" -- sh -c ':'
expect_exit 0
tr '\n' ' ' <"$OUT" | grep -qF 'Built with `true` at every commit.' ||
	fail "the statement leaves out the build recorded earlier: $(cat "$OUT")"
tr '\n' ' ' <"$OUT" | grep -qF 'Ran `sh -c :` at every commit.' ||
	fail "the statement leaves out this run: $(cat "$OUT")"

note "--json: the notes the text prints; no exit status for a command that never ran"
run_kvmx86 test --json --rerun "master..$four" -- /nonexistent/command
expect_exit 1
expect_json '[.results[].steps[].exit] | unique | join(",")' ""
expect_json_true '[.results[].steps[].exit] | all(. == null)' "exit is null for a command that could not start"
expect_json_true '.notes | any(contains("is not declared a build"))' "the text's note in --json"

note "Ctrl-C while git makes the first worktree: the commit is skipped, not an error"
mkdir -p "$T/wrap"
cat >"$T/wrap/git" <<EOS
#!/bin/sh
# git, but a Ctrl-C reaches kvmx86 (its parent) while it adds a worktree
case " \$* " in
*" worktree add "*) kill -INT \$PPID; exit 130 ;;
esac
exec $(command -v git) "\$@"
EOS
chmod +x "$T/wrap/git"
git branch -q x86/misc/ctrlc "$four"
run_env PATH="$T/wrap:$PATH" -- test --rerun "master..x86/misc/ctrlc" -- true
expect_exit 2 "interrupted"
expect_stdout_contains " 0 error, "
expect_stdout_lacks "worktree add failed"
expect_stdout_contains "interrupted: run the same command again to resume"
git branch -q -D x86/misc/ctrlc

note "a sparse checkout and a failing post-checkout hook stay out of the worktrees"
git sparse-checkout set --no-cone /nothing-here
[ ! -e main.c ] || fail "the sparse checkout did not take main.c away"
mkdir -p "$T/hooks"
printf '#!/bin/sh\necho hook >>"%s/hook.log"\nexit 1\n' "$T" >"$T/hooks/post-checkout"
chmod +x "$T/hooks/post-checkout"
git config core.hooksPath "$T/hooks"
rm -f "$T/hook.log"
run_kvmx86 test --rerun "master..$four" -- test -f main.c
expect_exit 0
# the range's own worktrees: not the branch's, which --cleanup removes below
git worktree list --porcelain | sed -n 's/^worktree //p' | sort |
	comm -13 "$T/wt.before" - | while read -r w; do git worktree remove --force "$w"; done
expect_stdout_contains "every commit passes"
[ ! -e "$T/hook.log" ] || fail "the user's hook ran in kvmx86's worktrees: $(wc -l <"$T/hook.log") times"
git config --unset core.hooksPath
git sparse-checkout disable

note "prep --cleanup removes the branch's test worktrees"
run_kvmx86 prep --cleanup --force
expect_exit 0
expect_stderr_contains "removing the worktrees kvmx86 test made for x86/misc/runner..."
[ ! -e "$wtdir" ] || fail "the worktrees outlived the state"
git worktree list --porcelain | grep -q 'kvmx86/worktrees' && fail "git still lists a test worktree"
true
