-- 0004_wider_columns.sql - columns that held less than what the validation
-- in front of them lets through, or than what a request brings:
-- an audit entry's details: those of an application's creation or update
-- carry its whole identity sheet, which within every field's own limit can
-- pass the 64 KiB of TEXT (redirect URIs, keys, certificate and properties);
ALTER TABLE audit_log MODIFY details MEDIUMTEXT NOT NULL DEFAULT '{}';
-- a sealed server variable: 4096 characters are up to 16 KiB of UTF-8, plus
-- the IV and the tag;
ALTER TABLE app_server_vars MODIFY value_enc BLOB NULL;
-- the client address of an audit entry and of a session: a web server
-- listening on a unix socket (lighttpd behind a front proxy) gives its path,
-- up to 107 characters, and every audited change failed with a database
-- error; Ostium keeps at most 255 (REQUEST_ADDR_MAX).
ALTER TABLE audit_log MODIFY address VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE sessions MODIFY address VARCHAR(255) NOT NULL DEFAULT '';
