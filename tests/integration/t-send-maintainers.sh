#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86's native MAINTAINERS matcher (the one send uses) against
# `scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats
# --nofixes`.  Always: a small tree shaped like the kernel's (its KVM,
# KVM/x86, paravirt, Hyper-V, x86 and Xen entries as the kernel has them,
# test entries for F: globs, X:, N: and K:, a .mailmap) against the
# answers get_maintainer.pl gave on it, written out below, and against
# get_maintainer.pl itself when a kernel tree lends it.  With the kernel
# fixture, also: every patch of its five series and 30 other files of the
# tree give the same maintainers, reviewers and lists.  The sets are
# compared sorted: get_maintainer.pl's order of equally-ranked entries
# follows Perl's hash seed, which differs per run.  The fixture is
# $KX_KERNEL_FIXTURE (default /work/fixture-20k), read only.
. "$(dirname "$0")/lib.sh"

: "${MAINT_PROBE:?set MAINT_PROBE to tests/maint-probe}"
tree=${KX_KERNEL_FIXTURE:-/work/fixture-20k}
have_tree=false
[ -f "$tree/MAINTAINERS" ] && [ -f "$tree/scripts/get_maintainer.pl" ] &&
	command -v perl >/dev/null 2>&1 && have_tree=true

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


