#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep usage: one action per call (two -> 129), bad values -> 129, --help;
# a usage error changes nothing.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
run_kvmx86 prep --enroll
expect_exit 0
sf=$(state_file "$b")
cp "$sf" "$T/state.1"
refs_snapshot "$T/refs.before"

# usage ARGS...: kvmx86 prep ARGS... is a usage error that changes nothing.
usage() {
	run_kvmx86 prep "$@"
	expect_usage_error
	expect_same_file "$sf" "$T/state.1" "prep $*"
	expect_refs_unchanged "$T/refs.before" "prep $*"
	expect_no_state x86/misc/foo
}

note "two actions at once"
usage --show-info --set-prefixes RFC
usage --set-prefixes RFC --force-revision 2
usage --force-revision 2 --show-info
usage --edit-cover --cleanup
usage --cleanup --enroll
usage --enroll --show-info
usage -n foo --enroll
usage -n foo --show-info
usage --compare-to v1 --edit-cover

note "no action"
usage
usage "$b"

note "unknown option, missing values"
usage --no-such-option
usage -n
usage --set-prefixes
usage --force-revision
usage --compare-to
usage --show-info --json branch extra-arg "$b"

note "options of other actions"
usage --show-info --force
usage --show-info --drop-b4-cover
usage --set-prefixes RFC --topic pmu
usage --force-revision 2 --base v6.3-rc2

note "bad values"
usage --force-revision 0
usage --force-revision v0
usage --force-revision abc
usage --show-info no-such-key "$b"
usage --compare-to x

note "--help"
run_kvmx86 prep --help
expect_exit 0
expect_stdout_contains "prep"
expect_stdout_contains "--enroll"
expect_stdout_contains "--show-info"
run_kvmx86 help prep
expect_exit 0
expect_stdout_contains "--edit-cover"

note "kvmx86 --help lists prep"
run_kvmx86 --help
expect_exit 0
expect_stdout_matches '^ +prep'

note "an option that does not go with the action is named, with the action"
run_kvmx86 prep --offline --check
expect_exit 129
expect_stderr_contains "--offline does not go with --check"
run_kvmx86 prep --check --force
expect_exit 129
expect_stderr_contains "--force does not go with --check"

note "an empty --topic, a bad --force-revision: named as typed"
run_kvmx86 prep -n foo --topic ""
expect_exit 129
expect_stderr_contains "--topic needs a topic"
run_kvmx86 prep --force-revision v
expect_exit 129
expect_stderr_contains "bad revision 'v'"
