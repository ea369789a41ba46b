/* argon2.c - bench baseline: the floor of a password check, one Argon2id
 * hash (libgcrypt, the costs given by -t PASSES -m KIB -P LANES, those of
 * the Ostium under test) per request, nothing else */
#include "pool.h"

#include <gcrypt.h>
#include <stdlib.h>
#include <string.h>

static unsigned long passes = 3, memory_kib = 65536, lanes = 1;

static int option(int opt, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end || v == 0)
		return -1;
	switch (opt) {
	case 't': passes = v; return 0;
	case 'm': memory_kib = v; return 0;
	case 'P': lanes = v; return 0;
	default: return -1;
	}
}

static int worker_init(void)
{
	if (!gcry_check_version(GCRYPT_VERSION))
		return -1;
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	return 0;
}

/* One Argon2id of a fixed password with a fresh salt, as a sign-in does. */
static void hash(FCGX_Request *req)
{
	static const char pw[] = "correct horse battery staple";
	unsigned long param[4] = {32, passes, memory_kib, lanes};
	unsigned char salt[16], out[32];
	gcry_kdf_hd_t hd;
	gcry_error_t e;

	gcry_create_nonce(salt, sizeof salt);
	e = gcry_kdf_open(&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4, pw, sizeof pw - 1,
	    salt, sizeof salt, NULL, 0, NULL, 0);
	if (!e) {
		e = gcry_kdf_compute(hd, NULL);
		if (!e)
			e = gcry_kdf_final(hd, sizeof out, out);
		gcry_kdf_close(hd);
	}
	bench_reply(req, e ? 500 : 200, e ? "argon2 failed\n" : "hashed\n");
}

int main(int argc, char **argv)
{
	static const struct bench_app app = {
		.name = "argon2",
		.usage = " [-t PASSES] [-m KIB] [-P LANES]",
		.optstring = "t:m:P:",
		.option = option,
		.worker_init = worker_init,
		.handle = hash,
	};

	return bench_pool_main(&app, argc, argv);
}
