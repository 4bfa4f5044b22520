#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Unrelated histories: the series reaches a root commit (fatal).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q --orphan x86/vmx/orphan
git rm -rq --cached .
git clean -fdxq
add_lines arch/x86/kvm/vmx/vmx.c <<'EOT'
/* a new beginning */
EOT
commit_all "KVM: VMX: Start over"
x86_commit 1

run_kvmx86 check-base
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --json
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --print-base
expect_fatal
expect_stdout_empty
