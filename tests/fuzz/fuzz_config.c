/* fuzz_config.c - libFuzzer harness: the configuration file through config_load_string
 *
 * Input: the text of a configuration file (cut at its first NUL byte, as
 * config_load refuses a NUL, and at its 64 KiB limit). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#define FILE_MAX (64 * 1024)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c; /* large: not on the stack */
	char err[512], *text;

	if (size > FILE_MAX)
		size = FILE_MAX;
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (config_load_string("fuzz.conf", "/etc/ostium", text, &c, err, sizeof(err)) == OST_OK) {
		(void)config_is_trusted_proxy(&c, "10.0.0.1");
		(void)config_is_trusted_proxy(&c, "::1");
		(void)config_is_trusted_proxy(&c, "0:0:0:0:0:0:0:1");
		(void)config_is_trusted_proxy(&c, "not an address");
	}
	free(text);
	return 0;
}
