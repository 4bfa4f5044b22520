#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --edit-cover: the editor `git var GIT_EDITOR` names, run as git runs
# it (sh -c '<editor> "$@"' <editor> FILE) on "subject\n\nbody\n" plus '#'
# lines; '#' lines dropped; unchanged or emptied -> nothing changes; editor
# failure -> 128.  No commit id changes.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
git config "branch.$b.description" "$(printf 'KVM: VMX: Old subject\n\nOld body line one.\nOld body line two.')"
run_kvmx86 prep --enroll
expect_exit 0
read_state "$b"
expect_json .cover.subject "KVM: VMX: Old subject"
refs_snapshot "$T/refs.before"
sf=$(state_file "$b")

note "the editor gets subject, blank line, body, then '#' lines"
printf '%s\n' "KVM: VMX: New subject" "" "New body." "# a comment to drop" \
	"Second body line." "#another" >"$T/new.txt"
make_editor "$T/editor" "$T/new.txt" "$T/seen"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
[ -f "$T/seen" ] || fail "the editor did not run"
printf 'KVM: VMX: Old subject\n\nOld body line one.\nOld body line two.\n' >"$T/want-head"
head -c "$(wc -c <"$T/want-head")" "$T/seen" | cmp -s - "$T/want-head" ||
	fail "the editor's file does not start with 'subject\\n\\nbody\\n': $(cat "$T/seen")"
tail -n +5 "$T/seen" | grep -v '^$' >"$T/seen-rest" || true
[ -s "$T/seen-rest" ] || fail "no '#' help lines in the editor's file"
! grep -qv '^#' "$T/seen-rest" || fail "lines after the body that do not start with '#'"
[ "$(wc -l <"$T/seen.args")" = 1 ] || fail "the editor got more than one argument"
read_state "$b"
expect_json .cover.subject "KVM: VMX: New subject"
expect_json '.cover.body | sub("\n+$"; "")' "$(printf 'New body.\nSecond body line.')"
expect_refs_unchanged "$T/refs.before" "--edit-cover"
run_kvmx86 prep --show-info cover-subject
expect_stdout_is "cover-subject: KVM: VMX: New subject"

note "unchanged: 'cover letter unchanged', the file untouched"
cp "$sf" "$T/state.1"
run_env GIT_EDITOR=true -- prep --edit-cover
expect_exit 0
grep -qF "cover letter unchanged" "$OUT" "$ERR" || fail "no 'cover letter unchanged'"
expect_same_file "$sf" "$T/state.1" "editor that changes nothing"

note "an editor that saves the same text: unchanged"
printf '%s\n' "KVM: VMX: New subject" "" "New body." "Second body line." >"$T/same.txt"
make_editor "$T/editor-same" "$T/same.txt"
run_env GIT_EDITOR="$T/editor-same" -- prep --edit-cover
expect_exit 0
grep -qF "cover letter unchanged" "$OUT" "$ERR" || fail "no 'cover letter unchanged'"
expect_same_file "$sf" "$T/state.1" "editor that saves the same text"

note "emptied: unchanged"
: >"$T/empty.txt"
make_editor "$T/editor-empty" "$T/empty.txt"
run_env GIT_EDITOR="$T/editor-empty" -- prep --edit-cover
expect_exit 0
grep -qF "cover letter unchanged" "$OUT" "$ERR" || fail "no 'cover letter unchanged'"
expect_same_file "$sf" "$T/state.1" "emptied file"

note "only '#' lines left: unchanged"
printf '# nothing\n#\n' >"$T/comments.txt"
make_editor "$T/editor-comments" "$T/comments.txt"
run_env GIT_EDITOR="$T/editor-comments" -- prep --edit-cover
expect_exit 0
grep -qF "cover letter unchanged" "$OUT" "$ERR" || fail "no 'cover letter unchanged'"
expect_same_file "$sf" "$T/state.1" "only comments"

note "a failing editor: 128, nothing changed"
cat >"$T/editor-fail" <<EOF
#!/bin/sh
cat '$T/new.txt' >"\$1"
exit 3
EOF
chmod +x "$T/editor-fail"
run_env GIT_EDITOR="$T/editor-fail" -- prep --edit-cover
expect_fatal
expect_same_file "$sf" "$T/state.1" "failing editor"
run_env GIT_EDITOR=false -- prep --edit-cover
expect_fatal
expect_same_file "$sf" "$T/state.1" "GIT_EDITOR=false"

note "an editor that does not exist: 128"
run_env GIT_EDITOR="$T/no-such-editor" -- prep --edit-cover
expect_fatal
expect_same_file "$sf" "$T/state.1" "missing editor"

note "an editor path with a space, quoted as git needs it"
printf '%s\n' "KVM: VMX: Spaced subject" "" "Spaced body." >"$T/spaced.txt"
make_editor "$T/my editors/edit cover" "$T/spaced.txt" "$T/seen-spaced"
run_env GIT_EDITOR="'$T/my editors/edit cover'" -- prep --edit-cover
expect_exit 0
[ -f "$T/seen-spaced" ] || fail "the editor with a space in its path did not run"
read_state "$b"
expect_json .cover.subject "KVM: VMX: Spaced subject"

note "sh -c semantics: arguments in the editor string, shell syntax"
printf '%s\n' "KVM: VMX: Shell subject" "" "Shell body." >"$T/shell.txt"
make_editor "$T/editor-args" "$T/shell.txt" "$T/seen-args"
run_env GIT_EDITOR="$T/editor-args --wait  --flag=\"a b\"" -- prep --edit-cover
expect_exit 0
[ "$(sed -n 1p "$T/seen-args.args")" = --wait ] || fail "editor arguments: $(cat "$T/seen-args.args")"
[ "$(sed -n 2p "$T/seen-args.args")" = "--flag=a b" ] || fail "editor arguments: $(cat "$T/seen-args.args")"
[ "$(wc -l <"$T/seen-args.args")" = 3 ] || fail "editor arguments: $(cat "$T/seen-args.args")"
read_state "$b"
expect_json .cover.subject "KVM: VMX: Shell subject"

