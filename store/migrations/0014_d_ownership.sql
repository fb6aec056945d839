-- Ownership (issue 13 item 3): what a child sets itself, so the sync executor never overwrites it.
-- owned_price_types: the child's price type names (its own retail price, say); owned_attributes:
-- the child's attribute names; owned_fields: standard fields (`description`, `minPrice`...).
-- Names compare case-insensitively; whatever is not owned, the main account's value wins.
ALTER TABLE sync_settings
    ADD COLUMN IF NOT EXISTS owned_price_types jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS owned_attributes  jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS owned_fields      jsonb NOT NULL DEFAULT '[]';
