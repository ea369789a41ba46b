/* db.c - the worker's MariaDB connection, prepared statements and transactions */
#include "store/db.h"

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gen.h"
#include "core/log.h"
#include "crypto/crypto.h"

#define DB_PASSWORD_MAX 256
#define DB_CELL_MAX (1024 * 1024)
/* result bytes past which a statement is closed after its result, not kept */
#define DB_STMT_KEEP_MAX (256 * 1024)
#define DB_ARGS_MAX 32 /* parameters of one statement (an application's insert has 23) */

static struct {
	const struct config *cfg;        /* where to connect */
	char password[DB_PASSWORD_MAX];  /* read from db_password_file */
	MYSQL *conn;                     /* NULL when not connected */
	MYSQL_STMT *stmts[STMT__COUNT];  /* prepared on first use */
	int in_tx;                       /* inside db_begin .. db_commit */
} db;

/* Read the first line of PATH into OUT. */
static OST_MUST_CHECK enum ost_err
read_password(const char *path, char *out, size_t outsz)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		log_error("cannot open db_password_file %s: %s", path, strerror(errno));
		return OST_ERR_IO;
	}
	n = fread(out, 1, outsz - 1, f);
	fclose(f);
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return OST_OK;
}

enum ost_err
db_init(const struct config *cfg)
{
	db_close();
	db.cfg = cfg;
	/* the generation counters of this database on this host: without them
	 * credential checks are not cached, each reads the database */
	if (gen_attach(cfg))
		log_warn("the shared generation counters could not be mapped: credential checks "
		         "will not be cached");
	crypto_wipe(db.password, sizeof(db.password));
	if (cfg->db_password_file[0])
		return read_password(cfg->db_password_file, db.password, sizeof(db.password));
	return OST_OK;
}

const char *
db_password(void)
{
	return db.password;
}

void
db_close(void)
{
	int i;

	for (i = 0; i < STMT__COUNT; i++)
		if (db.stmts[i]) {
			mysql_stmt_close(db.stmts[i]);
			db.stmts[i] = NULL;
		}
	if (db.conn)
		mysql_close(db.conn);
	db.conn = NULL;
	db.in_tx = 0;
}

