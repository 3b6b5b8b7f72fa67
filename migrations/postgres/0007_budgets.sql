-- A monthly credit budget per account (metrics.md, the budget); null: none set. Kept beside the
-- balance, which imports write: they name their columns, so they never touch this one.
ALTER TABLE accounts ADD COLUMN monthly_budget BIGINT CHECK (monthly_budget IS NULL OR monthly_budget BETWEEN 0 AND 1000000000);
