#!/bin/sh
# dist_files.sh - every migration, template and static file is listed in
# Makefile.am, so that `make install` and the Debian package carry it; every
# test script too, so that the tarball's `make check` finds it.
top=${top_srcdir:-.}
[ -f "$top/Makefile.am" ] || { echo "no Makefile.am under $top"; exit 99; }
missing=0
for f in "$top"/sql/*.sql "$top"/www/templates/*.html "$top"/www/static/* "$top"/tests/unit/*.sh; do
	rel=${f#"$top"/}
	if ! grep -q "[[:space:]=]$rel\([[:space:]]\|\$\)" "$top/Makefile.am"; then
		echo "not in Makefile.am: $rel"
		missing=1
	fi
done
exit $missing
