-- How an account's API token was obtained decides its weight in МойСклад's rate limit:
-- an app's token (vendor install) weighs 1, a Draft app's or a user's token 4 (MOYSKLAD.md §5).
-- Tokens stored before this column existed came from `scripts.accounts add --token`: a user's.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS token_kind text NOT NULL DEFAULT 'user';
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'accounts_token_kind_check') THEN
        ALTER TABLE accounts ADD CONSTRAINT accounts_token_kind_check
            CHECK (token_kind IN ('app', 'draft', 'user'));
    END IF;
END $$;
