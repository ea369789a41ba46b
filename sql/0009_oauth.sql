-- 0009_oauth.sql - the OAuth 2.0 authorization server: the reuse grace of
-- refresh tokens, grants (a refresh token's family), access and refresh
-- tokens, authorization codes, consents, the jti of client assertions and
-- the remembered sign-ins of the authorization pages. Codes, tokens and
-- sign-ins are kept only as the SHA-256 of their 256 random bits.
ALTER TABLE apps ADD COLUMN IF NOT EXISTS
  refresh_reuse_grace INT UNSIGNED NOT NULL DEFAULT 0 AFTER refresh_token_ttl;

-- One authorization of an application (by a user, or by itself): every
-- token issued from it, refresh rotations included, belongs to it, so that
-- revoking the grant revokes the whole family at once.
CREATE TABLE IF NOT EXISTS oauth_grants (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  app_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  scope TEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  revoked_at DATETIME NULL,
  KEY oauth_grants_app (app_id),
  KEY oauth_grants_user (user_id),
  KEY oauth_grants_created (created_at),
  CONSTRAINT oauth_grants_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE,
  CONSTRAINT oauth_grants_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Access and refresh tokens (a client_credentials token has no grant: it
-- is the application's own, one INSERT). A refresh token is rotated out by setting
-- used_at (one conditional UPDATE); uses counts its redemptions, so that a
-- second one within the application's reuse grace still changes the row.
CREATE TABLE IF NOT EXISTS oauth_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  hash BINARY(32) NOT NULL,
  kind ENUM('access', 'refresh') NOT NULL,
  app_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  grant_id BIGINT UNSIGNED NULL,
  scope TEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at DATETIME NOT NULL,
  revoked_at DATETIME NULL,
  used_at DATETIME NULL,
  uses INT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY oauth_tokens_hash (hash),
  KEY oauth_tokens_expires (expires_at),
  KEY oauth_tokens_grant (grant_id),
  KEY oauth_tokens_app (app_id),
  KEY oauth_tokens_user (user_id),
  CONSTRAINT oauth_tokens_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE,
  CONSTRAINT oauth_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT oauth_tokens_grant FOREIGN KEY (grant_id) REFERENCES oauth_grants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Authorization codes: single use (used_at, set by one conditional UPDATE
-- that also records the grant it started, so that a second use revokes
-- what the first issued), bound to the client, the redirect URI, the user
-- and the PKCE challenge.
CREATE TABLE IF NOT EXISTS oauth_codes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  hash BINARY(32) NOT NULL,
  app_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  redirect_uri VARCHAR(2048) NOT NULL,
  scope TEXT NOT NULL,
  code_challenge VARCHAR(128) NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at DATETIME NOT NULL,
  used_at DATETIME NULL,
  grant_id BIGINT UNSIGNED NULL,
  UNIQUE KEY oauth_codes_hash (hash),
  KEY oauth_codes_expires (expires_at),
  CONSTRAINT oauth_codes_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE,
  CONSTRAINT oauth_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT oauth_codes_grant FOREIGN KEY (grant_id) REFERENCES oauth_grants (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The scopes a user consented to for an application: not asked again.
CREATE TABLE IF NOT EXISTS oauth_consents (
  app_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  scope TEXT NOT NULL,
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (app_id, user_id),
  KEY oauth_consents_user (user_id),
  CONSTRAINT oauth_consents_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE,
  CONSTRAINT oauth_consents_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The jti of every client assertion (private_key_jwt) until it expires:
-- the primary key refuses a second one.
CREATE TABLE IF NOT EXISTS oauth_jti (
  app_id BIGINT UNSIGNED NOT NULL,
  hash BINARY(32) NOT NULL,
  expires_at DATETIME NOT NULL,
  PRIMARY KEY (app_id, hash),
  KEY oauth_jti_expires (expires_at),
  CONSTRAINT oauth_jti_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A sign-in on the authorization pages, remembered for a short time by its
-- own cookie (separate from the console's sessions).
CREATE TABLE IF NOT EXISTS oauth_signins (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  hash BINARY(32) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at DATETIME NOT NULL,
  UNIQUE KEY oauth_signins_hash (hash),
  KEY oauth_signins_expires (expires_at),
  CONSTRAINT oauth_signins_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
