#!/bin/sh
# install_consumer.sh: `cmake --install` into a temporary prefix, check
# that everything is in place, then build programs against the installed
# library as a user would and run them on an installed bundled plan:
#   1. with pkg-config (chokepoint.pc), shared library; C and C++;
#   2. with CMake's find_package(chokepoint): chokepoint::ckp (shared) and
#      chokepoint::ckp_static (static, dependencies through find_dependency).
# Every program must print the same line, "chokepoint VERSION: optimal ...".
# Exit 77 (ctest: skipped) with the reason when a needed tool is missing.
#   install_consumer.sh BUILD_DIR CONSUMER_SRC WORK_DIR VERSION CC "FLAGS"
set -eu
build=$1 src=$2 work=$3 version=$4 cc=$5 flags=$6

fail() { echo "install_consumer: FAIL: $*" >&2; exit 1; }
command -v pkg-config >/dev/null 2>&1 || { echo "skipped: pkg-config not found"; exit 77; }

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" ||
    fail "cmake --install (see $work/install.log)"

pc=$(find "$prefix" -name chokepoint.pc)
[ -n "$pc" ] || fail "no chokepoint.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in bin/chokepoint include/ckp/version.h include/ckp/export.h \
         share/chokepoint/plan.xsd share/chokepoint/plans/graphite-anode.xml \
         share/man/man1/chokepoint.1 share/bash-completion/completions/chokepoint; do
    [ -f "$prefix/$f" ] || fail "$f not installed"
done
for f in libckp.a libckp.so; do
    [ -e "$libdir/$f" ] || fail "$f not installed in $libdir"
done
cmp -s "$prefix/share/chokepoint/plan.xsd" "$src/../../../schema/plan.xsd" ||
    fail "installed plan.xsd differs from schema/plan.xsd"
if command -v objdump >/dev/null 2>&1; then
    soname=$(objdump -p "$libdir/libckp.so" | awk '$1 == "SONAME" {print $2}')
    case $soname in libckp.so.*) ;; *) fail "SONAME is '$soname'" ;; esac
    [ -e "$libdir/$soname" ] || fail "no $soname link in $libdir"
    echo "SONAME $soname"
fi
"$prefix/bin/chokepoint" --version | grep -q "^chokepoint $version " ||
    fail "installed chokepoint --version does not say $version"

plan=$prefix/share/chokepoint/plans/graphite-anode.xml

# 1. pkg-config
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
pkg-config --exact-version="$version" chokepoint || fail "pkg-config: not version $version"
[ "$(pkg-config --variable=schema chokepoint)" -ef "$prefix/share/chokepoint/plan.xsd" ] ||
    fail "pkg-config schema variable: $(pkg-config --variable=schema chokepoint)"
static_libs=$(pkg-config --static --libs chokepoint)
for l in -lckp -lglpk -lxml2 -lm; do
    case " $static_libs " in *" $l "*) ;; *) fail "pkg-config --static --libs lacks $l: $static_libs" ;; esac
done
# shellcheck disable=SC2046,SC2086
"$cc" $flags -o "$work/pc_consumer" "$src/consumer.c" \
    $(pkg-config --cflags --libs chokepoint) -Wl,-rpath,"$libdir" ||
    fail "building with pkg-config"
"$work/pc_consumer" "$plan" >"$work/pc.out" || fail "pkg-config consumer: $(cat "$work/pc.out")"
cat "$work/pc.out"
grep -q "^chokepoint $version: optimal " "$work/pc.out" || fail "pkg-config consumer output"
if command -v c++ >/dev/null 2>&1; then
    for h in "$prefix"/include/ckp/*.h; do
        echo "#include <ckp/$(basename "$h")>"
    done >"$work/ckp_all.h"
    # shellcheck disable=SC2046,SC2086
    c++ $flags -I"$work" -o "$work/pc_consumer_cxx" "$src/consumer.cpp" \
        $(pkg-config --cflags --libs chokepoint) -Wl,-rpath,"$libdir" ||
        fail "building the C++ consumer"
    "$work/pc_consumer_cxx" || fail "C++ consumer"
else
    echo "note: no c++ compiler, C++ consumer not built"
fi

# 2. CMake package
cmake -S "$src" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$flags" \
      -DCKP_EXPECT_VERSION="$version" >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; fail "configuring with find_package(chokepoint)"; }
cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; fail "building with find_package(chokepoint)"; }
for kind in shared static; do
    "$work/cmake/consumer_$kind" "$plan" >"$work/$kind.out" ||
        fail "CMake $kind consumer: $(cat "$work/$kind.out")"
    cmp -s "$work/pc.out" "$work/$kind.out" ||
        fail "CMake $kind consumer printed '$(cat "$work/$kind.out")'"
done
# the shared consumer really uses the installed libckp.so
if command -v ldd >/dev/null 2>&1; then
    ldd "$work/cmake/consumer_shared" | grep -q "$libdir/libckp.so" ||
        fail "consumer_shared does not load $libdir/libckp.so"
    if ldd "$work/cmake/consumer_static" | grep -q libckp.so; then
        fail "consumer_static loads libckp.so"
    fi
fi
echo "install_consumer: ok"