printf '%s\n' "KVM: VMX: Function subject" "" "Function body." >"$T/func.txt"
run_env GIT_EDITOR="edc() { cat '$T/func.txt' >\"\$1\"; }; edc" -- prep --edit-cover
expect_exit 0
read_state "$b"
expect_json .cover.subject "KVM: VMX: Function subject"

printf '%s\n' "KVM: VMX: Env subject" "" "Env body." >"$T/env.txt"
run_env GIT_EDITOR="COVER_SRC='$T/env.txt' sh -c 'cat \"\$COVER_SRC\" >\"\$1\"' editor" -- prep --edit-cover
expect_exit 0
read_state "$b"
expect_json .cover.subject "KVM: VMX: Env subject"

note "the editor comes from git var GIT_EDITOR: core.editor, then VISUAL, EDITOR"
printf '%s\n' "KVM: VMX: Core editor subject" "" "Body." >"$T/core.txt"
make_editor "$T/editor-core" "$T/core.txt"
printf '%s\n' "KVM: VMX: Visual subject" "" "Body." >"$T/visual.txt"
make_editor "$T/editor-visual" "$T/visual.txt"
git config core.editor "$T/editor-core"
unset GIT_EDITOR
run_env TERM=xterm VISUAL="$T/editor-visual" -- prep --edit-cover
expect_exit 0
read_state "$b"
expect_json .cover.subject "KVM: VMX: Core editor subject"
git config --unset core.editor
# (git ignores VISUAL on a dumb terminal)
run_env TERM=xterm VISUAL="$T/editor-visual" EDITOR=false -- prep --edit-cover
expect_exit 0
read_state "$b"
expect_json .cover.subject "KVM: VMX: Visual subject"
export GIT_EDITOR=true

note "REV: edit another branch's cover"
git checkout -q master
make_editor "$T/editor-rev" "$T/new.txt"
run_env GIT_EDITOR="$T/editor-rev" -- prep --edit-cover "$b"
expect_exit 0
read_state "$b"
expect_json .cover.subject "KVM: VMX: New subject"

note "two edits at once: each branch its own file; the same branch twice refused"
b2=x86/vmx/other
git branch -q --no-track "$b2" "$b"
git config "branch.$b2.description" "$(printf 'KVM: VMX: Other subject\n\nOther body.')"
run_kvmx86 prep --enroll "$b2"
expect_exit 0
read_state "$b"
cp "$OUT" "$T/b.json"
# the first editor waits until the second edit is over, then saves nothing
cat >"$T/slow-editor" <<EOS
#!/bin/sh
while [ ! -e "$T/go" ]; do sleep 0.1; done
EOS
chmod +x "$T/slow-editor"
printf 'KVM: VMX: Other, edited\n\nOther body, edited.\n' >"$T/other.txt"
make_editor "$T/editor-other" "$T/other.txt"
rm -f "$T/go"
GIT_EDITOR="$T/slow-editor" "$KVMX86" prep --edit-cover "$b" >"$T/slow.out" 2>&1 &
slow=$!
for i in $(seq 50); do
	[ -e "$(git rev-parse --git-common-dir)/kvmx86/cover/$(state_name "$b" | sed 's/\.json$//').EDITMSG" ] && break
	sleep 0.1
done
run_env GIT_EDITOR="$T/editor-other" -- prep --edit-cover "$b2"
expect_exit 0
run_env GIT_EDITOR="$T/editor-other" -- prep --edit-cover "$b"
expect_fatal "is being edited by another kvmx86"
touch "$T/go"
wait "$slow" || fail "the first edit failed: $(cat "$T/slow.out")"
grep -q "cover letter unchanged" "$T/slow.out" || fail "the first edit: $(cat "$T/slow.out")"
read_state "$b"
expect_json .cover.subject "$(jq -r .cover.subject "$T/b.json")"
read_state "$b2"
expect_json .cover.subject "KVM: VMX: Other, edited"
[ -z "$(ls -A "$(git rev-parse --git-common-dir)/kvmx86/cover")" ] ||
	fail "an edit file was left: $(ls -A "$(git rev-parse --git-common-dir)/kvmx86/cover")"
run_kvmx86 prep --cleanup --force "$b2"
expect_exit 0
git branch -D -q "$b2"

note "no editor at all: one fatal line, with git's reason"
run_env -u GIT_EDITOR -u EDITOR -u VISUAL TERM=dumb -- prep --edit-cover "$b"
expect_exit 128
[ "$(grep -c '^fatal: ' "$ERR")" = 1 ] || fail "not one fatal line: $(cat "$ERR")"
expect_stderr_contains "fatal: git var GIT_EDITOR names no editor: Terminal is dumb, but EDITOR unset"

note "a one-letter branch: its edit file's name fits"
git branch -q --no-track b "$b"
git config branch.b.description "$(printf 'KVM: VMX: B\n\nB body.')"
run_kvmx86 prep --enroll b
expect_exit 0
run_env GIT_EDITOR="$T/editor-other" -- prep --edit-cover b
expect_exit 0
run_kvmx86 prep --cleanup --force b
expect_exit 0
git branch -D -q b

note "no commit id changed"
git checkout -q "$b"
expect_refs_unchanged "$T/refs.before" "--edit-cover (all)"
