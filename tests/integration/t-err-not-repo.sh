#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Outside a git repository: fatal, exit 128.
. "$(dirname "$0")/lib.sh"

mkdir "$T/empty"
cd "$T/empty"
if git rev-parse --git-dir >/dev/null 2>&1; then
	skip "$T is inside a git repository"
fi

run_kvmx86 check-base
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --json
expect_fatal
run_kvmx86 check-base --print-base
expect_fatal
expect_stdout_empty
run_kvmx86 check-base kvm-x86/next..HEAD
expect_fatal
