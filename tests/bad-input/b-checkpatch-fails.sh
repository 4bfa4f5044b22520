#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check --checkpatch where checkpatch.pl cannot run (it exits 2,
# "Must be run from the top-level dir", or dies): an error finding that
# says why, exit 1, never the look of a clean run.
. "$(dirname "$0")/lib.sh"

enrolled_series
snapshot "$T/before"
mkdir -p scripts
cat >scripts/checkpatch.pl <<'EOS'
#!/usr/bin/perl
print STDERR "checkpatch.pl: Must be run from the top-level dir. of a kernel tree\n";
exit 2;
EOS

note "checkpatch exits 2"
run_kvmx86 prep --check
expect_exit 0
cp "$OUT" "$T/plain.out"
run_kvmx86 prep --check --checkpatch
expect_exit 1
expect_stdout_contains "error checkpatch: scripts/checkpatch.pl failed (exit 2), this commit is not checked: checkpatch.pl: Must be run from the top-level dir. of a kernel tree"
cmp -s "$OUT" "$T/plain.out" && fail "--checkpatch looks like a run without it"

note "checkpatch dies"
printf '#!/usr/bin/perl\ndie "Undefined subroutine &main::foo called";\n' >scripts/checkpatch.pl
run_kvmx86 prep --check --checkpatch --json
expect_exit 1
expect_json_true '[.findings[] | select(.rule == "checkpatch" and (.message | test("exit 255")))] | length == 3'

note "checkpatch exits 1 without a finding it could print"
printf '#!/usr/bin/perl\nexit 1;\n' >scripts/checkpatch.pl
run_kvmx86 prep --check --checkpatch
expect_exit 1
expect_stdout_contains "failed (exit 1), this commit is not checked: it printed nothing"

note "a clean checkpatch is clean"
printf '#!/usr/bin/perl\nexit 0;\n' >scripts/checkpatch.pl
run_kvmx86 prep --check --checkpatch
expect_exit 0
expect_stdout_lacks "checkpatch"
rm -rf scripts
expect_unchanged "$T/before" "prep --check --checkpatch"
