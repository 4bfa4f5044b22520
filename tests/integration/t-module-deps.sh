#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What every command loads: the kvmx86 executable links no libgit2, and its
# commands' module links no libcurl (loaded by the first lore request:
# its 20 shared objects cost every command milliseconds). With the bundled
# libgit2 (meson -Dlibgit2), no TLS, SSH or Kerberos library either: the
# system build's load and CA-bundle parse cost every command ~15 ms.
. "$(dirname "$0")/lib.sh"

command -v ldd >/dev/null 2>&1 || skip "no ldd"
module=$(dirname "$KVMX86")/libkvmx86-cmd.so
[ -f "$module" ] || skip "no module next to $KVMX86"
ldd "$KVMX86" >"$T/exe" || fail "ldd $KVMX86"
ldd "$module" >"$T/module" || fail "ldd $module"
grep -q 'libgit2' "$T/exe" && fail "kvmx86 links libgit2"
grep -q 'libcurl' "$T/module" && fail "the module links libcurl"
case ${KX_LIBGIT2:-} in
bundled)
	grep -q 'libgit2' "$T/module" && fail "the module links the system libgit2"
	if grep -E 'libmbed|libssh2|libssl|libcrypto|libgssapi|libkrb5' "$T/module"; then
		fail "the module loads a TLS, SSH or Kerberos library"
	fi
	# libgit2 in the module, and git_libgit2_init() reads no CA bundle
	nm -D --defined-only "$module" | grep -q ' git_libgit2_init$' &&
		fail "the module exports libgit2's symbols"
	if command -v strace >/dev/null 2>&1; then
		(cd "$T" && git init -q r && cd r &&
			git commit -q --allow-empty -m "KVM: x86: Add nothing" &&
			strace -f -e trace=openat -o "$T/trace" "$KVMX86" prep --check HEAD \
				>/dev/null 2>&1) || true
		grep -q 'libkvmx86-cmd' "$T/trace" || fail "the module was not loaded (test setup)"
		grep -q 'ca-certificates\|/etc/ssl' "$T/trace" &&
			fail "a command reads the CA bundle"
	fi
	;;
system)
	grep -q 'libgit2' "$T/module" || fail "the module does not link libgit2 (test setup)"
	;;
*)
	fail "KX_LIBGIT2 is not set (test setup)"
	;;
esac
exit 0
