#!/bin/sh
# symbols_exported.sh: the shared library exports exactly the public API:
# every dynamic symbol it defines starts with ckp_ and is declared with
# CKP_API in include/ckp/, every CKP_API declaration is exported, and no
# function declaration in include/ckp/ lacks CKP_API.
# Exit 77 (ctest: skipped) when nm is missing.
#   symbols_exported.sh LIBCKP.so INCLUDE_DIR
set -eu
lib=$1 inc=$2
command -v nm >/dev/null 2>&1 || { echo "skipped: nm not found"; exit 77; }
tmp=${TMPDIR:-/tmp}/ckp_symbols.$$
trap 'rm -f "$tmp".*' EXIT

nm -D --defined-only "$lib" | awk 'NF >= 3 {print $3}' | sed 's/@.*//' | sort -u >"$tmp.exported"
# the identifier before the first '(' of each CKP_API declaration
sed -n 's/^CKP_API[^(]*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) *(.*/\1/p' "$inc"/ckp/*.h |
    sort -u >"$tmp.declared"
n_exp=$(wc -l <"$tmp.exported")
n_dec=$(wc -l <"$tmp.declared")
echo "$lib: $n_exp exported symbols, $n_dec CKP_API declarations"
rc=0
# __start_/__stop_<section> are made by the linker for instrumentation
# sections (clang -fsanitize=fuzzer-no-link), not by our code
grep -v -e '^ckp_' -e '^__start___sancov_' -e '^__stop___sancov_' "$tmp.exported" \
    >"$tmp.foreign" || true
if [ -s "$tmp.foreign" ]; then
    echo "FAIL: exported, not ckp_*:"; sed 's/^/  /' "$tmp.foreign"; rc=1
fi
grep '^ckp_' "$tmp.exported" | comm -23 - "$tmp.declared" >"$tmp.undeclared" || true
if [ -s "$tmp.undeclared" ]; then
    echo "FAIL: exported but not declared with CKP_API in include/ckp (docs/architecture.md):"
    sed 's/^/  /' "$tmp.undeclared"; rc=1
fi
comm -13 "$tmp.exported" "$tmp.declared" >"$tmp.missing"
if [ -s "$tmp.missing" ]; then
    echo "FAIL: declared CKP_API but not exported (not defined in the library?):"
    sed 's/^/  /' "$tmp.missing"; rc=1
fi
# a function declared in a public header without CKP_API is hidden: the
# rule is that every public declaration carries it
grep -n -E '^[A-Za-z_][A-Za-z0-9_ *]*[ *]ckp_[A-Za-z0-9_]+ *\(' "$inc"/ckp/*.h |
    grep -v -E ':(CKP_API|static|typedef|extern "C")' >"$tmp.bare" || true
if [ -s "$tmp.bare" ]; then
    echo "FAIL: public declarations without CKP_API (docs/architecture.md):"
    sed 's/^/  /' "$tmp.bare"; rc=1
fi
[ "$rc" = 0 ] && echo "symbols_exported: ok"
exit "$rc"
