-- 0004_wider_columns.sql - columns that held less than what the validation
-- in front of them lets through:
-- an audit entry's details: those of an application's creation or update
-- carry its whole identity sheet, which within every field's own limit can
-- pass the 64 KiB of TEXT (redirect URIs, keys, certificate and properties);
ALTER TABLE audit_log MODIFY details MEDIUMTEXT NOT NULL DEFAULT '{}';
-- a sealed server variable: 4096 characters are up to 16 KiB of UTF-8, plus
-- the IV and the tag.
ALTER TABLE app_server_vars MODIFY value_enc BLOB NULL;
