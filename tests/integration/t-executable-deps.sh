#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What the kvmx86 executable loads.  No libcurl at start (http.c loads it
# with the first lore request: its 20 shared objects would cost every
# command milliseconds).  With the bundled libgit2 (meson -Dlibgit2), no
# libgit2.so and no TLS, SSH or Kerberos library, and no command reads
# the CA bundle: the system build's load and CA-bundle parse cost every
# command ~15 ms.
. "$(dirname "$0")/lib.sh"

command -v ldd >/dev/null 2>&1 || skip "no ldd"
ldd "$KVMX86" >"$T/ldd" || fail "ldd $KVMX86"
grep -q 'libcurl' "$T/ldd" && fail "kvmx86 links libcurl"
case ${KX_LIBGIT2:-} in
bundled)
	grep -q 'libgit2' "$T/ldd" && fail "kvmx86 links the system libgit2"
	if grep -E 'libmbed|libssh2|libssl|libcrypto|libgssapi|libkrb5' "$T/ldd"; then
		fail "kvmx86 loads a TLS, SSH or Kerberos library"
	fi
	# libgit2 is inside, and is not exported
	nm -D --defined-only "$KVMX86" | grep -q ' git_libgit2_init$' &&
		fail "kvmx86 exports libgit2's symbols"
	nm "$KVMX86" 2>/dev/null | grep -q ' git_libgit2_init$' ||
		nm -D "$KVMX86" | grep -q 'git_libgit2_init' ||
		fail "no git_libgit2_init in kvmx86 (test setup)"
	command -v strace >/dev/null 2>&1 || skip "no strace"
	(cd "$T" && git init -q r && cd r &&
		git commit -q --allow-empty -m "KVM: x86: Add nothing" &&
		strace -f -e trace=openat -o "$T/trace" "$KVMX86" prep --check HEAD \
			>/dev/null 2>&1) || true
	grep -q '\.git/HEAD' "$T/trace" || fail "prep --check read no repository (test setup)"
	grep -E 'ca-certificates|/etc/ssl|libssl|libmbed|libssh2|libgssapi|libkrb5' "$T/trace" &&
		fail "a command opens the CA bundle or a TLS library"
	;;
system)
	grep -q 'libgit2' "$T/ldd" || fail "kvmx86 does not link libgit2 (test setup)"
	;;
*)
	fail "KX_LIBGIT2 is not set (test setup)"
	;;
esac
exit 0
