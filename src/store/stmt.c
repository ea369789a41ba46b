/* stmt.c - the text of every SQL statement Ostium runs, with ? placeholders */
#include "store/stmt.h"

#include <stddef.h>

#define USER_COLS "u.id, u.email, u.first_name, u.last_name, u.enabled, " \
	"(SELECT GROUP_CONCAT(r.role ORDER BY r.role) FROM user_roles r WHERE r.user_id = u.id) AS roles"

static const char *const sql[STMT__COUNT] = {
	[STMT_PING] = "SELECT 1",
	[STMT_SCHEMA_VERSION] = "SELECT CAST(COALESCE(MAX(version), 0) AS SIGNED) AS version FROM schema_migrations",
	[STMT_USER_BY_EMAIL] = "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.email = ?",
	[STMT_USER_INSERT] = "INSERT INTO users (email, first_name, last_name, password_hash) "
	                     "VALUES (?, ?, ?, ?)",
	[STMT_USER_ROLE_INSERT] = "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
	[STMT_SESSION_INSERT] = "INSERT INTO sessions (hash, user_id, expires_at, address, user_agent) "
	                        "VALUES (?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND, ?, ?)",
	[STMT_SESSION_LOOKUP] = "SELECT s.id AS session_id, s.expires_at <= UTC_TIMESTAMP() AS expired, "
	                        USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id "
	                        "WHERE s.hash = ?",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?",
	[STMT_SESSION_PURGE] = "DELETE FROM sessions WHERE user_id = ? AND expires_at <= UTC_TIMESTAMP()",
	[STMT_TOKEN_INSERT] = "INSERT INTO api_tokens (user_id, name, hash) VALUES (?, ?, ?)",
	[STMT_TOKEN_LOOKUP] = "SELECT t.id AS token_id, t.revoked_at IS NOT NULL AS revoked, "
	                      "t.last_used_at IS NULL OR t.last_used_at < UTC_TIMESTAMP() - INTERVAL 60 SECOND AS stale, "
	                      USER_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id "
	                      "WHERE t.hash = ?",
	[STMT_TOKEN_LIST] = "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens "
	                    "WHERE user_id = ? ORDER BY id DESC LIMIT 200",
	[STMT_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP() "
	                      "WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
	[STMT_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_THROTTLE_COUNT] = "SELECT failures, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), "
	                        "window_start + INTERVAL ? SECOND) AS retry_after FROM throttle "
	                        "WHERE bucket = ? AND window_start > UTC_TIMESTAMP() - INTERVAL ? SECOND",
	/* Assignments run left to right: failures is reset first when the window
	 * has passed, and window_start follows a reset (failures = 1). */
	[STMT_THROTTLE_FAIL] = "INSERT INTO throttle (bucket, failures, window_start) "
	                       "VALUES (?, 1, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE "
	                       "failures = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, failures + 1), "
	                       "window_start = IF(failures = 1, UTC_TIMESTAMP(), window_start)",
	[STMT_THROTTLE_CLEAR] = "DELETE FROM throttle WHERE bucket = ?",

	[STMT_AUDIT_INSERT] = "INSERT INTO audit_log (actor_type, actor_id, actor, action, object_type, "
	                      "object_id, address, request_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_AUDIT_LIST] = "SELECT id, at, actor_type, actor_id, actor, action, object_type, object_id, "
	                    "address, request_id, details FROM audit_log "
	                    "WHERE (? = 0 OR id < ?) AND (? = '' OR object_type = ?) "
	                    "AND (? = '' OR object_id = ?) AND (? = '' OR action = ?) "
	                    "AND (? = 0 OR actor_id = ?) ORDER BY id DESC LIMIT ?",

#define SUITE_COLS "id, name, description, version, created_at, updated_at"
	[STMT_SUITE_LIST] = "SELECT " SUITE_COLS " FROM suites WHERE id > ? "
	                    "AND (? = '' OR name LIKE ?) ORDER BY id LIMIT ?",
	[STMT_SUITE_GET] = "SELECT " SUITE_COLS " FROM suites WHERE id = ?",
	[STMT_SUITE_INSERT] = "INSERT INTO suites (name, description) VALUES (?, ?)",
	[STMT_SUITE_UPDATE] = "UPDATE suites SET name = ?, description = ?, version = version + 1, "
	                      "updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?",
	[STMT_SUITE_DELETE] = "DELETE FROM suites WHERE id = ?",

#define PROJECT_COLS "id, suite_id, name, description, version, created_at, updated_at"
	[STMT_PROJECT_LIST] = "SELECT " PROJECT_COLS " FROM projects WHERE id > ? "
	                      "AND (? = 0 OR suite_id = ?) AND (? = '' OR name LIKE ?) "
	                      "ORDER BY id LIMIT ?",
	[STMT_PROJECT_GET] = "SELECT " PROJECT_COLS " FROM projects WHERE id = ?",
	[STMT_PROJECT_INSERT] = "INSERT INTO projects (suite_id, name, description) VALUES (?, ?, ?)",
	[STMT_PROJECT_UPDATE] = "UPDATE projects SET name = ?, description = ?, version = version + 1, "
	                        "updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?",
	[STMT_PROJECT_DELETE] = "DELETE FROM projects WHERE id = ?",
};

const char *
stmt_sql(enum stmt s)
{
	return (unsigned)s < STMT__COUNT ? sql[s] : NULL;
}
