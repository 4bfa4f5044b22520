#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The same situation gives the same exit status in every command, with
# nothing on stdout, --json or not: an empty series is a failure (128).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

# expect_empty_fatal ARGS...: kvmx86 ARGS fails, saying the series is empty.
expect_empty_fatal() {
	run_kvmx86 "$@"
	expect_fatal
	expect_stdout_empty
	expect_stderr_matches "empty|no commits"
}

note "an enrolled series with no commits yet: nothing to check, test or send"
run_kvmx86 prep -n nothing-yet --topic vmx
expect_exit 0
expect_empty_fatal check-base
expect_empty_fatal check-base --json
expect_empty_fatal prep --check
expect_empty_fatal prep --check --json
expect_empty_fatal test -- true
expect_empty_fatal test --json -- true
expect_empty_fatal send --dry-run
expect_empty_fatal send --dry-run --json

note "prep --show-info KEY BRANCH with an unknown KEY: bad usage that names the key"
run_kvmx86 prep --show-info revisoin x86/vmx/nothing-yet --json
expect_usage_error
expect_stderr_contains "unknown key 'revisoin'; did you mean 'revision'?"
run_kvmx86 prep --show-info bogus x86/vmx/nothing-yet
expect_usage_error
expect_stderr_contains "unknown key 'bogus'"

note "--json output that cannot be written: 128, whatever the command"
git config user.name "Tess Ting"
git config user.email tess@example.com
x86_commit 1
for args in "check-base --json" "prep --check --json" "prep --show-info --json" \
	    "prep --suggest-topic --json" "send --dry-run --json" "test --json -- true"; do
	LAST_CMD="kvmx86 $args >/dev/full"
	RC=0
	# shellcheck disable=SC2086
	"$KVMX86" $args >/dev/full 2>"$ERR" </dev/null || RC=$?
	[ "$RC" = 128 ] || fail "$LAST_CMD: exit $RC, not 128"
	expect_stderr_contains "could not write the output"
done

note "a bad kvmx86.* value: a failure for check-base and prep --check, enrolled or not; a refusal for send"
git config kvmx86.superficialLines many
run_kvmx86 check-base
expect_fatal "git config kvmx86.superficialLines"
run_kvmx86 prep --check --json
expect_fatal "git config kvmx86.superficialLines"
expect_stdout_empty
run_kvmx86 prep --check --json x86/vmx/good-series
expect_fatal "git config kvmx86.superficialLines"
run_kvmx86 send --dry-run --json
expect_exit 1
expect_json_true '.refusals | any(.reason | contains("kvmx86.superficialLines"))' \
	"the bad value is a refusal"
git config --unset kvmx86.superficialLines
