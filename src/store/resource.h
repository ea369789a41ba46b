/* resource.h - the generic store of a resource described by a table: list
 * (keyset pages, filters), get, insert, update (with version), delete */
#ifndef OST_STORE_RESOURCE_H
#define OST_STORE_RESOURCE_H

#include <jansson.h>
#include "core/err.h"
#include "store/stmt.h"
#include "valid/fields.h"

enum filter_kind {
	FILTER_CONTAINS, /* text: binds (value, '%value%'): "(? = '' OR col LIKE ?)" */
	FILTER_ID,       /* an id: binds (id, id): "(? = 0 OR col = ?)" */
	FILTER_BOOL,     /* binds (-1|0|1, same): "(? < 0 OR col = ?)" */
};

#define RESOURCE_FILTER_MAX 100 /* characters of a text filter (a whole name) */

struct resource_filter {
	const char *name; /* query parameter (and path parameter for a parent) */
	enum filter_kind kind;
};

/* A resource: its fields, the statements that serve it, their bind order. */
struct resource {
	const char *type;                 /* "suite": audit object type, item name */
	const struct field *fields;       /* what a client may write */
	size_t nfields;
	const struct field_table *out;    /* what its rows hold besides the fields (id,
	                                     version, times): read-only; its name names
	                                     the row in the API description */
	const char *const *insert_cols;   /* field names bound by the insert, in order */
	const char *const *update_cols;   /* by the update, in order, before id and version */
	const struct resource_filter *filters; /* bound by the list after the cursor */
	size_t nfilters;
	enum stmt list;   /* (after_id, filters..., limit): ORDER BY id */
	enum stmt get;    /* (id) */
	enum stmt insert; /* (insert_cols...) */
	enum stmt update; /* (update_cols..., id, version): version = version + 1 */
	enum stmt del;    /* (id) */
	/* Cross-field rules on the whole object after a create or a merge;
	 * NULL when there are none. */
	enum ost_err (*check)(const json_t *item, struct field_error *err);
	/* What other values make of the whole object after a create or a merge,
	 * set on ITEM before check (IN: what the client gave; every field on a
	 * create); NULL when nothing is derived. A refusal fills ERR. */
	enum ost_err (*derive)(const json_t *in, json_t *item, struct field_error *err);
	const char *unique; /* the field a duplicate is answered about (409 naming
	                       it), or NULL */
	const struct resource *parent; /* for a nested resource, the one its first
	                                  filter names (a missing parent is a 404) */
	unsigned invalidates; /* the credential checks (GEN_BIT kinds, core/gen.h)
	                         an update or a delete of one can affect; a create
	                         affects none */
};

/* store_resource_list - rows of R after id AFTER, at most LIMIT, matching
 * FILTERS (object name -> string or integer; missing means any). */
enum ost_err store_resource_list(const struct resource *r, const json_t *filters,
    long long after, unsigned limit, json_t **rows) OST_MUST_CHECK;

/* store_resource_get - *ROW gets the row with ID (list and object columns
 * parsed); OST_ERR_NOT_FOUND when there is none. */
enum ost_err store_resource_get(const struct resource *r, long long id, json_t **row)
    OST_MUST_CHECK;

/* store_resource_insert - insert VALUES (every insert column; missing ones
 * as NULL); *ID gets the new id. OST_ERR_CONFLICT on a duplicate. */
enum ost_err store_resource_insert(const struct resource *r, const json_t *values,
    long long *id) OST_MUST_CHECK;

/* store_resource_update - write VALUES (every update column) over row ID
 * if it still has VERSION. OST_ERR_CONFLICT when it has not (or on a
 * duplicate key), OST_ERR_NOT_FOUND when there is no such row. */
enum ost_err store_resource_update(const struct resource *r, long long id, long long version,
    const json_t *values) OST_MUST_CHECK;

/* store_resource_delete - delete row ID; OST_ERR_NOT_FOUND when absent,
 * OST_ERR_CONFLICT when other rows still refer to it. */
enum ost_err store_resource_delete(const struct resource *r, long long id) OST_MUST_CHECK;

/* store_bind_json - V as a statement argument: strings, integers, booleans
 * (0/1), null; arrays and objects as their JSON text, which is allocated
 * into *OWNED (free() it after the statement; NULL when nothing was). */
struct db_arg;
enum ost_err store_bind_json(const json_t *v, struct db_arg *arg, char **owned) OST_MUST_CHECK;

/* store_like_pattern - "%S%" with LIKE's % _ and \\ escaped, so that it
 * matches S anywhere in a value; a new string (free() it), NULL on no memory. */
char *store_like_pattern(const char *s);

/* store_parse_json_columns - replace the JSON text of R's list and object
 * fields in ROW by the values it holds. */
void store_parse_json_columns(const struct resource *r, json_t *row);

#endif
