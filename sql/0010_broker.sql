-- 0010_broker.sql - the connection broker: the providers applications declare,
-- the connected accounts people hold, and the single-use states of the
-- connect flow. Tokens and PKCE verifiers are kept only as AES-256-GCM
-- ciphertext with their key id.

-- A provider of an application. The settings of its type are a JSON object
-- in `settings` (for `oauth`: endpoints, scopes, the names of the server
-- variables holding the client id and secret, ...), so that other types can
-- be added beside it without changing existing rows.
CREATE TABLE IF NOT EXISTS connection_providers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  app_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL COLLATE utf8mb4_bin,
  display_name VARCHAR(100) NOT NULL,
  icon VARCHAR(2048) NULL,
  type ENUM('oauth') NOT NULL DEFAULT 'oauth',
  settings MEDIUMTEXT NOT NULL,
  -- the provider refused the client (invalid_client): its configuration is
  -- at fault, not the connections
  config_error VARCHAR(255) NULL,
  config_error_at DATETIME NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY connection_providers_name (app_id, name),
  CONSTRAINT connection_providers_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A connected account: a person's (membership_id, the owner's user workspace
-- id) credentials at a provider, for an application in a company, for the
-- owner alone (visibility user) or for the whole company (workspace).
-- Operations revoke the tokens and remove the row when what it hangs on goes
-- away (a membership or a person: their user connections; an installation,
-- a provider, an application: all of them); the foreign keys only make sure
-- no row outlives its company, application or provider. A workspace
-- connection stays with the company when the member who made it leaves.
--
-- Refresh: at most one caller refreshes a connection at a time, across every
-- process and host, by holding the row's lease (lease_id, lease_until): it
-- is taken by a conditional UPDATE, outlasts the outbound time-out, and the
-- holder stores its result only while the lease is still its own.
-- token_version changes with every new token, so that nobody takes the
-- lease to refresh a token that was replaced meanwhile.
CREATE TABLE IF NOT EXISTS connections (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  provider_id BIGINT UNSIGNED NOT NULL,
  app_id BIGINT UNSIGNED NOT NULL,
  company_id BIGINT UNSIGNED NOT NULL,
  membership_id BIGINT UNSIGNED NULL,
  user_id BIGINT UNSIGNED NULL,
  visibility ENUM('user', 'workspace') NOT NULL,
  name VARCHAR(200) NOT NULL,
  handle VARCHAR(200) NOT NULL DEFAULT '',
  scopes TEXT NOT NULL DEFAULT '[]',
  token_type VARCHAR(40) NOT NULL DEFAULT 'Bearer',
  access_enc BLOB NULL,
  refresh_enc BLOB NULL,
  key_id INT UNSIGNED NULL,
  token_version INT UNSIGNED NOT NULL DEFAULT 1,
  obtained_at DATETIME(3) NULL,
  expires_at DATETIME(3) NULL,
  status ENUM('ok', 'transient_failure', 'auth_failed') NOT NULL DEFAULT 'ok',
  auth_failed_at DATETIME NULL,
  failures INT UNSIGNED NOT NULL DEFAULT 0,
  retry_at DATETIME(3) NULL,
  last_error VARCHAR(255) NULL,
  lease_id BINARY(16) NULL,
  lease_until DATETIME(3) NULL,
  lease_owner VARCHAR(80) NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY connections_app (app_id, company_id, provider_id),
  KEY connections_member (membership_id),
  KEY connections_user (user_id),
  CONSTRAINT connections_provider FOREIGN KEY (provider_id) REFERENCES connection_providers (id) ON DELETE CASCADE,
  CONSTRAINT connections_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE,
  CONSTRAINT connections_company FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE,
  CONSTRAINT connections_member FOREIGN KEY (membership_id) REFERENCES memberships (id) ON DELETE SET NULL,
  CONSTRAINT connections_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The single-use state of a connect flow, bound to the session that began
-- it: only the SHA-256 of the state and of the session are kept, and the
-- PKCE verifier sealed. connection_id is set for a reconnect.
CREATE TABLE IF NOT EXISTS connect_states (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  hash BINARY(32) NOT NULL,
  session_hash BINARY(32) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  membership_id BIGINT UNSIGNED NOT NULL,
  provider_id BIGINT UNSIGNED NOT NULL,
  app_id BIGINT UNSIGNED NOT NULL,
  company_id BIGINT UNSIGNED NOT NULL,
  visibility ENUM('user', 'workspace') NOT NULL,
  connection_id BIGINT UNSIGNED NULL,
  verifier_enc VARBINARY(160) NULL,
  key_id INT UNSIGNED NULL,
  expires_at DATETIME NOT NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY connect_states_hash (hash),
  KEY connect_states_session (session_hash),
  KEY connect_states_expires (expires_at),
  CONSTRAINT connect_states_provider FOREIGN KEY (provider_id) REFERENCES connection_providers (id) ON DELETE CASCADE,
  CONSTRAINT connect_states_member FOREIGN KEY (membership_id) REFERENCES memberships (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