# mk_kernel_tree DIR: the small tree, committed; get_maintainer.pl wants
# the top-level files and directories by which it knows a kernel tree.
mk_kernel_tree() {
	local d=$1
	mkdir -p "$d" && cd "$d" || return 1
	git init -q
	mkdir -p Documentation/virt/kvm arch/x86/kvm/svm arch/x86/kvm/vmx arch/x86/kvm/mmu \
		arch/x86/kernel arch/x86/xen arch/x86/entry include/linux drivers fs init ipc \
		kernel lib scripts tools/testing/selftests/kvm/x86_64 virt/kvm
	for f in COPYING CREDITS Kbuild Makefile README; do echo "$f" >"$f"; done
	for f in arch/x86/kvm/x86.c arch/x86/kvm/cpuid.c arch/x86/kvm/hyperv.c arch/x86/kvm/pmu.c \
		 arch/x86/kvm/svm/pmu.c arch/x86/kvm/svm/svm.c arch/x86/kvm/vmx/pmu_intel.c \
		 arch/x86/kvm/vmx/vmx.c arch/x86/kvm/mmu/mmu.c arch/x86/kernel/kvm.c \
		 arch/x86/kernel/setup.c arch/x86/xen/enlighten.c arch/x86/entry/entry_64.S \
		 include/linux/kvm_host.h virt/kvm/kvm_main.c Documentation/virt/kvm/api.rst \
		 tools/testing/selftests/kvm/x86_64/pmu_test.c fs/open.c lib/sort.c; do
		printf '/* %s */\nint x;\n' "$f" >"$f"
	done
	cat >.mailmap <<'EOM'
Wanpeng Li <wanpeng.li@example.org> <wanpengli@tencent.com>
EOM
	cat >MAINTAINERS <<'EOM'
List of maintainers and how to submit kernel changes
====================================================

Descriptions of section entries and preferred order
---------------------------------------------------

	M: *Mail* patches to: FullName <address@domain>
	R: Designated *Reviewer*: FullName <address@domain>
	L: *Mailing list* that is relevant to this area
	S: *Status*, one of the following:
	F: *Files* and directories wildcard patterns.
	X: *Excluded* files and directories that are NOT maintained.
	N: Files and directories *Regex* patterns.
	K: *Content regex* (perl extended) pattern match in a patch or file.

Maintainers List
----------------

.. note:: When reading this list, please look for the most precise areas
          first. When adding to this list, please keep the entries in
          alphabetical order.

KERNEL VIRTUAL MACHINE (KVM)
M:	Paolo Bonzini <pbonzini@redhat.com>
L:	kvm@vger.kernel.org
S:	Supported
W:	http://www.linux-kvm.org
T:	git git://git.kernel.org/pub/scm/virt/kvm/kvm.git
F:	Documentation/virt/kvm/
F:	include/linux/kvm*
F:	tools/testing/selftests/kvm/
F:	virt/kvm/*

KERNEL VIRTUAL MACHINE FOR X86 (KVM/x86)
M:	Sean Christopherson <seanjc@google.com>
M:	Paolo Bonzini <pbonzini@redhat.com>
L:	kvm@vger.kernel.org
S:	Supported
T:	git git://git.kernel.org/pub/scm/virt/kvm/kvm.git
F:	arch/x86/include/asm/kvm*
F:	arch/x86/kvm/
F:	arch/x86/kvm/*/

KVM PARAVIRT (KVM/paravirt)
M:	Paolo Bonzini <pbonzini@redhat.com>
R:	Wanpeng Li <wanpengli@tencent.com>
R:	Vitaly Kuznetsov <vkuznets@redhat.com>
L:	kvm@vger.kernel.org
S:	Supported
F:	arch/x86/kernel/kvm.c

KVM X86 HYPER-V (KVM/hyper-v)
M:	Vitaly Kuznetsov <vkuznets@redhat.com>
M:	Sean Christopherson <seanjc@google.com>
M:	Paolo Bonzini <pbonzini@redhat.com>
L:	kvm@vger.kernel.org
S:	Supported
F:	arch/x86/kvm/hyperv.*
F:	arch/x86/kvm/svm/hyperv.*

KVM X86 MMU NAMES (a test entry: N:)
R:	Nina Names <nina@example.org>
S:	Supported
N:	mmu

KVM X86 PMU (a test entry: F: globs, X:, K:)
M:	Pam Pmu <pam@example.org>
L:	kvm-pmu@example.org
S:	Supported
F:	arch/x86/kvm/pmu.*
F:	arch/x86/kvm/*/pmu*.c
F:	tools/testing/selftests/kvm/x86_64/pmu*
X:	arch/x86/kvm/svm/pmu.c
K:	\bkvm_pmu_cap\b

X86 ARCHITECTURE (32-BIT AND 64-BIT)
M:	Thomas Gleixner <tglx@linutronix.de>
M:	Ingo Molnar <mingo@redhat.com>
M:	Borislav Petkov <bp@alien8.de>
M:	Dave Hansen <dave.hansen@linux.intel.com>
M:	x86@kernel.org
R:	"H. Peter Anvin" <hpa@zytor.com>
L:	linux-kernel@vger.kernel.org
S:	Maintained
T:	git git://git.kernel.org/pub/scm/linux/kernel/git/tip/tip.git x86/core
F:	arch/x86/

X86 ENTRY CODE
M:	Andy Lutomirski <luto@kernel.org>
L:	linux-kernel@vger.kernel.org
S:	Maintained
F:	arch/x86/entry/

XEN HYPERVISOR X86
M:	Juergen Gross <jgross@suse.com>
R:	Boris Ostrovsky <boris.ostrovsky@oracle.com>
L:	xen-devel@lists.xenproject.org (moderated for non-subscribers)
S:	Supported
F:	arch/x86/xen/

THE REST
M:	Linus Torvalds <torvalds@linux-foundation.org>
L:	linux-kernel@vger.kernel.org
S:	Buried alive in reporters
T:	git git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git
F:	*
F:	*/
EOM
	git add -A
	git -c user.name=T -c user.email=t@example.org commit -q -m "a small kernel-shaped tree"
}

# want_x86 / want_kvm_x86: the X86 ARCHITECTURE and KVM/x86 answers
want_x86() {
	printf '%s\n' '"H. Peter Anvin" <hpa@zytor.com>' 'Borislav Petkov <bp@alien8.de>' \
		'Dave Hansen <dave.hansen@linux.intel.com>' 'Ingo Molnar <mingo@redhat.com>' \
		'Thomas Gleixner <tglx@linutronix.de>' linux-kernel@vger.kernel.org x86@kernel.org
}
want_kvm_x86() {
	printf '%s\n' 'Paolo Bonzini <pbonzini@redhat.com>' \
		'Sean Christopherson <seanjc@google.com>' kvm@vger.kernel.org
}

# small WHAT [-f FILE | <PATCH]: the probe against the answer on stdin of
# the caller's block (in $T/want), and against get_maintainer.pl when the
# kernel tree lends it.
small() {
	local what=$1
	shift
	"$MAINT_PROBE" . "$@" >"$T/got" 2>"$T/probe.err" <"${PATCH:-/dev/null}"
	compare "$what"
	if $have_tree; then
		gm "$@" <"${PATCH:-/dev/null}" >"$T/want"
		compare "$what (get_maintainer.pl)"
	fi
}

