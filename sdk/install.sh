#!/usr/bin/env bash
# Installs or uninstalls vsdk under $DESTDIR$PREFIX, keeping a manifest of every
# file, link and directory it created, so that uninstall removes exactly that.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   sdk/install.sh install | uninstall      (run by `make install` / `make uninstall`)
#
# Environment (set by sdk/install.mk): DESTDIR PREFIX LIBDIR INCLUDEDIR BINDIR DOCDIR
# VERSION VERSION_MAJOR O HV_HEADER BINS SAMPLE_FILES DOCS_HTML
set -euo pipefail

mode=${1:-}
: "${PREFIX:?}" "${LIBDIR:?}" "${INCLUDEDIR:?}" "${BINDIR:?}" "${DOCDIR:?}" "${VERSION:?}" "${VERSION_MAJOR:?}" "${O:?}"
DESTDIR=${DESTDIR:-}
MANIFEST=$DOCDIR/install-manifest.txt   # as installed (without DESTDIR)

for v in PREFIX LIBDIR INCLUDEDIR BINDIR DOCDIR; do
	case ${!v} in
	/*) ;;
	*) echo "install: $v must be an absolute path (got '${!v}')" >&2; exit 2 ;;
	esac
	case ${!v} in *..*) echo "install: $v must not contain '..' (got '${!v}')" >&2; exit 2 ;; esac
done

do_install() {
	local entries
	entries=$(mktemp)
	trap 'rm -f "$entries"' RETURN
	# mkdir -p that records each directory it creates (parents first)
	mkd() {
		local d=$1 path="" part
		IFS=/ read -ra parts <<<"${d#/}"
		for part in "${parts[@]}"; do
			path=$path/$part
			if [ ! -d "$DESTDIR$path" ]; then
				mkdir "$DESTDIR$path"
				echo "d $path" >>"$entries"
			fi
		done
	}
	put() { # put MODE SRC DEST
		mkd "$(dirname "$3")"
		install -m "$1" "$2" "$DESTDIR$3"
		echo "f $3" >>"$entries"
	}
	lnk() { # lnk TARGET DEST
		mkd "$(dirname "$2")"
		ln -sfn "$1" "$DESTDIR$2"
		echo "l $2" >>"$entries"
	}

	[ -f "$O/libvsdk.so.$VERSION" ] || { echo "install: $O/libvsdk.so.$VERSION is not built (run make)" >&2; exit 1; }
	[ -f "$O/libvsdk.a" ] || { echo "install: $O/libvsdk.a is not built (run make)" >&2; exit 1; }

	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"   # the staging root itself is not ours to record

	# libraries
	put 0755 "$O/libvsdk.so.$VERSION" "$LIBDIR/libvsdk.so.$VERSION"
	lnk "libvsdk.so.$VERSION" "$LIBDIR/libvsdk.so.$VERSION_MAJOR"
	lnk "libvsdk.so.$VERSION_MAJOR" "$LIBDIR/libvsdk.so"
	put 0644 "$O/libvsdk.a" "$LIBDIR/libvsdk.a"

	# public headers: the umbrella, every sdk/include/vsdk/*.h, and the
	# generated Hyper-V types hyperv.h exposes (next to it, as it includes it)
	put 0644 sdk/include/vsdk.h "$INCLUDEDIR/vsdk.h"
	for h in sdk/include/vsdk/*.h; do
		put 0644 "$h" "$INCLUDEDIR/vsdk/$(basename "$h")"
	done
	put 0644 "${HV_HEADER:?}" "$INCLUDEDIR/vsdk/hyperv_v2.h"

	# pkg-config
	local pc libdir_pc includedir_pc
	pc=$(mktemp)
	if [ "$LIBDIR" = "$PREFIX/lib" ]; then libdir_pc='${prefix}/lib'; else libdir_pc=$LIBDIR; fi
	if [ "$INCLUDEDIR" = "$PREFIX/include" ]; then includedir_pc='${prefix}/include'; else includedir_pc=$INCLUDEDIR; fi
	cat >"$pc" <<PC
prefix=$PREFIX
libdir=$libdir_pc
includedir=$includedir_pc

Name: vsdk
Description: C SDK for VMware VI (vSphere SOAP) and Microsoft Hyper-V (WMI V2 over WS-Man)
Version: $VERSION
Requires.private: gsoapssl openssl zlib
Libs: -L\${libdir} -lvsdk
Libs.private: -lm -lpthread
Cflags: -I\${includedir}
PC
	put 0644 "$pc" "$LIBDIR/pkgconfig/vsdk.pc"
	rm -f "$pc"

	# programs that were built: the simulators for offline tests
	local b
	for b in ${BINS:-}; do
		[ -f "$b" ] && put 0755 "$b" "$BINDIR/$(basename "$b")"
	done

	# samples' sources and data
	local f
	for f in ${SAMPLE_FILES:-}; do
		put 0644 "$f" "$DOCDIR/samples/${f#samples/}"
	done

	# API documentation
	if [ -n "${DOCS_HTML:-}" ] && [ -d "$DOCS_HTML" ]; then
		while IFS= read -r f; do
			put 0644 "$DOCS_HTML/$f" "$DOCDIR/html/$f"
		done < <(cd "$DOCS_HTML" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
	fi

	# the manifest lists itself, so uninstall removes it too
	mkd "$(dirname "$MANIFEST")"
	echo "f $MANIFEST" >>"$entries"
	cp "$entries" "$DESTDIR$MANIFEST"
	chmod 0644 "$DESTDIR$MANIFEST"
	echo "installed $(grep -c '^[fl] ' "$entries") files under $DESTDIR$PREFIX (manifest: $DESTDIR$MANIFEST)"
}

do_uninstall() {
	local m="$DESTDIR$MANIFEST" kind path n=0
	[ -f "$m" ] || { echo "uninstall: no manifest at $m (nothing installed there?)" >&2; exit 1; }
	local copy
	copy=$(mktemp)
	cp "$m" "$copy"
	while read -r kind path; do
		case $path in /*) ;; *) echo "uninstall: bad manifest line '$kind $path'" >&2; exit 1 ;; esac
		case $path in *..*) echo "uninstall: bad manifest line '$kind $path'" >&2; exit 1 ;; esac
		case $kind in
		f | l) rm -f "$DESTDIR$path"; n=$((n + 1)) ;;
		d) ;;
		*) echo "uninstall: bad manifest line '$kind $path'" >&2; exit 1 ;;
		esac
	done <"$copy"
	# directories install created, deepest first, if now empty
	grep '^d ' "$copy" | cut -c3- | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- |
		while IFS= read -r path; do
			rmdir "$DESTDIR$path" 2>/dev/null || true
		done
	rm -f "$copy"
	echo "removed $n files from $DESTDIR$PREFIX"
}

case $mode in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "usage: $0 install|uninstall" >&2; exit 2 ;;
esac
