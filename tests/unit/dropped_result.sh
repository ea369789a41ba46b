#!/bin/sh
# dropped_result.sh - prove that a dropped enum ost_err does not build: with
# the compiler, flags and headers of this build (OST_CC, OST_CPPFLAGS,
# OST_CFLAGS, set by "make check"), a call to a real function whose result
# is dropped must fail with the unused-result diagnostic, and the same call
# with its result checked must compile, so that the failure is the dropped
# result's and nothing else's.

if [ -z "$OST_CC" ]; then
	echo "dropped_result.sh: OST_CC is not set (run it through make check)" >&2
	exit 99
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# One probe per header family: the store, the crypto wrapper, the buffers.
cat >"$tmp/probe.c" <<'EOF'
#include <stdint.h>
#include "core/buf.h"
#include "crypto/crypto.h"
#include "store/db.h"

int probe(struct buf *b, uint8_t mac[CRYPTO_SHA256_LEN]);

int
probe(struct buf *b, uint8_t mac[CRYPTO_SHA256_LEN])
{
#if defined(CHECKED)
	if (PROBE_CALL != OST_OK)
		return 1;
#else
	PROBE_CALL;
#endif
	(void)b;
	(void)mac;
	return 0;
}
EOF

# compile OUT DEFINES... - compile the probe into OUT.o, diagnostics in OUT.log.
compile() {
	out=$1
	shift
	# shellcheck disable=SC2086 # the flags are words, as make passes them
	$OST_CC $OST_CPPFLAGS $OST_CFLAGS "$@" -c "$tmp/probe.c" -o "$out.o" >"$out.log" 2>&1
}

failed=0
for call in 'db_ping()' 'crypto_hmac_sha256("k", 1, "m", 1, mac)' 'buf_adds(b, "x")'; do
	name=${call%%(*}
	if ! compile "$tmp/checked" "-DPROBE_CALL=$call" -DCHECKED; then
		echo "FAIL: $name with its result checked does not compile:"
		cat "$tmp/checked.log"
		failed=1
		continue
	fi
	if compile "$tmp/dropped" "-DPROBE_CALL=$call"; then
		echo "FAIL: $name with its result dropped compiles"
		cat "$tmp/dropped.log"
		failed=1
	elif ! grep -q "unused-result" "$tmp/dropped.log" || ! grep -q "$name" "$tmp/dropped.log"; then
		echo "FAIL: $name with its result dropped fails for another reason:"
		cat "$tmp/dropped.log"
		failed=1
	else
		echo "ok: a dropped result of $name does not build"
	fi
done
exit $failed
