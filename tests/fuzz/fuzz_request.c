/* fuzz_request.c - libFuzzer harness: FastCGI parameters and body through request_parse
 *
 * Input: lines "NAME=value" (the FastCGI parameters), an empty line, then the
 * body. Without a CONTENT_LENGTH line, one is added for a non-empty body.
 * The first byte sets how many bytes each read of the body returns. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/config.h"
#include "crypto/crypto.h"
#include "http/form.h"
#include "http/request.h"

#define ENVP_MAX 128

struct body {
	const char *data;
	size_t len, pos, chunk;
};

static ssize_t
fake_read(void *ctx, char *buf, size_t n)
{
	struct body *b = ctx;
	size_t left = b->len - b->pos;

	if (left == 0)
		return 0;
	if (n > left)
		n = left;
	if (b->chunk && n > b->chunk)
		n = b->chunk;
	memcpy(buf, b->data + b->pos, n);
	b->pos += n;
	return (ssize_t)n;
}

static struct config cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	crypto_init(64);
	config_defaults(&cfg);
	snprintf(cfg.base_path, sizeof(cfg.base_path), "/ostium");
	snprintf(cfg.trusted_proxies[0], CONFIG_RANGE_MAX, "10.0.0.1");
	snprintf(cfg.trusted_proxies[1], CONFIG_RANGE_MAX, "10.1.0.0/16");
	snprintf(cfg.trusted_proxies[2], CONFIG_RANGE_MAX, "::1");
	cfg.ntrusted_proxies = 3;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *p, *nl, *envp[ENVP_MAX + 2], cl[64];
	struct body b = {0};
	struct request r;
	size_t n = 0;
	int has_cl = 0;

	if (size < 1)
		return 0;
	b.chunk = data[0] % 8 == 0 ? 0 : data[0];
	data++;
	size--;
	if (!(copy = malloc(size + 1)))
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	/* the parameters: up to the first empty line */
	for (p = copy; p < copy + size && *p != '\n';) {
		nl = memchr(p, '\n', (size_t)(copy + size - p));
		if (nl)
			*nl = '\0';
		if (n < ENVP_MAX) {
			envp[n++] = p;
			if (strncmp(p, "CONTENT_LENGTH=", 15) == 0)
				has_cl = 1;
		}
		if (!nl) {
			p = copy + size;
			break;
		}
		p = nl + 1;
	}
	if (p < copy + size)
		p++; /* the empty line */
	b.data = p;
	b.len = (size_t)(copy + size - p);
	if (!has_cl && b.len && n < ENVP_MAX) {
		snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu", b.len);
		envp[n++] = cl;
	}
	envp[n] = NULL;

	request_init(&r, envp);
	if (request_parse(&r, &cfg, fake_read, &b) == OST_OK) {
		/* what handlers read next */
		(void)request_header(&r, "Accept");
		(void)request_header(&r, "X-CSRF-Token");
		(void)request_header(&r, "Authorization");
		(void)request_field(&r, "format");
		(void)request_field(&r, "csrf");
		(void)request_cookie(&r, "ostium_session");
	}
	request_free(&r);
	free(copy);
	return 0;
}
