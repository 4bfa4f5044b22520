#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --set-prefixes PREFIXES [REV]: "RFC", "RFC,RESEND", "RFC RESEND";
# "" clears.  No commit id changes.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
run_kvmx86 prep --enroll
expect_exit 0
refs_snapshot "$T/refs.before"

# expect_prefixes JSON-JOINED INFO-VALUE
expect_prefixes() {
	read_state "$b"
	expect_json '.prefixes | type' array
	expect_json '.prefixes | join(",")' "$1"
	run_kvmx86 prep --show-info prefixes "$b"
	expect_exit 0
	expect_info prefixes "$2"
}

note "one prefix"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
expect_prefixes RFC RFC

note "comma-separated"
run_kvmx86 prep --set-prefixes RFC,RESEND
expect_exit 0
# it says what the subjects become, as --force-revision says its version
expect_stdout_contains "subjects begin [PATCH RFC RESEND k/N]"
expect_prefixes RFC,RESEND "RFC RESEND"

note "space-separated"
run_kvmx86 prep --set-prefixes "RESEND RFC"
expect_exit 0
expect_prefixes RESEND,RFC "RESEND RFC"

note "--set-prefixes=VALUE"
run_kvmx86 prep --set-prefixes=RFC
expect_exit 0
expect_prefixes RFC RFC

note "\"\" clears"
run_kvmx86 prep --set-prefixes ""
expect_exit 0
expect_prefixes "" ""

note "REV"
git checkout -q master
run_kvmx86 prep --set-prefixes "RFC" "$b"
expect_exit 0
expect_prefixes RFC RFC
git checkout -q "$b"

note "other keys untouched"
read_state "$b"
jq -S 'del(.prefixes)' "$OUT" >"$T/before.json"
run_kvmx86 prep --set-prefixes "RFC,RESEND"
expect_exit 0
read_state "$b"
jq -S 'del(.prefixes)' "$OUT" | diff -u "$T/before.json" - ||
	fail "--set-prefixes changed more than the prefixes"

note "a missing value is bad usage"
cp "$(state_file "$b")" "$T/state.1"
run_kvmx86 prep --set-prefixes
expect_usage_error
expect_same_file "$(state_file "$b")" "$T/state.1" "--set-prefixes with no value"

note "PATCH, a version and the brackets are the subject's own: bad usage"
for v in PATCH "RFC patch" v2 "RFC,V3" "[RFC]" "RFC]"; do
	run_kvmx86 prep --set-prefixes "$v"
	expect_usage_error
	expect_same_file "$(state_file "$b")" "$T/state.1" "--set-prefixes '$v'"
done
run_kvmx86 prep --set-prefixes "RFC v2"
expect_stderr_contains "kvmx86 prep --force-revision 2 sets it"
run_kvmx86 prep --set-prefixes "RFC,vmx"
expect_exit 0

expect_refs_unchanged "$T/refs.before" "--set-prefixes"
