#!/bin/sh
# check_results.sh - fail when a function declared in a header under src/
# returns enum ost_err without OST_MUST_CHECK (STYLE.md: a dropped result
# does not build); print file:line of each. Prototypes may span lines.
# Run by "make check" with top_srcdir set; by hand from the source root.

top=${top_srcdir:-.}
if [ ! -d "$top/src" ]; then
	echo "check_results.sh: no src/ under '$top' (set top_srcdir)" >&2
	exit 99
fi

# scan FILE... - print "FILE:LINE: NAME" for each function returning
# enum ost_err declared without OST_MUST_CHECK, and on stderr the number of
# such functions seen. Comments, strings and preprocessor lines are left out;
# the text is cut into top-level declarations at ';' and '{'.
scan() {
	awk '
	function flush(   s, name) {
		s = stmt
		gsub(/[[:space:]]+/, " ", s)
		sub(/^ /, "", s)
		if (s ~ /^((static|inline|extern|OST_MUST_CHECK) )*enum ost_err [A-Za-z_][A-Za-z0-9_]* ?\(/) {
			seen++
			if (s !~ /(^|[^A-Za-z0-9_])OST_MUST_CHECK([^A-Za-z0-9_]|$)/) {
				name = s
				sub(/^((static|inline|extern) )*enum ost_err /, "", name)
				sub(/ ?\(.*/, "", name)
				printf "%s:%d: %s returns enum ost_err without OST_MUST_CHECK\n", \
				    FILENAME, start, name
			}
		}
		stmt = ""
		start = 0
	}
	FNR == 1 { depth = 0; comment = 0; cont = 0; stmt = ""; start = 0 }
	{
		line = $0
		# A preprocessor line and its continuations.
		if (cont || (!comment && line ~ /^[[:space:]]*#/)) {
			cont = (line ~ /\\$/)
			next
		}
		out = ""
		while (line != "") {
			if (comment) {
				i = index(line, "*/")
				if (i == 0) { line = ""; break }
				line = substr(line, i + 2)
				comment = 0
				continue
			}
			c = substr(line, 1, 1)
			two = substr(line, 1, 2)
			if (two == "/*") { comment = 1; line = substr(line, 3); out = out " "; continue }
			if (two == "//") break
			if (c == "\"" || c == "\047") {
				# Skip the literal (escapes included).
				j = 2
				while (j <= length(line)) {
					d = substr(line, j, 1)
					if (d == "\\") { j += 2; continue }
					if (d == c) break
					j++
				}
				line = substr(line, j + 1)
				out = out " "
				continue
			}
			out = out c
			line = substr(line, 2)
		}
		for (k = 1; k <= length(out); k++) {
			c = substr(out, k, 1)
			if (c == "{") {
				if (depth == 0) flush()
				depth++
			} else if (c == "}") {
				if (depth > 0) depth--
				stmt = ""
			} else if (c == ";") {
				if (depth == 0) flush()
			} else if (depth == 0) {
				if (start == 0 && c !~ /[[:space:]]/) start = FNR
				stmt = stmt c
			}
		}
		if (depth == 0) stmt = stmt " "
	}
	END { print seen + 0 > "/dev/stderr" }
	' "$@"
}

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# First prove the scan: of these, exactly the unmarked ones must be named.
cat >"$tmp/probe.h" <<'EOF'
/* enum ost_err in_comment(void); */
#define PROBE(x) enum ost_err in_macro(x);
enum ost_err marked_one(int a) OST_MUST_CHECK;
enum ost_err marked_two(int a,
    const char *s) OST_MUST_CHECK;
static inline OST_MUST_CHECK enum ost_err marked_inline(void) { return 0; }
enum ost_err unmarked_one(int a);
enum ost_err unmarked_two(int a, /* ; OST_MUST_CHECK */
    const char *s, enum ost_err err)
    __attribute__((format(printf, 2, 3)));
struct probe { enum ost_err (*callback)(void); };
typedef enum ost_err (*probe_fn)(void);
void takes_err(enum ost_err err);
EOF
want="$tmp/probe.h:7: unmarked_one returns enum ost_err without OST_MUST_CHECK
$tmp/probe.h:8: unmarked_two returns enum ost_err without OST_MUST_CHECK"
got=$(scan "$tmp/probe.h" 2>"$tmp/count")
if [ "$got" != "$want" ] || [ "$(cat "$tmp/count")" != 5 ]; then
	echo "check_results.sh: the scan misreads its probe; it found:" >&2
	echo "$got" >&2
	exit 99
fi

headers=$(find "$top/src" -type f -name '*.h' | sort)
# shellcheck disable=SC2086 # file names hold no blanks here
found=$(scan $headers 2>"$tmp/count")
seen=$(cat "$tmp/count")
if [ -n "$found" ]; then
	echo "$found"
	echo "check_results.sh: the functions above return enum ost_err without OST_MUST_CHECK" >&2
	exit 1
fi
# A scan that sees next to nothing has stopped reading the headers.
if [ "$seen" -lt 100 ]; then
	echo "check_results.sh: only $seen functions returning enum ost_err found under src/" >&2
	exit 99
fi
echo "check_results.sh: $seen functions returning enum ost_err, each with OST_MUST_CHECK"
exit 0
