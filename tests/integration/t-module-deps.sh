#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What every command loads: the kvmx86 executable links no libgit2, and its
# commands' module links no libcurl (loaded by the first lore request:
# its 20 shared objects cost every command milliseconds).
. "$(dirname "$0")/lib.sh"

command -v ldd >/dev/null 2>&1 || skip "no ldd"
module=$(dirname "$KVMX86")/libkvmx86-cmd.so
[ -f "$module" ] || skip "no module next to $KVMX86"
ldd "$KVMX86" >"$T/exe" || fail "ldd $KVMX86"
ldd "$module" >"$T/module" || fail "ldd $module"
grep -q 'libgit2' "$T/exe" && fail "kvmx86 links libgit2"
grep -q 'libgit2' "$T/module" || fail "the module does not link libgit2 (test setup)"
grep -q 'libcurl' "$T/module" && fail "the module links libcurl"
exit 0
