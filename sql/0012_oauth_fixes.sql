-- 0012_oauth_fixes.sql - whether the client authenticated (client_secret_*
-- or private_key_jwt) when a grant began: a refresh of such a grant must
-- authenticate again (RFC 6749 section 6), never with client_id alone.
-- Grants made before are left as public ones: which of them an
-- authenticated client began is not known, and only an Authorization PKCE
-- Flow application may be a public client at all.
ALTER TABLE oauth_grants ADD COLUMN IF NOT EXISTS
  client_authenticated TINYINT(1) NOT NULL DEFAULT 0 AFTER scope;
