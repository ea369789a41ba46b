/* resource.h - the operations on a resource described by a table: create,
 * update (with version), delete, each validated input in, audited, in one
 * change */
#ifndef OST_REGISTRY_RESOURCE_H
#define OST_REGISTRY_RESOURCE_H

#include "registry/op.h"
#include "store/resource.h"

/* The operations of a resource whose writes are not the generic ones
 * below (an application makes its credentials, a person's roles follow
 * rules), with the same refusals. */
struct reg_ops {
	enum ost_err (*create)(const struct op *op, const json_t *in, json_t **row,
	    struct field_error *why);
	enum ost_err (*update)(const struct op *op, long long id, long long version,
	    const json_t *in, json_t **row, struct field_error *why);
	enum ost_err (*del)(const struct op *op, long long id, struct field_error *why);
};

/* What the row of most resources holds besides its fields: id, version,
 * created_at, updated_at (for struct resource's out table). */
#define REG_ROW_NFIELDS 4
extern const struct field reg_row_fields[REG_ROW_NFIELDS];

/* reg_create - create an item of R from IN (fields_apply'd in create mode
 * against R's fields); PARENT > 0 sets the first filter's field (a project's
 * suite) and must exist (OST_ERR_NOT_FOUND). *ROW gets the new row.
 * Refusals: OST_ERR_INVALID or OST_ERR_CONFLICT (a duplicate, or a missing
 * reference) with WHY filled when the table's rules say why. */
enum ost_err reg_create(const struct op *op, const struct resource *r, long long parent,
    const json_t *in, json_t **row, struct field_error *why) OST_MUST_CHECK;

/* reg_update - merge IN (update mode) over row ID if it still has VERSION;
 * *ROW gets the row written. OST_ERR_CONFLICT when the row has moved on:
 * *ROW then gets the current row; OST_ERR_CONFLICT without *ROW is a
 * duplicate, WHY naming the field when known. */
enum ost_err reg_update(const struct op *op, const struct resource *r, long long id,
    long long version, const json_t *in, json_t **row, struct field_error *why)
    OST_MUST_CHECK;

/* reg_update_then - reg_update, then AFTER(CH, ID, IN, ROW) inside the same
 * change with the row written (an application's event, what else the
 * change implies); its error rolls the update back. */
struct change;
enum ost_err reg_update_then(const struct op *op, const struct resource *r, long long id,
    long long version, const json_t *in, json_t **row, struct field_error *why,
    enum ost_err (*after)(struct change *ch, long long id, const json_t *in, const json_t *row))
    OST_MUST_CHECK;

/* reg_delete - delete row ID (OST_ERR_CONFLICT while other rows refer to it). */
enum ost_err reg_delete(const struct op *op, const struct resource *r, long long id)
    OST_MUST_CHECK;

#endif
