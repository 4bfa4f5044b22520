#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check / --suggest-topic usage errors (129, nothing on stdout,
# nothing changed), and failures (128).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/bad-style
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
}

note "--json with an action that has no --json"
usage --json --cleanup
usage --cleanup --json
usage --json --enroll
usage --json --edit-cover
usage --json

note "--check or --suggest-topic with another action"
usage --check --cleanup
usage --check --json --cleanup
usage --check --suggest-topic
usage --suggest-topic --check --json
usage --check --enroll
usage --check --show-info
usage --suggest-topic --show-info
usage --check -n foo
usage --suggest-topic --set-prefixes RFC

note "options of other actions"
usage --check --topic vmx
usage --check --base HEAD~1
usage --check --force
usage --check --drop-b4-cover
usage --suggest-topic --topic vmx
usage --suggest-topic --force

note "too many arguments, unknown options"
usage --check "$b" HEAD
usage --check --json "$b" "$b~1..$b"
usage --suggest-topic HEAD HEAD~1
usage --check --no-such-option
usage --suggest-topic --no-such-option

note "failures: 128, nothing on stdout"
run_kvmx86 prep --check no-such-rev
expect_fatal
expect_stdout_empty
run_kvmx86 prep --check --json no-such-rev..HEAD
expect_fatal
expect_stdout_empty
run_kvmx86 prep --suggest-topic no-such-rev
expect_fatal
expect_stdout_empty
mkdir "$T/empty"
cd "$T/empty"
git rev-parse --git-dir >/dev/null 2>&1 && exit 0	# $T is in a repository
run_kvmx86 prep --check
expect_fatal
expect_stdout_empty
run_kvmx86 prep --suggest-topic --json
expect_fatal
expect_stdout_empty
