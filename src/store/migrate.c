/* migrate.c - applying the numbered migrations of sql/ (used by ostiumctl) */
#include "store/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

#define MIGRATIONS_MAX 1000
#define MIGRATION_FILE_MAX (1024 * 1024)
#define LOCK_SQL "SELECT GET_LOCK('ostium_migrate', 60)"
#define TABLE_SQL "CREATE TABLE IF NOT EXISTS schema_migrations (version INT UNSIGNED NOT NULL " \
	"PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at DATETIME NOT NULL " \
	"DEFAULT UTC_TIMESTAMP()) ENGINE=InnoDB"

static int
is_migration(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 10 || n > 200 || strcmp(name + n - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	for (i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	for (i = 5; i < n - 4; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		        name[i] == '_'))
			return 0;
	return 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted migration file names of DIR in *NAMES (caller frees each and it). */
static OST_MUST_CHECK enum ost_err
list_migrations(const char *dir, char ***names, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v;

	*count = 0;
	if (!d)
		return OST_ERR_IO;
	if (!(v = calloc(MIGRATIONS_MAX, sizeof(*v)))) {
		closedir(d);
		return OST_ERR_NOMEM;
	}
	while ((e = readdir(d)) && *count < MIGRATIONS_MAX)
		if (is_migration(e->d_name) && (v[*count] = strdup(e->d_name)))
			(*count)++;
	closedir(d);
	qsort(v, *count, sizeof(*v), cmp_names);
	*names = v;
	return OST_OK;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *text;

	if (!f)
		return NULL;
	if (!(text = malloc(MIGRATION_FILE_MAX + 1))) {
		fclose(f);
		return NULL;
	}
	*len = fread(text, 1, MIGRATION_FILE_MAX + 1, f);
	fclose(f);
	if (*len > MIGRATION_FILE_MAX) {
		free(text);
		return NULL;
	}
	text[*len] = '\0';
	return text;
}

/* Run QUERY (one or more statements) and drain every result. */
static int
run_all(MYSQL *c, const char *query, size_t len)
{
	MYSQL_RES *res;
	int rc;

	if (mysql_real_query(c, query, len))
		return -1;
	do {
		if ((res = mysql_store_result(c)))
			mysql_free_result(res);
		else if (mysql_field_count(c) != 0)
			return -1;
		rc = mysql_next_result(c);
	} while (rc == 0);
	return rc > 0 ? -1 : 0;
}

/* Is migration VERSION already recorded? -1 on error. */
static int
is_applied(MYSQL *c, unsigned version)
{
	MYSQL_STMT *st = mysql_stmt_init(c);
	const char *q = "SELECT 1 FROM schema_migrations WHERE version = ?";
	long long v = version;
	MYSQL_BIND b;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	b.buffer_type = MYSQL_TYPE_LONGLONG;
	b.buffer = &v;
	if (st && !mysql_stmt_prepare(st, q, strlen(q)) && !mysql_stmt_bind_param(st, &b) &&
	    !mysql_stmt_execute(st) && !mysql_stmt_store_result(st))
		rc = mysql_stmt_num_rows(st) > 0;
	if (st)
		mysql_stmt_close(st);
	return rc;
}

static int
record(MYSQL *c, unsigned version, const char *name)
{
	MYSQL_STMT *st = mysql_stmt_init(c);
	const char *q = "INSERT INTO schema_migrations (version, name) VALUES (?, ?)";
	long long v = version;
	MYSQL_BIND b[2];
	int rc = -1;

	memset(b, 0, sizeof(b));
	b[0].buffer_type = MYSQL_TYPE_LONGLONG;
	b[0].buffer = &v;
	b[1].buffer_type = MYSQL_TYPE_STRING;
	b[1].buffer = (void *)name;
	b[1].buffer_length = strlen(name);
	if (st && !mysql_stmt_prepare(st, q, strlen(q)) && !mysql_stmt_bind_param(st, b) &&
	    !mysql_stmt_execute(st))
		rc = 0;
	if (st)
		mysql_stmt_close(st);
	return rc;
}

/* Apply migration NAME of DIR unless recorded; *DONE is set when applied. */
static OST_MUST_CHECK enum ost_err
apply_one(MYSQL *c, const char *dir, const char *name, int *done, char *errbuf, size_t errsz)
{
	unsigned version = (unsigned)strtoul(name, NULL, 10);
	char path[2048];
	size_t len;
	char *text;
	int applied = is_applied(c, version);

	*done = 0;
	if (applied < 0) {
		snprintf(errbuf, errsz, "schema_migrations: %s", mysql_error(c));
		return OST_ERR_DB;
	}
	if (applied)
		return OST_OK;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(text = read_file(path, &len))) {
		snprintf(errbuf, errsz, "%s: cannot read (or larger than 1 MiB)", path);
		return OST_ERR_IO;
	}
	if (mysql_query(c, "START TRANSACTION") || run_all(c, text, len) ||
	    record(c, version, name) || mysql_query(c, "COMMIT")) {
		snprintf(errbuf, errsz, "%s: %s", path, mysql_error(c));
		mysql_query(c, "ROLLBACK");
		free(text);
		return OST_ERR_DB;
	}
	free(text);
	*done = 1;
	return OST_OK;
}

static MYSQL *
connect_multi(const struct config *cfg, const char *password, char *errbuf, size_t errsz)
{
	MYSQL *c = mysql_init(NULL);

	if (!c)
		return NULL;
	mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(c, MYSQL_INIT_COMMAND, DB_INIT_COMMAND);
	if (!mysql_real_connect(c, cfg->db_socket[0] ? NULL : cfg->db_host, cfg->db_user,
	        password[0] ? password : NULL, cfg->db_name, cfg->db_socket[0] ? 0 : cfg->db_port,
	        cfg->db_socket[0] ? cfg->db_socket : NULL, CLIENT_MULTI_STATEMENTS)) {
		snprintf(errbuf, errsz, "cannot connect to the database: %s", mysql_error(c));
		mysql_close(c);
		return NULL;
	}
	return c;
}

enum ost_err
store_migrate(const struct config *cfg, const char *sql_dir, unsigned *applied, char *errbuf,
    size_t errsz)
{
	char **names = NULL;
	size_t count = 0, i;
	enum ost_err err = OST_OK;
	MYSQL *c;
	int done;

	*applied = 0;
	if ((err = db_init(cfg))) {
		snprintf(errbuf, errsz, "%s: cannot read the database password", cfg->db_password_file);
		return err;
	}
	if (!(c = connect_multi(cfg, db_password(), errbuf, errsz)))
		return OST_ERR_DB_UNAVAILABLE;
	if (list_migrations(sql_dir, &names, &count)) {
		snprintf(errbuf, errsz, "%s: cannot read the directory: %s", sql_dir, strerror(errno));
		mysql_close(c);
		return OST_ERR_IO;
	}
	if (run_all(c, LOCK_SQL, strlen(LOCK_SQL)) ||
	    run_all(c, TABLE_SQL, strlen(TABLE_SQL))) {
		snprintf(errbuf, errsz, "schema_migrations: %s", mysql_error(c));
		err = OST_ERR_DB;
	}
	for (i = 0; i < count && !err; i++)
		if (!(err = apply_one(c, sql_dir, names[i], &done, errbuf, errsz)) && done)
			(*applied)++;
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	mysql_close(c);
	return err;
}

enum ost_err
store_schema_version(long long *version)
{
	json_t *row;
	enum ost_err err = db_row(STMT_SCHEMA_VERSION, DB_NOARGS, &row);

	*version = err ? 0 : json_integer_value(json_object_get(row, "version"));
	json_decref(row);
	return err;
}
