/* op.c - the helpers every operation of the registry shares */
#include "registry/op.h"

#include <stdio.h>

#include "auth/auth.h"

int
op_is_super(const struct op *op)
{
	return (op->fields.roles & ROLE_SUPER_ADMINISTRATOR) != 0;
}

enum ost_err
op_refuse(struct field_error *why, enum ost_err err, const char *field, const char *message)
{
	why->field = field;
	snprintf(why->message, sizeof(why->message), "%s", message);
	return err;
}

json_t *
op_without_secrets(const struct field *fields, size_t n, const json_t *values)
{
	json_t *copy = json_deep_copy(values);
	size_t i;

	for (i = 0; copy && i < n; i++)
		if (fields[i].flags & FIELD_SECRET)
			json_object_del(copy, fields[i].name);
	return copy;
}
