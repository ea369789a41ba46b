-- 0007_token_expiry.sql - personal API tokens may expire: a token past its
-- expires_at is refused like a revoked one (NULL: it never expires)
ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS expires_at DATETIME NULL AFTER created_at;
