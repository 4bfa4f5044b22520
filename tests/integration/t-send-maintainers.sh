#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86's native MAINTAINERS matcher (the one send uses) against
# `scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats
# --nofixes` on a kernel tree: every patch of the fixture's five series and
# 30 other files of the tree give the same maintainers, reviewers and
# lists.  The sets are compared sorted: get_maintainer.pl's order of
# equally-ranked entries follows Perl's hash seed, which differs per run.
# The tree is $KX_KERNEL_FIXTURE (default /work/fixture-20k), read only.
. "$(dirname "$0")/lib.sh"

tree=${KX_KERNEL_FIXTURE:-/work/fixture-20k}
[ -f "$tree/MAINTAINERS" ] && [ -f "$tree/scripts/get_maintainer.pl" ] ||
	skip "no kernel tree with MAINTAINERS at $tree (set KX_KERNEL_FIXTURE)"
command -v perl >/dev/null 2>&1 || skip "perl is not installed"
: "${MAINT_PROBE:?set MAINT_PROBE to tests/maint-probe}"
cd "$tree"

gm() {
	perl scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats \
		--nofixes "$@" 2>/dev/null
}

compare() {
	local what=$1
	sort "$T/want" >"$T/want.s"
	sort "$T/got" >"$T/got.s"
	[ -s "$T/want.s" ] || fail "$what: get_maintainer.pl named no one (test setup)"
	cmp -s "$T/want.s" "$T/got.s" || {
		diff -u "$T/want.s" "$T/got.s" >&2 || true
		fail "$what: kvmx86 and get_maintainer.pl disagree (diff above)"
	}
}

note "the patches of the five series"
n=0
for spec in kvm-x86/next..x86/misc/bad-style kvm-x86/next..x86/mmu/multiarch \
	    kvm-x86/next..x86/pmu/bad-order kvm-x86/next..x86/vmx/fix-foo \
	    kvm/master..fixes/current; do
	for c in $(git rev-list --reverse "$spec"); do
		git format-patch --stdout -1 "$c" >"$T/patch"
		gm <"$T/patch" >"$T/want"
		"$MAINT_PROBE" . <"$T/patch" >"$T/got" 2>"$T/probe.err"
		compare "$spec: $(git log -1 --format=%s "$c")"
		n=$((n + 1))
	done
done
[ "$n" -ge 5 ] || fail "only $n patches in the five series (test setup)"

note "30 files of the tree, spread over it"
git ls-files | awk 'NR % 997 == 1' | head -30 >"$T/files"
[ "$(wc -l <"$T/files")" = 30 ] || fail "fewer than 30 files picked (test setup)"
while read -r f; do
	gm -f "$f" >"$T/want"
	"$MAINT_PROBE" . -f "$f" >"$T/got" 2>"$T/probe.err"
	[ -s "$T/want" ] || continue
	compare "-f $f"
done <"$T/files"

note "arch/x86/kvm names the x86 maintainers too (X86 ARCHITECTURE)"
"$MAINT_PROBE" . -f arch/x86/kvm/x86.c >"$T/got"
grep -q '^x86@kernel.org$' "$T/got" || fail "x86@kernel.org missing for arch/x86/kvm/x86.c"
grep -q '^kvm@vger.kernel.org$' "$T/got" || fail "kvm@vger.kernel.org missing for arch/x86/kvm/x86.c"
