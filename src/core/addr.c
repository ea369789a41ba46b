/* addr.c - IP addresses and ranges, compared as bytes */
#include "core/addr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int
addr_parse(const char *text, uint8_t out[16], int *v4)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	*v4 = 0;
	if (inet_pton(AF_INET, text, out + 12) == 1) {
		memcpy(out, mapped, sizeof(mapped));
		*v4 = 1;
		return 1;
	}
	if (inet_pton(AF_INET6, text, out) != 1)
		return 0;
	*v4 = memcmp(out, mapped, sizeof(mapped)) == 0;
	return 1;
}

/* The range ENTRY ("ADDR" or "ADDR/BITS") as its address NET and its prefix
 * length *BITS over the 128 bits of NET; 0 when ENTRY is no range. */
static int
range_parse(const char *entry, uint8_t net[16], unsigned long *bits)
{
	char text[64];
	const char *slash = strchr(entry, '/');
	size_t n = slash ? (size_t)(slash - entry) : strlen(entry);
	char *end;
	int v4;

	if (n == 0 || n >= sizeof(text))
		return 0;
	memcpy(text, entry, n);
	text[n] = '\0';
	if (!addr_parse(text, net, &v4))
		return 0;
	*bits = v4 ? 32 : 128;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return 0;
		*bits = strtoul(slash + 1, &end, 10);
		if (*end || *bits > (v4 ? 32u : 128u))
			return 0;
	}
	if (v4)
		*bits += 96;
	return 1;
}

int
addr_in_range(const char *entry, const uint8_t ip[16])
{
	uint8_t net[16];
	unsigned long bits;
	int full, rest;

	if (!range_parse(entry, net, &bits))
		return 0;
	full = (int)(bits / 8);
	rest = (int)(bits % 8);
	if (memcmp(net, ip, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((net[full] ^ ip[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

int
addr_range_valid(const char *entry)
{
	uint8_t net[16];
	unsigned long bits;

	return range_parse(entry, net, &bits);
}

int
addr_in_ranges(const char *text, const char *entries, size_t n, size_t size)
{
	uint8_t ip[16];
	size_t i;
	int v4;

	if (!text || !addr_parse(text, ip, &v4))
		return 0;
	for (i = 0; i < n; i++)
		if (addr_in_range(entries + i * size, ip))
			return 1;
	return 0;
}
