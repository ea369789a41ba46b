/* err.h - the one result type of Ostium and its mapping to HTTP and OAuth */
#ifndef OST_ERR_H
#define OST_ERR_H

/* OST_MUST_CHECK - on every function returning enum ost_err (after its
 * prototype, before the return type of a static definition): a caller that
 * drops the result does not build (-Werror=unused-result). */
#define OST_MUST_CHECK __attribute__((warn_unused_result))

enum ost_err {
	OST_OK = 0,
	OST_ERR_NOMEM,          /* allocation failed */
	OST_ERR_INVALID,        /* a field or parameter is not valid */
	OST_ERR_MALFORMED,      /* the request could not be parsed */
	OST_ERR_TOO_LARGE,      /* the body is over the limit */
	OST_ERR_UNAUTHORIZED,   /* no or wrong credentials */
	OST_ERR_FORBIDDEN,      /* authenticated but not allowed */
	OST_ERR_CSRF,           /* missing or wrong CSRF token */
	OST_ERR_NOT_FOUND,      /* no such route or object */
	OST_ERR_METHOD,         /* the route exists, not with this method */
	OST_ERR_NOT_ACCEPTABLE, /* no representation the client accepts */
	OST_ERR_CONFLICT,       /* the change conflicts with the current state */
	OST_ERR_PRECONDITION,   /* If-Match does not match */
	OST_ERR_MEDIA_TYPE,     /* the body's content type is not understood */
	OST_ERR_THROTTLED,      /* too many failures: try again later */
	OST_ERR_DB_UNAVAILABLE, /* the database cannot be reached */
	OST_ERR_DB,             /* the database refused a statement */
	OST_ERR_CRYPTO,         /* a cryptographic primitive failed */
	OST_ERR_IO,             /* a file or socket operation failed */
	OST_ERR_CONFIG,         /* the configuration is not valid */
	OST_ERR_INTERNAL,       /* anything else: a bug */
	OST_ERR__COUNT
};

/* What one error becomes on the wire. */
struct ost_err_info {
	int status;          /* HTTP status */
	const char *code;    /* API error code (DESIGN.md section 4) */
	const char *oauth;   /* RFC 6749 section 5.2 error */
	const char *message; /* a default human message, never with a secret */
};

/* ost_strerror - a short English description of ERR; never NULL. */
const char *ost_strerror(enum ost_err err);

/* ost_err_info - the wire mapping of ERR; never NULL (unknown values map to
 * OST_ERR_INTERNAL). */
const struct ost_err_info *ost_err_info(enum ost_err err);

/* ost_ignore - drop ERR on purpose: the one way to do it, so that each
 * place is easy to find; its caller says in a comment why nothing is lost.
 * A (void) cast does not silence warn_unused_result under gcc. */
static inline void
ost_ignore(enum ost_err err)
{
	(void)err;
}

#endif
