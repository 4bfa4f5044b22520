#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-man.sh SOURCE-DIR: every man page of docs/ renders without a
# warning from man or groff, and without scdoc markup left in the text.
# scdoc underlines _word_ only at a word's start, so "v_N_" reached the
# reader as "v_N_" (write "_vN_"); the same holds for *bold*.
set -u
src=${1:?usage: check-man.sh SOURCE-DIR}
command -v scdoc >/dev/null 2>&1 && command -v man >/dev/null 2>&1 ||
	{ echo "scdoc or man missing: not checked"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

for page in "$src"/docs/*.1.scd; do
	name=$(basename "$page" .scd)
	if ! scdoc <"$page" >"$tmp/$name" 2>"$tmp/err"; then
		echo "$name: scdoc failed: $(head -n 3 "$tmp/err")"
		bad=1
		continue
	fi
	MANWIDTH=200 man --warnings -l "$tmp/$name" >"$tmp/text" 2>"$tmp/err"
	if [ -s "$tmp/err" ]; then
		echo "$name: man warns:"
		head -n 5 "$tmp/err"
		bad=1
	fi
	# _word_ that scdoc left as it was: after a lower-case letter or a
	# digit (v_N_), or alone (an upper-case NAME_<N> is an identifier)
	hits=$(grep -n -E '[a-z0-9]_[A-Za-z<][A-Za-z0-9<>]*_([^A-Za-z0-9_]|$)|(^|[^A-Za-z0-9_])_[A-Za-z<][^ _]*_([^A-Za-z0-9_]|$)' "$tmp/text")
	if [ -n "$hits" ]; then
		echo "$name: scdoc markup left in the text (write _vN_, not v_N_):"
		echo "$hits"
		bad=1
	fi
done
exit $bad
