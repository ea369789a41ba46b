-- 0008_throttle_pairs.sql - sign-in failures are counted per account and
-- client address ("account-address:" + the account's 64 hex digits + ":" +
-- an address of up to 255 characters, REQUEST_ADDR_MAX): a bucket name of
-- up to 336 characters, more than the 300 the column held.
ALTER TABLE throttle MODIFY bucket VARCHAR(400) NOT NULL;
