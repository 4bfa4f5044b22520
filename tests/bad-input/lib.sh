# SPDX-License-Identifier: GPL-2.0-only
#
# The catalogue of bad input (tests/bad-input/b-*.sh): one script per
# class of hostile or unlucky input, each case asserting the message, the
# documented exit status, and that nothing changed that should not.  The
# integration tests' helpers (tests/integration/lib.sh) with:
#
#	snapshot FILE		what must not change, hashed
#	expect_unchanged FILE [WHAT]
#	enrolled_series		the sample repository, x86/vmx/good-series
#				checked out and enrolled; cd's into it
. "$(dirname "$0")/../integration/lib.sh"

# snapshot FILE: every ref and HEAD, every reflog, kvmx86's files beside the
# repository (states, archives, worktree records; not the range cache,
# which a read may refresh), the index and the work tree, hashed.
snapshot() {
	local gd
	gd=$(git rev-parse --path-format=absolute --git-common-dir)
	{
		echo "== refs"
		git for-each-ref --format='%(objectname) %(refname)'
		printf 'HEAD %s %s\n' "$(git rev-parse -q --verify HEAD || echo unborn)" \
			"$(git symbolic-ref -q HEAD || echo detached)"
		echo "== reflogs"
		(cd "$gd" && find logs -type f -print0 2>/dev/null | sort -z |
			xargs -0r sha256sum)
		echo "== kvmx86"
		(cd "$gd" && find kvmx86 ! -path 'kvmx86/cache*' -print0 2>/dev/null |
			sort -z | xargs -0r -n1 sh -c \
			'if [ -f "$1" ]; then sha256sum "$1"; else echo "dir $1"; fi' sh)
		echo "== index"
		sha256sum <"$(git rev-parse --path-format=absolute --git-path index)" 2>/dev/null ||
			echo "no index"
		echo "== work tree"
		if [ "$(git rev-parse --is-bare-repository)" = false ]; then
			git ls-files -z | xargs -0r sha256sum
			git status --porcelain --untracked-files=all --ignored
		fi
	} >"$1"
}

# expect_unchanged FILE [WHAT]: snapshot FILE is still true.
expect_unchanged() {
	local now="$T/snapshot.now"
	snapshot "$now"
	if ! diff -u "$1" "$now" >"$T/snapshot.diff"; then
		cat "$T/snapshot.diff" >&2
		fail "${2:-}${2:+: }something changed that should not (diff above)"
	fi
}

# expect_message STRING: the first line on stderr names what is wrong.
expect_message() {
	expect_stderr_contains "$1"
}

# expect_clean_bytes: no terminal control byte on stdout or stderr but
# newline and tab (ESC, BEL, CR, backspace, C1 CSI...).
expect_clean_bytes() {
	local f
	for f in "$OUT" "$ERR"; do
		if LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$f"; then
			od -c "$f" | head -40 >&2
			fail "$(basename "$f") holds a control character"
		fi
	done
}

enrolled_series() {
	cd "$(sample_repo)"
	git checkout -q x86/vmx/good-series
	run_kvmx86 prep --enroll
	expect_exit 0
}
