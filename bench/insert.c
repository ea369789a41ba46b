/* insert.c - bench baseline: the floor of a durable write, one INSERT per request */
#include "pool.h"

#include <mysql.h>
#include <stdio.h>
#include <string.h>

static const char *db_socket = "/run/mysqld/mysqld.sock";
static const char *db_user = "ostium";
static const char *db_name = "bench";
static const char *db_password_file;
static char db_password[256];

static MYSQL *conn;
static MYSQL_STMT *stmt;

static const char sql_insert[] = "INSERT INTO bench_hits () VALUES ()";

static int option(int opt, const char *arg)
{
	switch (opt) {
	case 'S': db_socket = arg; return 0;
	case 'u': db_user = arg; return 0;
	case 'd': db_name = arg; return 0;
	case 'p': db_password_file = arg; return 0;
	default: return -1;
	}
}

/* Reads the password file (first line, without its newline). */
static int read_password(void)
{
	FILE *f;

	if (!db_password_file)
		return 0;
	f = fopen(db_password_file, "r");
	if (!f) {
		perror(db_password_file);
		return -1;
	}
	if (!fgets(db_password, sizeof db_password, f))
		db_password[0] = '\0';
	fclose(f);
	db_password[strcspn(db_password, "\r\n")] = '\0';
	return 0;
}

static void disconnect(void)
{
	if (stmt)
		mysql_stmt_close(stmt);
	if (conn)
		mysql_close(conn);
	stmt = NULL;
	conn = NULL;
}

/* Connects (autocommit on, as the server default) and prepares the INSERT. */
static int connect_db(void)
{
	conn = mysql_init(NULL);
	if (!conn)
		return -1;
	if (!mysql_real_connect(conn, NULL, db_user, db_password, db_name, 0,
				db_socket, 0)) {
		fprintf(stderr, "insert: connect: %s\n", mysql_error(conn));
		disconnect();
		return -1;
	}
	stmt = mysql_stmt_init(conn);
	if (!stmt || mysql_stmt_prepare(stmt, sql_insert, sizeof sql_insert - 1)) {
		fprintf(stderr, "insert: prepare: %s\n", mysql_error(conn));
		disconnect();
		return -1;
	}
	return 0;
}

static int worker_init(void)
{
	if (read_password() != 0)
		return -1;
	connect_db(); /* a failure is retried on the next request */
	return 0;
}

static void insert(FCGX_Request *req)
{
	if (!stmt && connect_db() != 0) {
		bench_reply(req, 503, "no database\n");
		return;
	}
	if (mysql_stmt_execute(stmt)) {
		fprintf(stderr, "insert: execute: %s\n", mysql_stmt_error(stmt));
		disconnect();
		bench_reply(req, 500, "insert failed\n");
		return;
	}
	bench_reply(req, 200, "inserted\n");
}

int main(int argc, char **argv)
{
	static const struct bench_app app = {
		.name = "insert",
		.usage = " [-S DB_SOCKET] [-u DB_USER] [-p DB_PASSWORD_FILE] [-d DB_NAME]",
		.optstring = "S:u:p:d:",
		.option = option,
		.worker_init = worker_init,
		.handle = insert,
	};

	return bench_pool_main(&app, argc, argv);
}
