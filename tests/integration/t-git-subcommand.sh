#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `git kvmx86 ...` through a git-kvmx86 symlink on PATH (as installed).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
mkdir "$T/bin"
ln -s "$KVMX86" "$T/bin/git-kvmx86"
export PATH="$T/bin:$PATH"
git checkout -q x86/vmx/good-series

RC=0
git kvmx86 check-base --json >"$OUT" 2>"$ERR" || RC=$?
LAST_CMD="git kvmx86 check-base --json"
expect_exit 0
expect_json .verdict ok

note "from a subdirectory"
cd arch/x86
RC=0
git kvmx86 check-base --print-base >"$OUT" 2>"$ERR" || RC=$?
LAST_CMD="git kvmx86 check-base --print-base"
expect_exit 0
expect_stdout_is "--base=$(sha refs/remotes/kvm-x86/next)"
