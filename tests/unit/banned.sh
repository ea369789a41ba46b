#!/bin/sh
# banned.sh - fail when C code calls a banned function (STYLE.md: strcpy,
# strcat, sprintf, strtok, atoi, gets); print each offending line.
# Run by "make check" with top_srcdir set; by hand from the source root.

top=${top_srcdir:-.}
if [ ! -d "$top/src" ]; then
	echo "banned.sh: no src/ under '$top' (set top_srcdir)" >&2
	exit 99
fi

# A call is the name, not preceded by an identifier character (so snprintf,
# vsnprintf, strtok_r, fgets and my_atoi pass), then '(' after optional blanks.
pattern='(^|[^A-Za-z0-9_])(strcpy|strcat|sprintf|strtok|atoi|gets)[[:space:]]*\('

files=$(find "$top/src" "$top/bench" -type f \( -name '*.c' -o -name '*.h' \) \
	2>/dev/null | sort)
for f in "$top"/tests/unit/*.c "$top"/tests/fuzz/*.c; do
	[ -f "$f" ] && files="$files
$f"
done

found=0
# File names hold no newlines here; split on newlines only.
old_ifs=$IFS
IFS='
'
for f in $files; do
	[ -n "$f" ] || continue
	if grep -nE "$pattern" "$f" /dev/null; then
		found=1
	fi
done
IFS=$old_ifs

if [ "$found" -ne 0 ]; then
	echo "banned.sh: the lines above call a banned function (see STYLE.md)" >&2
	exit 1
fi
exit 0