static OST_MUST_CHECK enum ost_err
db_connect(void)
{
	const struct config *c = db.cfg;
	unsigned timeout = 3;
	my_bool off = 0;

	if (db.conn)
		return OST_OK;
	if (!c || !(db.conn = mysql_init(NULL)))
		return OST_ERR_NOMEM;
	mysql_options(db.conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	timeout = 10;
	mysql_options(db.conn, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(db.conn, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	mysql_options(db.conn, MYSQL_OPT_RECONNECT, &off);
	mysql_options(db.conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db.conn, MYSQL_INIT_COMMAND, DB_INIT_COMMAND);
	if (!mysql_real_connect(db.conn, c->db_socket[0] ? NULL : c->db_host, c->db_user,
	        db.password[0] ? db.password : NULL, c->db_name, c->db_socket[0] ? 0 : c->db_port,
	        c->db_socket[0] ? c->db_socket : NULL, 0)) {
		log_warn("database connection failed: %s", mysql_error(db.conn));
		mysql_close(db.conn);
		db.conn = NULL;
		return OST_ERR_DB_UNAVAILABLE;
	}
	return OST_OK;
}

/* Is ERRNO a lost or unreachable server? */
static int
db_gone(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONNECTION_ERROR ||
	    e == CR_CONN_HOST_ERROR || e == CR_SERVER_LOST_EXTENDED || e == ER_CONNECTION_KILLED ||
	    e == ER_SERVER_SHUTDOWN || e == CR_COMMANDS_OUT_OF_SYNC;
}

static OST_MUST_CHECK enum ost_err
db_stmt_error(MYSQL_STMT *st, enum stmt s)
{
	unsigned e = mysql_stmt_errno(st);

	if (db_gone(e))
		return OST_ERR_DB_UNAVAILABLE;
	if (e == ER_DUP_ENTRY || e == ER_ROW_IS_REFERENCED_2 || e == ER_NO_REFERENCED_ROW_2)
		return OST_ERR_CONFLICT;
	log_error("statement %d failed: %u %s", (int)s, e, mysql_stmt_error(st));
	return OST_ERR_DB;
}

/* The prepared statement S on a live connection. */
static OST_MUST_CHECK enum ost_err
db_prepare(enum stmt s, MYSQL_STMT **out)
{
	enum ost_err err;
	const char *q = stmt_sql(s);
	my_bool on = 1;

	if ((err = db_connect()))
		return err;
	if (!db.stmts[s]) {
		if (!(db.stmts[s] = mysql_stmt_init(db.conn)))
			return OST_ERR_NOMEM;
		/* so that db_fetch can size its buffers from max_length */
		mysql_stmt_attr_set(db.stmts[s], STMT_ATTR_UPDATE_MAX_LENGTH, &on);
		if (mysql_stmt_prepare(db.stmts[s], q, strlen(q))) {
			err = db_stmt_error(db.stmts[s], s);
			mysql_stmt_close(db.stmts[s]);
			db.stmts[s] = NULL;
			return err;
		}
	}
	*out = db.stmts[s];
	return OST_OK;
}

static OST_MUST_CHECK enum ost_err
db_bind(MYSQL_STMT *st, const struct db_arg *args, size_t n, MYSQL_BIND *b)
{
	size_t i;

	if (n != mysql_stmt_param_count(st))
		return OST_ERR_INTERNAL;
	memset(b, 0, sizeof(*b) * n);
	for (i = 0; i < n; i++) {
		switch (args[i].type) {
		case DB_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DB_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&args[i].i;
			break;
		case DB_STR:
		case DB_BLOB:
			b[i].buffer_type = args[i].type == DB_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)args[i].p;
			b[i].buffer_length = args[i].len;
			break;
		}
	}
	return n && mysql_stmt_bind_param(st, b) ? OST_ERR_DB : OST_OK;
}

/* Prepare, bind and execute S once. */
static OST_MUST_CHECK enum ost_err
db_run_once(enum stmt s, const struct db_arg *args, size_t n, MYSQL_STMT **out)
{
	MYSQL_BIND b[DB_ARGS_MAX];
	MYSQL_STMT *st = NULL;
	enum ost_err err;

	if (n > DB_ARGS_MAX)
		return OST_ERR_INTERNAL;
	if ((err = db_prepare(s, &st)) || (err = db_bind(st, args, n, b)))
		return err;
	if (mysql_stmt_execute(st))
		return db_stmt_error(st, s);
	*out = st;
	return OST_OK;
}

/* Execute S, reconnecting once when the server went away outside a transaction. */
static OST_MUST_CHECK enum ost_err
db_run(enum stmt s, const struct db_arg *args, size_t n, MYSQL_STMT **out)
{
	enum ost_err err = db_run_once(s, args, n, out);

	if (err == OST_ERR_DB_UNAVAILABLE && !db.in_tx) {
		db_close();
		err = db_run_once(s, args, n, out);
	}
	if (err == OST_ERR_DB_UNAVAILABLE)
		db_close();
	return err;
}

enum ost_err
db_exec(enum stmt s, const struct db_arg *args, size_t n, unsigned long long *affected,
    unsigned long long *insert_id)
{
	MYSQL_STMT *st;
	enum ost_err err;

	if ((err = db_run(s, args, n, &st)))
		return err;
	if (affected)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id)
		*insert_id = mysql_stmt_insert_id(st);
	return OST_OK;
}

/* A column's value as JSON, by its declared type. */
static json_t *
db_cell(const MYSQL_FIELD *f, const char *v, unsigned long len, my_bool isnull)
{
	char iso[32];

	if (isnull)
		return json_null();
	switch (f->type) {
	case MYSQL_TYPE_TINY:
		if (f->length == 1)
			return json_boolean(strtol(v, NULL, 10) != 0);
		/* fall through */
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONGLONG:
		return json_integer(strtoll(v, NULL, 10));
	case MYSQL_TYPE_DATETIME:
	case MYSQL_TYPE_TIMESTAMP:
		if (len >= 19) {
			snprintf(iso, sizeof(iso), "%.10sT%.8sZ", v, v + 11);
			return json_string(iso);
		}
		return json_stringn(v, len);
	default:
		return json_stringn(v, len);
	}
}

/* Fetch every row of the executed ST into the array ROWS. */
static OST_MUST_CHECK enum ost_err
db_fetch(MYSQL_STMT *st, json_t *rows, size_t *bytes)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	unsigned i, ncol = meta ? mysql_num_fields(meta) : 0;
	MYSQL_FIELD *fields = meta ? mysql_fetch_fields(meta) : NULL;
	MYSQL_BIND b[32];
	unsigned long lens[32];
	my_bool nulls[32];
	char *cells[32] = {0};
	enum ost_err err = OST_OK;
	json_t *row;
	int rc;

	if (!meta || ncol > 32) {
		if (meta)
			mysql_free_result(meta);
		return meta ? OST_ERR_INTERNAL : OST_OK;
	}
	memset(b, 0, sizeof(b));
	for (i = 0; i < ncol && !err; i++) {
		size_t cap = fields[i].max_length + 1;
		if (cap > DB_CELL_MAX || !(cells[i] = malloc(cap)))
			err = cap > DB_CELL_MAX ? OST_ERR_TOO_LARGE : OST_ERR_NOMEM;
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = cells[i];
		b[i].buffer_length = cap;
		b[i].length = &lens[i];
		b[i].is_null = &nulls[i];
	}
	if (!err && mysql_stmt_bind_result(st, b))
		err = OST_ERR_DB;
	while (!err && (rc = mysql_stmt_fetch(st)) == 0 && json_array_size(rows) < DB_ROWS_MAX) {
		if (!(row = json_object()) || json_array_append_new(rows, row))
			err = OST_ERR_NOMEM;
		for (i = 0; i < ncol && !err; i++) {
			if (json_object_set_new(row, fields[i].name,
			        db_cell(&fields[i], cells[i], lens[i], nulls[i])))
				err = OST_ERR_NOMEM;
			*bytes += nulls[i] ? 0 : lens[i];
		}
	}
	for (i = 0; i < ncol; i++)
		free(cells[i]);
	mysql_free_result(meta);
	return err;
}

