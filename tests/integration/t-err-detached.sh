#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Detached HEAD on kvm-x86/next itself: nothing to compare (128).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q --detach refs/remotes/kvm-x86/next
run_kvmx86 check-base
expect_fatal "nothing to compare"
expect_stdout_empty
run_kvmx86 check-base --json
expect_fatal
expect_stdout_empty

note "detached on v6.3-rc2 (a tag): nothing to compare either"
git checkout -q --detach v6.3-rc2
run_kvmx86 check-base
expect_fatal "nothing to compare"

note "detached on master (v6.3-rc4): nothing to compare"
git checkout -q --detach master
run_kvmx86 check-base
expect_fatal "nothing to compare"
