#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: --help, help <command>, --version, and the 129 usage errors.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q x86/vmx/good-series

note "check-base --help"
run_kvmx86 check-base --help
expect_exit 0
expect_stdout_contains "check-base"
expect_stdout_matches '[Uu]sage'
cp "$OUT" "$T/help.txt"

note "kvmx86 help check-base: the same text"
run_kvmx86 help check-base
expect_exit 0
cmp -s "$OUT" "$T/help.txt" || fail "'help check-base' differs from 'check-base --help'"

note "help needs no repository"
mkdir "$T/norepo"
(
	cd "$T/norepo"
	git rev-parse --git-dir >/dev/null 2>&1 && exit 0
	run_kvmx86 check-base --help
	expect_exit 0
	cmp -s "$OUT" "$T/help.txt" || fail "--help outside a repository differs"
)

note "kvmx86 --help / kvmx86 help"
run_kvmx86 --help
expect_exit 0
expect_stdout_contains "check-base"

note "--version"
run_kvmx86 --version
expect_exit 0
expect_stdout_matches '^kvmx86 [0-9]+\.[0-9]+'
if [ -n "${KVMX86_VERSION:-}" ]; then
	[ "$(head -n 1 "$OUT")" = "kvmx86 $KVMX86_VERSION" ] ||
		fail "--version: $(head -n 1 "$OUT")"
fi
# the second line names the libgit2 in use, and how this build has it
case ${KX_LIBGIT2:-} in
bundled) expect_stdout_matches '^libgit2 1\.5\.1 \(bundled; Debian 1\.5\.1\+ds-1\+deb12u1 patch series, deb12u2 security fixes' ;;
system) expect_stdout_matches '^libgit2 [0-9]+\.[0-9]+\.[0-9]+ \(system; built against ' ;;
esac
[ "$(wc -l <"$OUT")" = 2 ] || fail "--version prints $(wc -l <"$OUT") lines, not 2"

note "usage errors: 129"
run_kvmx86 check-base --bogus
expect_usage_error
run_kvmx86 check-base --scope=bogus
expect_usage_error
run_kvmx86 check-base --scope=
expect_usage_error
run_kvmx86 check-base x86/vmx/good-series x86/mmu/multiarch
expect_usage_error
run_kvmx86 check-base kvm-x86/next..x86/vmx/good-series HEAD
expect_usage_error
run_kvmx86 no-such-command
expect_usage_error
run_kvmx86 --no-such-option
expect_usage_error

note "valid scope spellings"
for s in x86 multi-arch current-fix; do
	run_kvmx86 check-base --json --scope="$s"
	case "$RC" in 0|1) ;; *) fail "--scope=$s: exit $RC" ;; esac
	expect_json .scope "$s"
done
