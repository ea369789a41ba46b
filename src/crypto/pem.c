/* pem.c - reading RSA public keys and X.509 certificates in PEM (GnuTLS):
 * the only caller of GnuTLS, so no ASN.1 is parsed by hand anywhere */
#include "crypto/pem.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* The public key algorithm of a PEM public key, or a negative GnuTLS error. */
static int
pubkey_algorithm(const gnutls_datum_t *d, unsigned *bits)
{
	gnutls_pubkey_t key;
	int rc = gnutls_pubkey_init(&key);

	if (rc < 0)
		return rc;
	rc = gnutls_pubkey_import(key, d, GNUTLS_X509_FMT_PEM);
	if (rc >= 0)
		rc = gnutls_pubkey_get_pk_algorithm(key, bits);
	gnutls_pubkey_deinit(key);
	return rc;
}

/* The public key algorithm of a PEM certificate, or a negative GnuTLS error. */
static int
certificate_algorithm(const gnutls_datum_t *d, unsigned *bits)
{
	gnutls_x509_crt_t crt;
	int rc = gnutls_x509_crt_init(&crt);

	if (rc < 0)
		return rc;
	rc = gnutls_x509_crt_import(crt, d, GNUTLS_X509_FMT_PEM);
	if (rc >= 0)
		rc = gnutls_x509_crt_get_pk_algorithm(crt, bits);
	gnutls_x509_crt_deinit(crt);
	return rc;
}

/* The key of the PEM text D parsed as KIND: its algorithm (or a negative
 * GnuTLS error) and *BITS. */
static int
pem_algorithm(const gnutls_datum_t *d, enum pem_kind kind, unsigned *bits)
{
	return kind == PEM_CERTIFICATE ? certificate_algorithm(d, bits) : pubkey_algorithm(d, bits);
}

/* A PEM text of N bytes has a usable size. */
static OST_MUST_CHECK enum ost_err
pem_sized(size_t n, const char **why)
{
	if (n == 0 || n > 65536) { /* far over any PEM of one key */
		*why = "is not a PEM text of a usable size";
		return OST_ERR_INVALID;
	}
	return OST_OK;
}

/* The key read (ALG, from pem_algorithm) is RSA. */
static OST_MUST_CHECK enum ost_err
pem_rsa(int alg, const char **why)
{
	if (alg != GNUTLS_PK_RSA) {
		*why = "holds a key that is not RSA";
		return OST_ERR_INVALID;
	}
	return OST_OK;
}

enum ost_err
crypto_pem_rsa(const char *text, size_t n, enum pem_kind kind, unsigned *bits, const char **why)
{
	gnutls_datum_t d = {.data = (unsigned char *)text, .size = (unsigned)n};
	int alg;

	*bits = 0;
	if (pem_sized(n, why))
		return OST_ERR_INVALID;
	alg = pem_algorithm(&d, kind, bits);
	if (alg < 0) {
		*why = kind == PEM_CERTIFICATE
		    ? "is not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)"
		    : "is not a PEM public key (-----BEGIN PUBLIC KEY-----)";
		return OST_ERR_INVALID;
	}
	return pem_rsa(alg, why);
}

enum ost_err
crypto_pem_rsa_either(const char *text, size_t n, enum pem_kind *kind, unsigned *bits,
    const char **why)
{
	gnutls_datum_t d = {.data = (unsigned char *)text, .size = (unsigned)n};
	int alg;

	*bits = 0;
	*kind = PEM_CERTIFICATE;
	if (pem_sized(n, why))
		return OST_ERR_INVALID;
	if ((alg = pem_algorithm(&d, PEM_CERTIFICATE, bits)) < 0) {
		*kind = PEM_PUBLIC_KEY;
		alg = pem_algorithm(&d, PEM_PUBLIC_KEY, bits);
	}
	if (alg < 0) {
		*why = "is neither a PEM X.509 certificate (-----BEGIN CERTIFICATE-----) nor a PEM "
		       "public key (-----BEGIN PUBLIC KEY-----)";
		return OST_ERR_INVALID;
	}
	return pem_rsa(alg, why);
}

/* The public key of the PEM certificate D into KEY, if the certificate is
 * valid at NOW; a negative GnuTLS error (or -1) otherwise. */
static int
certificate_key(const gnutls_datum_t *d, gnutls_pubkey_t key, long long now)
{
	gnutls_x509_crt_t crt;
	int rc = gnutls_x509_crt_init(&crt);

	if (rc < 0)
		return rc;
	rc = gnutls_x509_crt_import(crt, d, GNUTLS_X509_FMT_PEM);
	if (rc >= 0 && ((long long)gnutls_x509_crt_get_activation_time(crt) > now ||
	                   (long long)gnutls_x509_crt_get_expiration_time(crt) < now))
		rc = -1;
	if (rc >= 0)
		rc = gnutls_pubkey_import_x509(key, crt, 0);
	gnutls_x509_crt_deinit(crt);
	return rc;
}

int
crypto_pem_rs256_verify(const char *text, size_t n, enum pem_kind kind, const void *data,
    size_t dlen, const void *sig, size_t siglen, long long now)
{
	gnutls_datum_t d = {.data = (unsigned char *)text, .size = (unsigned)n};
	gnutls_datum_t msg = {.data = (unsigned char *)data, .size = (unsigned)dlen};
	gnutls_datum_t s = {.data = (unsigned char *)sig, .size = (unsigned)siglen};
	gnutls_pubkey_t key;
	unsigned bits = 0;
	int rc, ok = 0;

	if (!text || n == 0 || n > 65536 || dlen > 65536 || siglen == 0 || siglen > 1024 ||
	    gnutls_pubkey_init(&key) < 0)
		return 0;
	rc = kind == PEM_CERTIFICATE ? certificate_key(&d, key, now)
	                             : gnutls_pubkey_import(key, &d, GNUTLS_X509_FMT_PEM);
	if (rc >= 0 && gnutls_pubkey_get_pk_algorithm(key, &bits) == GNUTLS_PK_RSA &&
	    bits >= PEM_RSA_MIN_BITS)
		ok = gnutls_pubkey_verify_data2(key, GNUTLS_SIGN_RSA_SHA256, 0, &msg, &s) >= 0;
	gnutls_pubkey_deinit(key);
	return ok;
}
