#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --force-revision N [REV]: N or vN, N >= 1; --show-info reflects it;
# bad values are usage errors that change nothing.  No commit id changes.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
run_kvmx86 prep --enroll
expect_exit 0
refs_snapshot "$T/refs.before"
read_state "$b"
change_id=$(json .change_id)

# expect_revision N
expect_revision() {
	read_state "$b"
	expect_json .revision "$1"
	expect_json '.revision | type' number
	expect_json .change_id "$change_id"
	run_kvmx86 prep --show-info revision
	expect_exit 0
	expect_stdout_is "revision: $1"
	run_kvmx86 prep --show-info --json
	expect_exit 0
	expect_json '.revision | tostring' "$1"
}

expect_revision 1

note "N"
run_kvmx86 prep --force-revision 3
expect_exit 0
expect_revision 3

note "vN"
run_kvmx86 prep --force-revision v7
expect_exit 0
expect_revision 7

note "back down to 2, and =VALUE"
run_kvmx86 prep --force-revision=2
expect_exit 0
expect_revision 2

note "1"
run_kvmx86 prep --force-revision v1
expect_exit 0
expect_revision 1

note "REV"
git checkout -q master
run_kvmx86 prep --force-revision 5 "$b"
expect_exit 0
git checkout -q "$b"
expect_revision 5

note "bad values: 129, nothing changed"
cp "$(state_file "$b")" "$T/state.1"
for bad in 0 v0 -1 x v 3x "" 1.5 99999999999999999999; do
	run_kvmx86 prep --force-revision "$bad"
	expect_usage_error
	expect_same_file "$(state_file "$b")" "$T/state.1" "--force-revision '$bad'"
done
run_kvmx86 prep --force-revision
expect_usage_error
expect_same_file "$(state_file "$b")" "$T/state.1" "--force-revision with no value"

expect_refs_unchanged "$T/refs.before" "--force-revision"