enum ost_err
db_rows(enum stmt s, const struct db_arg *args, size_t n, json_t **rows)
{
	MYSQL_STMT *st;
	size_t bytes = 0;
	enum ost_err err;

	*rows = NULL;
	if ((err = db_run(s, args, n, &st)))
		return err;
	if (mysql_stmt_store_result(st)) {
		err = db_stmt_error(st, s);
		mysql_stmt_free_result(st);
		return err;
	}
	if (!(*rows = json_array()))
		err = OST_ERR_NOMEM;
	else
		err = db_fetch(st, *rows, &bytes);
	mysql_stmt_free_result(st);
	/* the statement keeps the memory of the largest result it held for
	 * its next one: after a large one it is closed, prepared again when
	 * next used, so that a worker's footprint does not stay at it */
	if (bytes > DB_STMT_KEEP_MAX) {
		mysql_stmt_close(st);
		db.stmts[s] = NULL;
	}
	if (err) {
		json_decref(*rows);
		*rows = NULL;
	}
	return err;
}

enum ost_err
db_row(enum stmt s, const struct db_arg *args, size_t n, json_t **row)
{
	json_t *rows;
	enum ost_err err;

	*row = NULL;
	if ((err = db_rows(s, args, n, &rows)))
		return err;
	if (json_array_size(rows) == 0)
		err = OST_ERR_NOT_FOUND;
	else
		*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return err;
}

/* Map a failure of the connection-level call just made. */
static OST_MUST_CHECK enum ost_err
db_conn_error(void)
{
	enum ost_err err = db_gone(mysql_errno(db.conn)) ? OST_ERR_DB_UNAVAILABLE : OST_ERR_DB;

	if (err == OST_ERR_DB_UNAVAILABLE)
		db_close();
	return err;
}

enum ost_err
db_begin(void)
{
	enum ost_err err;
	int tries;

	/* a connection found stale here is replaced once */
	for (tries = 0; tries < 2; tries++) {
		if ((err = db_connect()))
			return err;
		if (mysql_autocommit(db.conn, 0) == 0) {
			db.in_tx = 1;
			return OST_OK;
		}
		err = db_conn_error();
		if (err != OST_ERR_DB_UNAVAILABLE)
			return err;
	}
	return err;
}

enum ost_err
db_commit(void)
{
	enum ost_err err = OST_OK;

	if (!db.conn)
		return OST_ERR_DB_UNAVAILABLE;
	if (mysql_commit(db.conn) || mysql_autocommit(db.conn, 1))
		err = db_conn_error();
	db.in_tx = 0;
	return err;
}

void
db_rollback(void)
{
	if (db.conn && db.in_tx) {
		mysql_rollback(db.conn);
		mysql_autocommit(db.conn, 1);
	}
	db.in_tx = 0;
}

enum ost_err
db_finish(enum ost_err err)
{
	if (err) {
		db_rollback();
		return err;
	}
	return db_commit();
}

void
db_bool(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	if (json_is_integer(v))
		json_object_set_new(row, key, json_boolean(json_integer_value(v) != 0));
}

enum ost_err
db_ping(void)
{
	enum ost_err err;
	int tries;

	/* COM_PING: the server answers without parsing or running anything */
	for (tries = 0; tries < 2; tries++) {
		if ((err = db_connect()))
			return err;
		if (mysql_ping(db.conn) == 0)
			return OST_OK;
		db_close(); /* a connection found dead is replaced once */
	}
	return OST_ERR_DB_UNAVAILABLE;
}
