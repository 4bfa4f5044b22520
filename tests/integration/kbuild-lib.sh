# SPDX-License-Identifier: GPL-2.0-only
#
# A small kernel-shaped tree whose build system stands in for kbuild, for
# the kvmx86 test --kernel tests (t-test-kernel.sh, t-test-matrix.sh),
# sourced after lib.sh.  No full kernel build fits a test's time; this one
# does what kvmx86 relies on:
#   - make O=DIR builds in DIR, and refuses while the source tree has a
#     .config of its own, as kbuild does; "make mrproper" removes it and,
#     as kbuild's does, every object below the source tree;
#   - x86_64_defconfig, i386_defconfig (ARCH=i386 only), olddefconfig
#     keeping only the options arch/x86/kvm/Kconfig.known lists, as
#     Kconfig drops what it does not know (a file KVM's own: changing it
#     does not make kvmx86 build vmlinux again, unlike a Kconfig);
#   - vmlinux (vmlinux.o from arch/x86/kernel/core.c), modules, and
#     single arch/x86/kvm/<module>.ko targets that "link" each module
#     arch/x86/kvm/modules lists from x86.c and, as modpost checking
#     symbols, fail without vmlinux.o, and kvm.ko without
#     virt/lib/irqbypass.ko among the goals when IRQ_BYPASS_MANAGER=m
#     (modpost sees the symbols of the modules linked with it only);
#     arch/x86/kvm/ compiles only;
#   - each make with O= appends "<commit> ARCH=<arch> <goals>" to
#     DIR/make.log, so that the tests see what was built where.
#   - as kbuild's tools/ (objtool's fixdep), a pattern rule under the
#     build directory's absolute path: make finds no rule for its target
#     when that path holds a '%' (and a ':', '#' or blank breaks the
#     rule's syntax), as kbuild does;
#   - every compile goes through $(CC) (make CC=... from the command
#     line, as kvmx86 passes "distcc gcc"), host tools through $(HOSTCC).
#   - scripts/config --file F (--enable|--module|--disable) OPTION...

# make_kernel_tree DIR: the tree, committed as "Start" on master.
make_kernel_tree() {
	git init -q -b master "$1"
	cd "$1"
	mkdir -p arch/x86/kvm arch/x86/kernel scripts tools
	printf 'int kvm_x86(void) { return 0; }\n' >arch/x86/kvm/x86.c
	printf 'int main(void) { return 0; }\n' >tools/fixdep.c
	printf 'int core(void) { return 0; }\n' >arch/x86/kernel/core.c
	printf '%s\n' kvm kvm-intel kvm-amd >arch/x86/kvm/modules
	printf '%s\n' X86_64 64BIT KVM KVM_INTEL KVM_AMD EXPERT KVM_WERROR \
		KASAN KVM_SMM KVM_XEN PROVE_LOCKING IRQ_BYPASS_MANAGER \
		>arch/x86/kvm/Kconfig.known
	cat >Makefile <<'EOM'
B := $(if $(O),$(O),.)
K := $(B)/arch/x86/kvm
ifneq ($(O),)
ifneq ($(wildcard .config),)
$(error The source tree is not clean, please run 'make mrproper')
endif
$(shell mkdir -p $(K) && echo "$$(git rev-parse HEAD) ARCH=$(ARCH) $(MAKECMDGOALS)" >>$(B)/make.log)
endif
CFLAGS := -DARCH_$(if $(ARCH),$(ARCH),x86_64)
HOSTCC ?= cc
ABS := $(abspath $(B))
FIXDEP := $(ABS)/tools/fixdep.o

$(ABS)/tools/%.o: tools/%.c
	@mkdir -p $(dir $@) && $(HOSTCC) -c $< -o $@

x86_64_defconfig:
	@printf 'CONFIG_64BIT=y\nCONFIG_X86_64=y\nCONFIG_KASAN=y\nCONFIG_KVM_SMM=y\nCONFIG_IRQ_BYPASS_MANAGER=m\n' >$(B)/.config
i386_defconfig:
	@test "$(ARCH)" = i386 || { echo "i386_defconfig: ARCH=i386 please" >&2; exit 2; }
	@printf '# CONFIG_64BIT is not set\nCONFIG_KASAN=y\nCONFIG_KVM_SMM=y\nCONFIG_IRQ_BYPASS_MANAGER=m\n' >$(B)/.config
olddefconfig:
	@grep -E "^(# )?CONFIG_($$(paste -sd'|' arch/x86/kvm/Kconfig.known))[= ]" $(B)/.config >$(B)/.config.new || true
	@mv $(B)/.config.new $(B)/.config
mrproper:
	@rm -f .config
	@find . -name .git -prune -o \( -name '*.o' -o -name '*.ko' \) -type f -print | xargs rm -f
vmlinux: $(FIXDEP)
	@$(CC) $(CFLAGS) -c arch/x86/kernel/core.c -o $(B)/vmlinux.o
modules: vmlinux virt/lib/irqbypass.ko
	@for m in $$(cat arch/x86/kvm/modules); do \
		$(CC) $(CFLAGS) -c arch/x86/kvm/x86.c -o $(K)/$$m.o && cp $(K)/$$m.o $(K)/$$m.ko || exit 1; \
	done
virt/lib/irqbypass.ko:
	@mkdir -p $(B)/virt/lib && $(CC) $(CFLAGS) -c arch/x86/kernel/core.c -o $(B)/virt/lib/irqbypass.ko
arch/x86/kvm/%.ko: $(FIXDEP)
	@test -f $(B)/vmlinux.o || { echo "modpost: vmlinux.o is missing" >&2; exit 1; }
	@if [ '$*' = kvm ] && grep -qx CONFIG_IRQ_BYPASS_MANAGER=m $(B)/.config && \
	    [ -z "$(filter virt/lib/irqbypass.ko,$(MAKECMDGOALS))" ]; then \
		echo 'modpost: "irq_bypass_register_consumer" [kvm.ko] undefined!' >&2; exit 1; fi
	@if grep -qx '$*' arch/x86/kvm/modules; then \
		$(CC) $(CFLAGS) -c arch/x86/kvm/x86.c -o $(K)/$*.o && cp $(K)/$*.o $(K)/$*.ko; fi
arch/x86/kvm/: $(FIXDEP)
	@$(CC) $(CFLAGS) -c arch/x86/kvm/x86.c -o $(K)/x86.o
.PHONY: x86_64_defconfig i386_defconfig olddefconfig mrproper vmlinux modules arch/x86/kvm/
EOM
	cat >scripts/config <<'EOS'
#!/bin/sh
# scripts/config --file F (--enable|--module|--disable) OPT ...
file=.config
while [ $# -gt 0 ]; do
	case $1 in
	--file) file=$2; shift 2; continue ;;
	--enable) v="CONFIG_$2=y" ;;
	--module) v="CONFIG_$2=m" ;;
	--disable) v="# CONFIG_$2 is not set" ;;
	esac
	grep -v -E "^(# )?CONFIG_$2[= ]" "$file" >"$file.new" || true
	printf '%s\n' "$v" >>"$file.new"
	mv "$file.new" "$file"
	shift 2
done
EOS
	chmod +x scripts/config
	git add -A
	git commit -q -m "Start"
}

# make_log WT CONFIG: what make built in CONFIG's build directory of WT.
make_log() {
	cat "$1/.kvmx86-$2/make.log"
}
