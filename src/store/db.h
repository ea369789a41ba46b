/* db.h - the worker's MariaDB connection, prepared statements and transactions */
#ifndef OST_DB_H
#define OST_DB_H

#include <stddef.h>
#include <jansson.h>
#include "core/config.h"
#include "core/err.h"
#include "store/stmt.h"

/* One bound parameter of a statement. */
struct db_arg {
	enum { DB_NULL, DB_INT, DB_STR, DB_BLOB } type;
	long long i;      /* DB_INT */
	const void *p;    /* DB_STR, DB_BLOB */
	size_t len;       /* DB_STR, DB_BLOB */
};

#define DB_I(x) ((struct db_arg){.type = DB_INT, .i = (long long)(x)})
#define DB_S(x) ((struct db_arg){.type = DB_STR, .p = (x), .len = strlen(x)})
#define DB_SN(x, n) ((struct db_arg){.type = DB_STR, .p = (x), .len = (n)})
#define DB_B(x, n) ((struct db_arg){.type = DB_BLOB, .p = (x), .len = (n)})
#define DB_ARGS(...) ((const struct db_arg[]){__VA_ARGS__}), \
	(sizeof((const struct db_arg[]){__VA_ARGS__}) / sizeof(struct db_arg))
#define DB_NOARGS NULL, 0

/* The sql_mode of every connection, whatever the server's default: a value
 * a column cannot hold is an error, never silently cut or replaced; and
 * backslashes escape in strings and LIKE patterns. */
#define DB_SQL_MODE "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
#define DB_INIT_COMMAND "SET time_zone = '+00:00', sql_mode = '" DB_SQL_MODE "'"

/* db_init - remember CFG's database settings (the password file is read
 * now); no connection is made until the first statement. */
enum ost_err db_init(const struct config *cfg) OST_MUST_CHECK;

/* db_password - the password read by db_init ("" for none); for migrate.c. */
const char *db_password(void);

/* db_close - close the connection and every prepared statement. */
void db_close(void);

/* db_exec - run statement S with N arguments ARGS; *AFFECTED (may be NULL)
 * gets the rows changed, *INSERT_ID (may be NULL) the new AUTO_INCREMENT.
 * OST_ERR_DB_UNAVAILABLE when the server cannot be reached (one reconnect is
 * tried outside a transaction), OST_ERR_CONFLICT on a duplicate key,
 * OST_ERR_DB on any other failure. */
enum ost_err db_exec(enum stmt s, const struct db_arg *args, size_t n,
    unsigned long long *affected, unsigned long long *insert_id) OST_MUST_CHECK;

/* db_rows - run S and return every row as an object in the new array *ROWS
 * (caller decrefs): integers as numbers, TINYINT(1) as booleans, DATETIME
 * as "YYYY-MM-DDTHH:MM:SSZ", NULL as null, anything else as a string. At
 * most DB_ROWS_MAX rows. Errors as db_exec. */
enum ost_err db_rows(enum stmt s, const struct db_arg *args, size_t n, json_t **rows)
    OST_MUST_CHECK;
#define DB_ROWS_MAX 1000

/* db_row - like db_rows for one row: *ROW the first row, OST_ERR_NOT_FOUND
 * when there is none. */
enum ost_err db_row(enum stmt s, const struct db_arg *args, size_t n, json_t **row) OST_MUST_CHECK;

/* db_bool - make the 0/1 number at KEY of ROW a boolean (MariaDB hands
 * computed conditions back as numbers). */
void db_bool(json_t *row, const char *key);

/* db_begin, db_commit, db_rollback - transactions on the worker's connection. */
enum ost_err db_begin(void) OST_MUST_CHECK;
enum ost_err db_commit(void) OST_MUST_CHECK;
void db_rollback(void);

/* db_finish - end the transaction: commit when ERR is OST_OK, else roll
 * back. Returns ERR, or the commit's own error. */
enum ost_err db_finish(enum ost_err err) OST_MUST_CHECK;

/* db_ping - OST_OK when the database answers a statement. */
enum ost_err db_ping(void) OST_MUST_CHECK;

#endif
