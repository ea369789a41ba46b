/* stmt.h - the names of every SQL statement Ostium runs (texts in stmt.c) */
#ifndef OST_STMT_H
#define OST_STMT_H

enum stmt {
	STMT_PING,
	STMT_SCHEMA_VERSION,
	STMT_USER_BY_EMAIL,
	STMT_USER_INSERT,
	STMT_USER_ROLE_INSERT,
	STMT_SESSION_INSERT,
	STMT_SESSION_LOOKUP,
	STMT_SESSION_DELETE,
	STMT_SESSION_PURGE,
	STMT_TOKEN_INSERT,
	STMT_TOKEN_LOOKUP,
	STMT_TOKEN_LIST,
	STMT_TOKEN_REVOKE,
	STMT_TOKEN_TOUCH,
	STMT_THROTTLE_COUNT,
	STMT_THROTTLE_FAIL,
	STMT_THROTTLE_CLEAR,
	STMT__COUNT
};

/* stmt_sql - the SQL text of S, with ? placeholders. */
const char *stmt_sql(enum stmt s);

#endif
