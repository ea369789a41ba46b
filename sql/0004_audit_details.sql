-- 0004_audit_details.sql - an audit entry's details as MEDIUMTEXT: the
-- details of an application's creation or update carry its whole identity
-- sheet, which within every field's own limit can pass the 64 KiB of TEXT
-- (redirect URIs, keys, certificate and properties together)
ALTER TABLE audit_log MODIFY details MEDIUMTEXT NOT NULL DEFAULT '{}';
