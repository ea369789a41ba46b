/* generations.c - the database's generation counters */
#include "store/generations.h"

#include <stdio.h>
#include <string.h>

#include "core/gen.h"
#include "store/db.h"

enum ost_err
store_generations_bump(unsigned mask)
{
	char csv[GEN_KINDS * 8 + 1] = "";
	size_t n = 0;
	unsigned k;

	for (k = 0; k < GEN_KINDS; k++)
		if (mask & GEN_BIT(k))
			n += (size_t)snprintf(csv + n, sizeof(csv) - n, "%s%s", n ? "," : "",
			    gen_kind_name(k));
	if (!n)
		return OST_OK;
	return db_exec(STMT_GEN_BUMP, DB_ARGS(DB_S(csv)), NULL, NULL);
}

enum ost_err
store_generations_poll(void)
{
	json_t *rows = NULL, *row;
	enum ost_err err = db_rows(STMT_GEN_LIST, NULL, 0, &rows);
	unsigned k;
	size_t i;

	if (err)
		return err;
	json_array_foreach(rows, i, row) {
		const char *name = json_string_value(json_object_get(row, "kind"));
		json_int_t v = json_integer_value(json_object_get(row, "gen"));

		for (k = 0; name && k < GEN_KINDS; k++)
			if (strcmp(name, gen_kind_name(k)) == 0 && v >= 0)
				gen_seen(k, (uint64_t)v);
	}
	json_decref(rows);
	return OST_OK;
}
