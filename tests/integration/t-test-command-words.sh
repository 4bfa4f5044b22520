#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test shows the command as the shell words one pastes back: the
# note about a command not declared a build ends with the command line
# that declares it (no '...' nested in '...'), and the testing statement
# puts the command in a code span, not in double quotes.  Pasted into a
# shell, each gives the same argv.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
range=kvm-x86/next..x86/vmx/good-series

# passes only with exactly these two words after -c's script
words=(sh -c 'test "$0" = "it'\''s a \"test\"" && test "$1" = "\$HOME \`x\`"' "it's a \"test\"" '$HOME `x`')

note "a command of quotes: the note ends with a command line to paste"
run_kvmx86 test "$range" -- "${words[@]}"
expect_exit 0
expect_stdout_contains "3 commits: 3 pass"
line=$(grep '^note: the command is not declared a build' "$OUT") ||
	fail "no note about the build"
paste=${line#*; if it is one: }
[ "${paste%% *}" = kvmx86 ] || fail "the note does not end with a command line: $line"
# the shell takes it back as the same argv: a --build run that passes
eval "set -- ${paste#kvmx86 }"
[ "$1 $2 $3" = "test --build $range" ] || fail "the pasted line is not kvmx86 test --build $range: $*"
shift 4
[ $# = ${#words[@]} ] || fail "the pasted command has $# words, not ${#words[@]}: $paste"
for i in "${!words[@]}"; do
	w=$1
	shift
	[ "$w" = "${words[$i]}" ] || fail "word $i pasted back is '$w', not '${words[$i]}'"
done
eval "run_kvmx86 ${paste#kvmx86 }"
expect_exit 0 "the pasted command line"
expect_stdout_contains "3 commits: 3 pass"
expect_stdout_lacks "is not declared a build"

note "the testing statement: the command in a code span, the same shell words"
run_kvmx86 test --json "$range" -- "${words[@]}"
expect_exit 0
statement=$(json .testing_statement | tr '\n' ' ')
# the declared build of the pasted run; a backtick in it: a span of two
case $statement in
*'Built with `` sh -c '*' `` at every commit.'*) ;;
*) fail "no 'Built with \`\` sh -c ... \`\`': $statement" ;;
esac
[[ $statement != *'"sh -c'* ]] || fail "the command is in double quotes: $statement"
span=${statement#*Built with \`\` }
span=${span%% \`\` at every commit.*}
eval "set -- $span"
[ $# = ${#words[@]} ] || fail "the statement's command has $# words, not ${#words[@]}: $span"
for i in "${!words[@]}"; do
	[ "$1" = "${words[$i]}" ] || fail "the statement's word $i is '$1', not '${words[$i]}'"
	shift
done

note "sh -c 'exit 1': one level of quotes, nothing nested"
run_kvmx86 test "$range" -- sh -c 'exit 1'
expect_exit 1
expect_stdout_contains "; if it is one: kvmx86 test --build $range -- sh -c 'exit 1'"
expect_stdout_lacks "'sh -c"
tr '\n' ' ' <"$OUT" | grep -qF '`sh -c '\''exit 1'\''` fails at every commit.' ||
	fail "the failure is not stated with the command in a code span: $(cat "$OUT")"

note "a script of several lines: its results recorded and reused, like any"
script='test -d arch
test -f Makefile'
run_kvmx86 test "$range" -- sh -c "$script"
expect_exit 0
expect_stdout_contains "3 commits: 3 pass"
expect_stderr_lacks "test records"
run_kvmx86 test --json "$range" -- sh -c "$script"
expect_exit 0
[ "$(json '[.results[].recorded] | all')" = true ] ||
	fail "the second run did not reuse the recorded results: $(cat "$OUT")"
run_kvmx86 test "$range" -- true
expect_exit 0 "the store read back with the script in it"
# the note shows it on one line ($'...'), pasted back the same script
run_kvmx86 test "$range" -- sh -c "$script"
line=$(grep '^note: the command is not declared a build' "$OUT") ||
	fail "no note about the build for the script"
case $line in *^J*) fail "the script's line break shows as ^J: $line" ;; esac
paste=${line#*; if it is one: }
eval "set -- ${paste#kvmx86 }"
shift 4
[ "$#" = 3 ] && [ "$1 $2" = "sh -c" ] && [ "$3" = "$script" ] ||
	fail "the script pasted back is not the same: $paste"

note "a range named with characters a shell reads is quoted too"
git branch 'x86/vmx/a$b' x86/vmx/good-series 2>/dev/null ||
	skip "git takes no '\$' in a branch name"
run_kvmx86 test 'kvm-x86/next..x86/vmx/a$b' -- false
expect_stdout_contains "kvmx86 test --build 'kvm-x86/next..x86/vmx/a\$b' -- false"