note "a small kernel-shaped tree: files"
mk_kernel_tree "$T/kt"
if $have_tree; then
	cp "$tree/scripts/get_maintainer.pl" scripts/
fi
{ want_x86; want_kvm_x86; } >"$T/want"
small "arch/x86/kvm/: KVM/x86 and x86" -f arch/x86/kvm/x86.c
{ want_x86; want_kvm_x86; echo 'Vitaly Kuznetsov <vkuznets@redhat.com>'; } >"$T/want"
small "F: arch/x86/kvm/hyperv.*" -f arch/x86/kvm/hyperv.c
{ want_x86; want_kvm_x86; } >"$T/want"
small "X: arch/x86/kvm/svm/pmu.c" -f arch/x86/kvm/svm/pmu.c
{ want_x86; want_kvm_x86; echo 'Pam Pmu <pam@example.org>'; echo kvm-pmu@example.org; } >"$T/want"
small "F: arch/x86/kvm/*/pmu*.c" -f arch/x86/kvm/vmx/pmu_intel.c
{ want_x86; want_kvm_x86; echo 'Nina Names <nina@example.org>'; } >"$T/want"
small "N: mmu" -f arch/x86/kvm/mmu/mmu.c
{ want_x86; printf '%s\n' 'Paolo Bonzini <pbonzini@redhat.com>' kvm@vger.kernel.org \
	'Vitaly Kuznetsov <vkuznets@redhat.com>' 'Wanpeng Li <wanpeng.li@example.org>'; } >"$T/want"
small "KVM PARAVIRT's R:, through the .mailmap" -f arch/x86/kernel/kvm.c
{ want_x86; printf '%s\n' 'Boris Ostrovsky <boris.ostrovsky@oracle.com>' \
	'Juergen Gross <jgross@suse.com>' xen-devel@lists.xenproject.org; } >"$T/want"
small "a moderated list" -f arch/x86/xen/enlighten.c
{ want_x86; echo 'Andy Lutomirski <luto@kernel.org>'; } >"$T/want"
small "X86 ENTRY CODE" -f arch/x86/entry/entry_64.S
printf '%s\n' 'Paolo Bonzini <pbonzini@redhat.com>' kvm@vger.kernel.org \
	linux-kernel@vger.kernel.org >"$T/want"
small "include/linux/kvm*, THE REST's list" -f include/linux/kvm_host.h
printf '%s\n' 'Pam Pmu <pam@example.org>' 'Paolo Bonzini <pbonzini@redhat.com>' \
	kvm-pmu@example.org kvm@vger.kernel.org linux-kernel@vger.kernel.org >"$T/want"
small "the KVM selftests" -f tools/testing/selftests/kvm/x86_64/pmu_test.c
echo linux-kernel@vger.kernel.org >"$T/want"
small "THE REST alone" -f fs/open.c

note "a small kernel-shaped tree: patches"
echo "int y = kvm_pmu_cap;" >>arch/x86/kvm/cpuid.c
git -c user.name=T -c user.email=t@example.org commit -q -am "KVM: x86: Use the PMU caps"
git format-patch --stdout -1 >"$T/p1"
{ want_x86; want_kvm_x86; echo 'Pam Pmu <pam@example.org>'; echo kvm-pmu@example.org; } >"$T/want"
PATCH=$T/p1 small "K: \\bkvm_pmu_cap\\b in a patch's text"
echo "/* y */" >>arch/x86/kvm/vmx/vmx.c
echo "/* y */" >>arch/x86/kvm/hyperv.c
echo "/* y */" >>tools/testing/selftests/kvm/x86_64/pmu_test.c
git -c user.name=T -c user.email=t@example.org commit -q -am "KVM: x86: Touch three areas"
git format-patch --stdout -1 >"$T/p2"
{ want_x86; want_kvm_x86; echo 'Vitaly Kuznetsov <vkuznets@redhat.com>';
  echo 'Pam Pmu <pam@example.org>'; echo kvm-pmu@example.org; } >"$T/want"
PATCH=$T/p2 small "a patch over three entries"

$have_tree || { note "no kernel tree at $tree: the fixture's part is left out"; exit 0; }
cd "$tree"

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
