/* addr.h - IP addresses and ranges ("ADDR" or "ADDR/BITS"), IPv4 and IPv6,
 * compared as bytes, so that every spelling of an address is the same one */
#ifndef OST_ADDR_H
#define OST_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* TEXT as 16 bytes in OUT, IPv4 as IPv4-mapped IPv6; *V4 set for IPv4 (and
 * IPv4-mapped IPv6). 0 when TEXT is no address. */
int addr_parse(const char *text, uint8_t out[16], int *v4);

/* Does the range ENTRY ("ADDR" or "ADDR/BITS") hold the address IP (as
 * addr_parse gives it)? 0 as well when ENTRY is no range. */
int addr_in_range(const char *entry, const uint8_t ip[16]);

/* Is ENTRY an address or a range ADDR/BITS (BITS at most 32 for IPv4, 128
 * for IPv6)? */
int addr_range_valid(const char *entry);

/* Does one of the N ranges ENTRIES (each SIZE bytes apart, as in a
 * fixed-size array of strings) hold the address TEXT? */
int addr_in_ranges(const char *text, const char *entries, size_t n, size_t size);

#endif
