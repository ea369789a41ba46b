/* gen.c - generation counters in a named shared memory object */
#include "core/gen.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GEN_SLOTS 16 /* room for kinds to come without resizing the object */
/* slots GEN_SEEN + KIND: the database's counter of KIND last seen here;
 * slot GEN_POLLED: when it was last read (CLOCK_MONOTONIC, ms) */
#define GEN_SEEN 8
#define GEN_POLLED 15

static uint64_t *counters; /* GEN_SLOTS counters, or NULL */

static uint64_t
fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
gen_name(const struct config *cfg, char *out, size_t outsz)
{
	char port[16];
	uint64_t h = 14695981039346656037ULL;

	snprintf(port, sizeof(port), "%u", cfg->db_port);
	/* each part with its NUL, so that no two settings run together */
	h = fnv1a(h, cfg->db_socket, strlen(cfg->db_socket) + 1);
	h = fnv1a(h, cfg->db_socket[0] ? "" : cfg->db_host,
	    cfg->db_socket[0] ? 1 : strlen(cfg->db_host) + 1);
	h = fnv1a(h, cfg->db_socket[0] ? "" : port, cfg->db_socket[0] ? 1 : strlen(port) + 1);
	h = fnv1a(h, cfg->db_name, strlen(cfg->db_name) + 1);
	snprintf(out, outsz, "/ostium-gen-%016llx", (unsigned long long)h);
}

/* Map the object NAME, made when missing. OWNER (NULL: none) is a file
 * whose owner and group the object takes when root makes or opens it:
 * the service's secrets file, so that the processes a web server starts
 * as the service's user (Apache mod_fcgid) reach what ostiumctl, run as
 * root, made, and no one else does. */
static OST_MUST_CHECK enum ost_err
attach(const char *name, const char *owner)
{
	size_t size = GEN_SLOTS * sizeof(uint64_t);
	struct stat st, own;
	void *p;
	int fd;

	gen_detach();
	if ((fd = shm_open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) < 0)
		return OST_ERR_IO;
	if (fstat(fd, &st)) {
		close(fd);
		return OST_ERR_IO;
	}
	/* group-writable whatever the umask: ostiumctl may run as another
	 * member of the service's group; never more */
	if (geteuid() == 0 && owner && owner[0] && stat(owner, &own) == 0 &&
	    (st.st_uid != own.st_uid || st.st_gid != own.st_gid) &&
	    fchown(fd, own.st_uid, own.st_gid) == 0)
		st.st_uid = own.st_uid;
	if ((st.st_uid == geteuid() || geteuid() == 0) && (st.st_mode & 07777) != 0660)
		(void)fchmod(fd, 0660); /* else as made: only less reach */
	/* growing only: a second process sizing it at once does no harm */
	if ((size_t)st.st_size < size && ftruncate(fd, (off_t)size)) {
		close(fd);
		return OST_ERR_IO;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return OST_ERR_IO;
	counters = p;
	return OST_OK;
}

enum ost_err
gen_attach_name(const char *name)
{
	return attach(name, NULL);
}

enum ost_err
gen_attach(const struct config *cfg)
{
	char name[64];

	gen_name(cfg, name, sizeof(name));
	return attach(name, cfg->pepper_file);
}

void
gen_detach(void)
{
	if (counters)
		munmap(counters, GEN_SLOTS * sizeof(uint64_t));
	counters = NULL;
}

int
gen_shared(void)
{
	return counters != NULL;
}

uint64_t
gen_read(enum gen_kind kind)
{
	return counters && kind < GEN_KINDS ? __atomic_load_n(&counters[kind], __ATOMIC_ACQUIRE)
	                                    : 0;
}

void
gen_bump(unsigned mask)
{
	unsigned k;

	if (!counters)
		return;
	for (k = 0; k < GEN_KINDS; k++)
		if (mask & GEN_BIT(k))
			__atomic_fetch_add(&counters[k], 1, __ATOMIC_ACQ_REL);
}

static const char *const kind_names[GEN_KINDS] = {"tokens", "people", "apps", "oauth"};

const char *
gen_kind_name(enum gen_kind kind)
{
	return kind < GEN_KINDS ? kind_names[kind] : "";
}

int
gen_poll_due(unsigned interval)
{
	struct timespec ts;
	uint64_t now, last;

	if (!counters || clock_gettime(CLOCK_MONOTONIC, &ts))
		return 0;
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 + 1;
	last = __atomic_load_n(&counters[GEN_POLLED], __ATOMIC_ACQUIRE);
	if (last && now - last < (uint64_t)interval * 1000 && now >= last)
		return 0;
	/* one winner among the processes that found it due at once */
	return __atomic_compare_exchange_n(&counters[GEN_POLLED], &last, now, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE);
}

void
gen_seen(enum gen_kind kind, uint64_t value)
{
	uint64_t old;

	if (!counters || kind >= GEN_KINDS)
		return;
	old = __atomic_load_n(&counters[GEN_SEEN + kind], __ATOMIC_ACQUIRE);
	if (old != value && __atomic_compare_exchange_n(&counters[GEN_SEEN + kind], &old, value, 0,
	                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		gen_bump(GEN_BIT(kind));
}
