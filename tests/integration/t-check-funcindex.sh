#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# function-parens knows the functions of KVM's code in the tree the series
# sits on, not only those of the diff: prep --check scans arch/x86/kvm/,
# virt/kvm/, the KVM headers and selftests of the base once and caches the
# names by the base's id under <git-common-dir>/kvmx86/funcindex/.
. "$(dirname "$0")/lib.sh"

git init -q "$T/repo"
cd "$T/repo"
mkdir -p arch/x86/kvm virt/kvm drivers/net
printf '%s\n' 'int kvm_set_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)' '{' \
	'	return 0;' '}' '' 'static void kvm_other_helper(void)' '{' '}' \
	>arch/x86/kvm/x86.c
printf '%s\n' 'void kvm_mmu_zap_collapsible_spte(struct kvm *kvm);' \
	>virt/kvm/kvm_main.c
printf '%s\n' 'static int dummy_xmit_frame(void)' '{' '}' >drivers/net/dummy.c
commit_all "Initial tree"
git branch base
base=$(sha base)

echo 'int kvm_new_helper(void);' >>arch/x86/kvm/x86.c
commit_all "KVM: x86: Add a helper for kvm_set_cr0" \
	"Add kvm_new_helper() as kvm_mmu_zap_collapsible_spte does, unlike dummy_xmit_frame."

cache="$(git rev-parse --git-common-dir)/kvmx86/funcindex/$base"

note "names of the base's KVM code: warnings (kvm_set_cr0 is also the hunk's function)"
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json '[.findings[] | select(.rule == "function-parens") | .message] | join("|")' \
	"function 'kvm_set_cr0' named without parentheses in the shortlog: write 'kvm_set_cr0()'|function 'kvm_mmu_zap_collapsible_spte' named without parentheses in the changelog: write 'kvm_mmu_zap_collapsible_spte()'"
[ -f "$cache" ] || fail "no index cached at $cache"
[ "$(head -n 1 "$cache")" = "kvmx86-funcindex 1 $base" ] || fail "cache header: $(head -n 1 "$cache")"
! grep -qx dummy_xmit_frame "$cache" || fail "a driver's function is in the index"
grep -qx kvm_other_helper "$cache" || fail "kvm_other_helper is not in the index"

note "the cache is what the next run reads"
grep -vx kvm_mmu_zap_collapsible_spte "$cache" >"$T/cache" && cp "$T/cache" "$cache"
run_kvmx86 prep --check --json base..HEAD
expect_json '[.findings[] | select(.rule == "function-parens") | .message | contains("kvm_mmu_zap_collapsible_spte")] | any' false

note "a damaged cache is rebuilt"
printf 'garbage\n' >"$cache"
run_kvmx86 prep --check --json base..HEAD
expect_json '[.findings[] | select(.rule == "function-parens")] | length' 2
[ "$(head -n 1 "$cache")" = "kvmx86-funcindex 1 $base" ] || fail "the cache was not rebuilt"

note "an unwritable cache directory costs a scan, not the check"
rm -rf "$(dirname "$cache")"
mkdir -p "$(dirname "$(dirname "$cache")")"
: >"$(dirname "$cache")"	# a file where the directory should be
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json '[.findings[] | select(.rule == "function-parens")] | length' 2
