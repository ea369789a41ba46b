/* pem.h - reading RSA public keys and X.509 certificates in PEM (GnuTLS) */
#ifndef OST_PEM_H
#define OST_PEM_H

#include <stddef.h>
#include "core/err.h"

#define PEM_RSA_MIN_BITS 2048

/* What crypto_pem_rsa found in a PEM text. */
enum pem_kind {
	PEM_PUBLIC_KEY,  /* -----BEGIN PUBLIC KEY----- (SubjectPublicKeyInfo) */
	PEM_CERTIFICATE, /* -----BEGIN CERTIFICATE----- (X.509) */
};

/* crypto_pem_rsa - parse the N bytes of PEM at TEXT as KIND with GnuTLS and
 * check that the key in it is RSA; *BITS gets its modulus size. Returns
 * OST_OK, or OST_ERR_INVALID with *WHY (static, never quoting the input)
 * saying what is wrong: unreadable PEM, or a key that is not RSA. The size
 * rule (PEM_RSA_MIN_BITS) is the caller's. */
enum ost_err crypto_pem_rsa(const char *text, size_t n, enum pem_kind kind, unsigned *bits,
    const char **why) OST_MUST_CHECK;

/* crypto_pem_rsa_either - crypto_pem_rsa for a text that may hold either
 * kind: an X.509 certificate when it reads as one, else a public key.
 * *KIND gets which it holds (when it holds neither, OST_ERR_INVALID with
 * *WHY naming both). */
enum ost_err crypto_pem_rsa_either(const char *text, size_t n, enum pem_kind *kind,
    unsigned *bits, const char **why) OST_MUST_CHECK;
/* crypto_pem_rs256_verify - 1 when SIG (SIGLEN bytes) is an RS256
 * signature (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 section 3.3) of
 * DATA (DLEN bytes) made with the key of the PEM text TEXT (N bytes) of
 * KIND: an RSA key of at least PEM_RSA_MIN_BITS, from a certificate within
 * its validity period at NOW (Unix time). 0 for anything else: unreadable
 * PEM, another algorithm, a smaller key, an expired certificate, a
 * signature that does not verify. GnuTLS does the work. */
int crypto_pem_rs256_verify(const char *text, size_t n, enum pem_kind kind, const void *data,
    size_t dlen, const void *sig, size_t siglen, long long now);

#endif
