/* fuzz_addr.c - libFuzzer harness: addresses and ranges (core/addr.c)
 *
 * Input: text; the first line is an address, the rest a list of range
 * entries, one a line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"

#define ENTRY_SIZE 64
#define ENTRIES_MAX 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *nl, *p, entries[ENTRIES_MAX][ENTRY_SIZE];
	uint8_t ip[16];
	size_t n = 0, len;
	int v4;

	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	/* the whole text as one address and as one range, then each line */
	if (addr_parse(text, ip, &v4))
		(void)addr_in_range(text, ip);
	(void)addr_range_valid(text);
	for (p = nl ? nl + 1 : NULL; p && n < ENTRIES_MAX; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		(void)addr_range_valid(p);
		if (addr_parse(text, ip, &v4))
			(void)addr_in_range(p, ip);
		len = strlen(p);
		if (len < ENTRY_SIZE) {
			memcpy(entries[n], p, len + 1);
			n++;
		}
	}
	(void)addr_in_ranges(text, &entries[0][0], n, ENTRY_SIZE);
	free(text);
	return 0;
}
