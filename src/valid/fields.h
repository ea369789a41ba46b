/* fields.h - field tables: each resource declares its fields once, and one
 * routine applies the table to JSON and form input alike */
#ifndef OST_FIELDS_H
#define OST_FIELDS_H

#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

enum field_kind {
	FIELD_STRING,  /* UTF-8 text, no control characters; min..max characters */
	FIELD_TEXT,    /* the same, with newlines and tabs allowed */
	FIELD_INT,     /* an integer in min..max (form: decimal digits) */
	FIELD_BOOL,    /* true/false (form: on, true, 1, yes / off, false, 0, no, "") */
	FIELD_EMAIL,   /* an email address (valid_email) */
	FIELD_ENUM,    /* one of choices */
	FIELD_STRINGS, /* a list of min..max strings, each checked by item (form:
	                  repeated fields, or one text with an entry per line) */
	FIELD_OBJECT,  /* a JSON object (form: its JSON text), checked by check */
	FIELD_ID,      /* the id of another object: a positive integer */
};

enum field_flag {
	FIELD_REQUIRED = 1 << 0, /* must be given on create */
	FIELD_NULLABLE = 1 << 1, /* may be null (form: an empty value) to clear it */
	FIELD_SECRET = 1 << 2,   /* never echoed, never in the audit log */
};

#define FIELD_MSG_MAX 256

/* An extra rule for a value already of the right kind: NULL when fine, else
 * a sentence in MSG (MSGSZ bytes), which it returns. */
typedef const char *(*field_check)(const json_t *value, char *msg, size_t msgsz);

struct field {
	const char *name;
	const char *label;          /* for the console's forms */
	enum field_kind kind;
	long long min, max;         /* characters, value, or list length */
	unsigned flags;             /* enum field_flag */
	const char *const *choices; /* FIELD_ENUM: NULL-terminated */
	field_check check;          /* extra rule for the whole value, or NULL */
	field_check item;           /* FIELD_STRINGS: rule for each entry, or NULL */
	const char *dflt;           /* JSON text of the value a create without it gets
	                               (NULL: null, or "" for text kinds) */
};

/* What was wrong with an input. */
struct field_error {
	const char *field;           /* the field's name (static) */
	char message[FIELD_MSG_MAX]; /* a sentence for the client */
};

enum field_mode { FIELDS_CREATE, FIELDS_UPDATE };

/* fields_apply - check INPUT (an object from a JSON body, or from a form
 * when FROM_FORM, whose values are strings; NULL for none) against the N
 * FIELDS, and make *OUT a new object of typed values holding only the
 * fields given (FIELDS_UPDATE), or every field (FIELDS_CREATE: a required
 * one must be given, any other gets its default). Keys in
 * IGNORE (NULL-terminated, may be NULL) are skipped; any other unknown key
 * is refused. OST_ERR_INVALID with ERR filled on the first bad field. */
enum ost_err fields_apply(const struct field *fields, size_t n, const json_t *input,
    int from_form, enum field_mode mode, const char *const *ignore, json_t **out,
    struct field_error *err);

/* fields_find - the field NAME of the table, or NULL. */
const struct field *fields_find(const struct field *fields, size_t n, const char *name);

#endif
