/* secret.c - server secrets kept in files: the pepper and the encryption keys */
#include "crypto/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"

#define SECRET_MAX 64
#define SECRET_FILE_MAX 4096

enum ost_err
crypto_secret_write(const char *path, const char *prefix, size_t n)
{
	uint8_t raw[SECRET_MAX];
	char hex[2 * SECRET_MAX + 1];
	FILE *f;
	int fd, bad;
	enum ost_err err;

	if (n > SECRET_MAX)
		return OST_ERR_INVALID;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? OST_ERR_CONFLICT : OST_ERR_IO;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		return OST_ERR_IO;
	}
	crypto_random(raw, n);
	err = crypto_hex_encode(raw, n, hex, sizeof(hex));
	bad = !err && fprintf(f, "%s%s\n", prefix, hex) < 0;
	bad |= fclose(f) != 0;
	crypto_wipe(raw, sizeof(raw));
	crypto_wipe(hex, sizeof(hex));
	return err ? err : bad ? OST_ERR_IO : OST_OK;
}

/* The last non-empty line of TEXT, without its "ID " prefix. */
static char *
last_value(char *text)
{
	char *line = NULL, *p, *save = NULL, *sp;

	for (p = strtok_r(text, "\r\n", &save); p; p = strtok_r(NULL, "\r\n", &save))
		if (*p)
			line = p;
	if (line && (sp = strrchr(line, ' ')))
		line = sp + 1;
	return line;
}

enum ost_err
crypto_secret_load(const char *path, size_t n, uint8_t **out)
{
	char text[SECRET_FILE_MAX + 1], *value;
	struct stat st;
	size_t len, got = 0;
	uint8_t *buf;
	FILE *f;
	enum ost_err err;

	*out = NULL;
	if (!(f = fopen(path, "r")))
		return OST_ERR_IO;
	if (fstat(fileno(f), &st) || (st.st_mode & 077)) {
		fclose(f);
		return OST_ERR_CONFIG;
	}
	len = fread(text, 1, SECRET_FILE_MAX, f);
	fclose(f);
	text[len] = '\0';
	value = last_value(text);
	if (!(buf = gcry_malloc_secure(n ? n : 1))) {
		crypto_wipe(text, sizeof(text));
		return OST_ERR_NOMEM;
	}
	err = value ? crypto_hex_decode(value, strlen(value), buf, n, &got) : OST_ERR_INVALID;
	crypto_wipe(text, sizeof(text));
	if (err || got != n) {
		crypto_secret_free(buf, n);
		return OST_ERR_CONFIG;
	}
	*out = buf;
	return OST_OK;
}

void
crypto_secret_free(uint8_t *p, size_t n)
{
	if (!p)
		return;
	crypto_wipe(p, n);
	gcry_free(p);
}
