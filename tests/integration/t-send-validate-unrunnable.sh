#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A sendemail-validate hook that cannot be run (its interpreter missing)
# stops send, as it stops git send-email, and the mail written for it
# does not stay behind in TMPDIR.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

cd "$(sample_repo)"
send_identity
five_series x86/vmx/checked
hook=$(pwd -P)/$(git rev-parse --git-path hooks)/sendemail-validate
mkdir -p "$(dirname "$hook")"
printf '#!/nonexistent/interpreter\nexit 0\n' >"$hook"
chmod +x "$hook"
mkdir "$T/tmp"

run_env TMPDIR="$T/tmp" -- send --dry-run
expect_exit 128
expect_stderr_contains "cannot run $hook"
left=$(find "$T/tmp" -mindepth 1)
[ -z "$left" ] || fail "left in TMPDIR: $left"
