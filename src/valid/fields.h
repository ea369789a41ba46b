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
	FIELD_OBJECT,  /* a JSON object (form: its JSON text) nesting at most
	                  FIELD_DEPTH_MAX levels, checked by check */
	FIELD_ID,      /* the id of another object: a positive integer */
	FIELD_TIME,    /* answers only: a UTC time as text, "YYYY-MM-DDTHH:MM:SSZ" */
	FIELD_ROWS,    /* answers only: a list of rows, each holding the fields of rows */
};

enum field_flag {
	FIELD_REQUIRED = 1 << 0, /* must be given on create */
	FIELD_NULLABLE = 1 << 1, /* may be null (form: an empty value) to clear it */
	FIELD_SECRET = 1 << 2,   /* never echoed, never in the audit log */
	FIELD_OPTIONAL = 1 << 3, /* answers only: present only where it applies (the
	                            OAuth answers of oauth/) */
};

#define FIELD_MSG_MAX 256
/* How deep a FIELD_OBJECT's objects and lists may nest, itself counted:
 * what is stored must render everywhere (XML, the console's indented JSON). */
#define FIELD_DEPTH_MAX 16

/* What a check may need to know beyond the value: the mode the server runs
 * in and who asks. One field table serves every mode and every caller. */
struct field_table;

struct field_ctx {
	int development;  /* development mode: plain http allowed where it says so */
	long long user_id; /* the person asking (0: an application or the system) */
	unsigned roles;    /* their console roles (enum role bits) */
};

/* An extra rule for a value already of the right kind: NULL when fine, else
 * a sentence in MSG (MSGSZ bytes), which it returns. FC is never NULL. */
typedef const char *(*field_check)(const struct field_ctx *fc, const json_t *value, char *msg,
    size_t msgsz);

struct field {
	const char *name;
	const char *label;          /* for the console's forms */
	enum field_kind kind;
	long long min, max;         /* characters, value, or list length */
	unsigned flags;             /* enum field_flag */
	const char *const *choices; /* FIELD_ENUM, or the boxes a FIELD_STRINGS offers:
	                               NULL-terminated */
	const char *const *choice_labels; /* what the console shows for each choice
	                                     (NULL: the choices themselves) */
	field_check check;          /* extra rule for the whole value, or NULL */
	field_check item;           /* FIELD_STRINGS: rule for each entry, or NULL */
	const char *dflt;           /* JSON text of the value a create without it gets
	                               (NULL: null, or "" for text kinds) */
	const char *help;           /* one sentence for the API description, or NULL */
	unsigned published : 1;     /* shown to the application itself (its identity sheet) */
	const struct field_table *rows; /* FIELD_ROWS: what each row holds */
};

/* A named field table: what a route's body holds, or a resource's fields. */
struct field_table {
	const char *name;            /* "App": the API description's schema name */
	const struct field *fields;
	size_t n;
};
#define FIELD_TABLE(NAME, ARRAY) {NAME, ARRAY, sizeof(ARRAY) / sizeof((ARRAY)[0])}

/* What was wrong with an input. */
struct field_error {
	const char *field;           /* the field's name (static) */
	char message[FIELD_MSG_MAX]; /* a sentence for the client */
};

enum field_mode { FIELDS_CREATE, FIELDS_UPDATE };

/* fields_apply - under FC, check INPUT (an object from a JSON body, or from a form
 * when FROM_FORM, whose values are strings; NULL for none) against the N
 * FIELDS, and make *OUT a new object of typed values holding only the
 * fields given (FIELDS_UPDATE), or every field (FIELDS_CREATE: a required
 * one must be given, any other gets its default). Keys in
 * IGNORE (NULL-terminated, may be NULL) are skipped; any other unknown key
 * is refused. OST_ERR_INVALID with ERR filled on the first bad field. */
enum ost_err fields_apply(const struct field_ctx *fc, const struct field *fields, size_t n,
    const json_t *input, int from_form, enum field_mode mode, const char *const *ignore,
    json_t **out, struct field_error *err) OST_MUST_CHECK;

/* fields_ignored - the body keys every table skips: the form's CSRF token,
 * the version an update sends back, the format override. */
extern const char *const fields_ignored[];

/* fields_nests_deeper - do V's objects and lists nest deeper than MAX
 * levels (V itself one; a scalar is none)? Looks no deeper than MAX + 1,
 * whatever V holds. */
int fields_nests_deeper(const json_t *v, int max);

/* fields_find - the field NAME of the table, or NULL. */
const struct field *fields_find(const struct field *fields, size_t n, const char *name);

#endif
