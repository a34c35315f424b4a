#!/usr/bin/env bash
# Installs vsdk into a temporary DESTDIR, compares the file list with
# tests/ship/install-files.expected (+ every sdk/include/vsdk/*.h, the samples
# and the html docs), checks the
# exported symbols, compiles every installed header alone (C99 and C++11),
# links a program dynamically and statically through pkg-config, then
# uninstalls and checks that nothing is left.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make check-install      (O, PREFIX from make; KEEP=1 keeps the temp tree)
set -uo pipefail
O=${O:-generated/build}
PREFIX=/usr/local
fails=0 passes=0
ok() { echo "  ok   $*"; passes=$((passes + 1)); }
bad() { echo "  FAIL $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsdk-install.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root
mkdir -p "$dest"

echo "== make install DESTDIR=$dest PREFIX=$PREFIX"
if ! make --no-print-directory -s install O="$O" DESTDIR="$dest" PREFIX="$PREFIX" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"; bad "make install failed"; echo "$passes passed, $fails failed"; exit 1
fi
ok "make install"

# 1. the file list
(cd "$dest$PREFIX" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/got"
{
	cat tests/ship/install-files.expected
	for h in sdk/include/vsdk/*.h; do echo "include/vsdk/$(basename "$h")"; done
	for f in samples/*.c samples/data/*; do [ -f "$f" ] && echo "share/doc/vsdk/samples/${f#samples/}"; done
} | LC_ALL=C sort >"$tmp/want"
grep -v '^share/doc/vsdk/html/' "$tmp/got" >"$tmp/got-nohtml"
if diff -u "$tmp/want" "$tmp/got-nohtml"; then ok "installed files are exactly the expected list ($(wc -l <"$tmp/got-nohtml") + html)"; else bad "installed file list differs (- expected, + installed)"; fi
nhtml=$(grep -c '^share/doc/vsdk/html/' "$tmp/got" || true)
if [ -f "$dest$PREFIX/share/doc/vsdk/html/index.html" ] && [ "$nhtml" -gt 20 ]; then ok "API docs installed ($nhtml files)"; else bad "API docs missing (html files: $nhtml)"; fi
if [ "$(readlink "$dest$PREFIX/lib/libvsdk.so")" = libvsdk.so.0 ] && [ "$(readlink "$dest$PREFIX/lib/libvsdk.so.0")" = libvsdk.so.0.1.0 ]; then
	ok "symlinks libvsdk.so -> libvsdk.so.0 -> libvsdk.so.0.1.0"
else bad "symlinks wrong: $(ls -l "$dest$PREFIX/lib")"; fi
soname=$(objdump -p "$dest$PREFIX/lib/libvsdk.so.0.1.0" | awk '$1=="SONAME"{print $2}')
[ "$soname" = libvsdk.so.0 ] && ok "SONAME libvsdk.so.0" || bad "SONAME is '$soname'"
if grep -q "^f $PREFIX/lib/libvsdk.a$" "$dest$PREFIX/share/doc/vsdk/install-manifest.txt"; then ok "manifest names installed paths without DESTDIR"; else bad "manifest paths"; fi

# 2. exported symbols: vsdk_* only, never vsdk__* internals, each declared in an installed header
nm -D --defined-only "$dest$PREFIX/lib/libvsdk.so" | awk '{print $NF}' | LC_ALL=C sort >"$tmp/syms"
grep -v '^vsdk_' "$tmp/syms" | grep -v '^vsdk__' >"$tmp/foreign" || true
grep '^vsdk__' "$tmp/syms" >"$tmp/internal" || true
if [ -s "$tmp/foreign" ]; then bad "libvsdk.so exports non-vsdk symbols: $(head -20 "$tmp/foreign" | tr '\n' ' ')"; else ok "only vsdk_* symbols exported ($(wc -l <"$tmp/syms"))"; fi
if [ -s "$tmp/internal" ]; then bad "libvsdk.so exports internals: $(head -20 "$tmp/internal" | tr '\n' ' ')"; else ok "no vsdk__* internal exported"; fi
cat "$dest$PREFIX"/include/vsdk.h "$dest$PREFIX"/include/vsdk/*.h | grep -o 'vsdk_[A-Za-z0-9_]*' | LC_ALL=C sort -u >"$tmp/declared"
LC_ALL=C comm -23 "$tmp/syms" "$tmp/declared" >"$tmp/undeclared"
if [ -s "$tmp/undeclared" ]; then bad "exported but in no installed header: $(head -20 "$tmp/undeclared" | tr '\n' ' ')"; else ok "every exported symbol is declared in an installed header"; fi

# 3. every installed header compiles alone, from C99 and C++11
export PKG_CONFIG_PATH=$dest$PREFIX/lib/pkgconfig
# the .pc names /usr/local: the DESTDIR is its sysroot
export PKG_CONFIG_SYSROOT_DIR=$dest
cflags="-I$dest$PREFIX/include"
hdr_bad=0
for h in "$dest$PREFIX"/include/vsdk.h "$dest$PREFIX"/include/vsdk/*.h; do
	rel=${h#"$dest$PREFIX"/include/}
	printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$rel" "$rel" >"$tmp/h.c"
	cp "$tmp/h.c" "$tmp/h.cc"
	if ! cc -std=c99 -Wall -Wextra -pedantic -Werror $cflags -c -o /dev/null "$tmp/h.c" 2>"$tmp/h.err"; then
		bad "$rel alone under cc -std=c99 -pedantic -Werror:"; cat "$tmp/h.err"; hdr_bad=1
	fi
	if ! g++ -std=c++11 -Wall -Wextra -pedantic -Werror $cflags -c -o /dev/null "$tmp/h.cc" 2>"$tmp/h.err"; then
		bad "$rel alone under g++ -std=c++11 -pedantic -Werror:"; cat "$tmp/h.err"; hdr_bad=1
	fi
done
[ "$hdr_bad" = 0 ] && ok "each installed header compiles alone (twice included) as C99 and C++11 with -pedantic -Werror"

# 4. pkg-config: dynamic and static links of a small program
cat >"$tmp/v.c" <<'C'
#include <vsdk.h>
#include <vsdk/version.h>
#include <vsdk/hyperv.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, "ftp://nowhere/", NULL);
	printf("%s %s %s\n", VSDK_VERSION_STRING, vsdk_code_name(rc), vsdk_hv_state_name(vsdk_hv_state_from_enabled(2)));
	return rc == VSDK_EINVALID && s == NULL && strcmp(VSDK_VERSION_STRING, "0.1.0") == 0 ? 0 : 1;
}
C
pcver=$(pkg-config --modversion vsdk 2>&1)
[ "$pcver" = 0.1.0 ] && ok "pkg-config --modversion vsdk = 0.1.0" || bad "pkg-config --modversion vsdk: $pcver"
if cc -o "$tmp/v-dyn" "$tmp/v.c" $(pkg-config --cflags --libs vsdk) 2>"$tmp/l.err" &&
	out=$(LD_LIBRARY_PATH=$dest$PREFIX/lib "$tmp/v-dyn") && [ "$out" = "0.1.0 VSDK_EINVALID running" ]; then
	ok "dynamic link with pkg-config --cflags --libs vsdk runs ($out)"
else bad "dynamic link/run: $(cat "$tmp/l.err") ${out:-}"; fi
LD_LIBRARY_PATH=$dest$PREFIX/lib ldd "$tmp/v-dyn" >"$tmp/ldd" 2>&1
if grep -q "libvsdk.so.0 => $dest$PREFIX/lib/" "$tmp/ldd"; then
	ok "the program loads the installed libvsdk.so.0"
else bad "the program does not load the installed library"; fi
if cc -static-libgcc -o "$tmp/v-static" "$tmp/v.c" -Wl,-Bstatic $(pkg-config --static --cflags --libs vsdk | sed 's/-lm\b//;s/-lpthread//') -Wl,-Bdynamic -lm -lpthread -ldl 2>"$tmp/l.err" &&
	{ ldd "$tmp/v-static" >"$tmp/ldd" 2>&1; ! grep -q libvsdk "$tmp/ldd"; } && "$tmp/v-static" >/dev/null; then
	ok "static link with pkg-config --static (libvsdk.a, libgsoapssl.a, OpenSSL, zlib) runs"
else bad "static link: $(head -20 "$tmp/l.err")"; fi

# 5. uninstall leaves nothing
if make --no-print-directory -s uninstall O="$O" DESTDIR="$dest" PREFIX="$PREFIX" >"$tmp/uninstall.log" 2>&1; then ok "make uninstall"; else cat "$tmp/uninstall.log"; bad "make uninstall failed"; fi
left=$(cd "$dest" && find . -mindepth 1 | sed 's|^\./||')
if [ -z "$left" ]; then ok "nothing left in DESTDIR after uninstall"; else bad "left after uninstall: $(echo "$left" | head -20 | tr '\n' ' ')"; fi
# uninstall keeps what install did not create
mkdir -p "$dest$PREFIX/lib" && touch "$dest$PREFIX/lib/other.so"
make --no-print-directory -s install O="$O" DESTDIR="$dest" PREFIX="$PREFIX" INSTALL_DOCS=0 >/dev/null 2>&1 &&
	make --no-print-directory -s uninstall O="$O" DESTDIR="$dest" PREFIX="$PREFIX" >/dev/null 2>&1
if [ -f "$dest$PREFIX/lib/other.so" ] && [ -z "$(cd "$dest" && find . -type f ! -name other.so)" ]; then
	ok "uninstall removes only what install created (a foreign file and its directory stay)"
else bad "uninstall touched a foreign file or left files"; fi
if make --no-print-directory -s uninstall O="$O" DESTDIR="$dest" PREFIX="$PREFIX" >/dev/null 2>&1; then bad "second uninstall without a manifest succeeded"; else ok "uninstall without a manifest fails and says so"; fi

echo "install: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
