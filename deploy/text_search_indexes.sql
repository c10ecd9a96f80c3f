-- Trigram indexes for the explorer's text search (page `aduan`, filter "Cari di judul dan isi").
-- Run once as the database owner (not as the dashboard's read-only role):
--     psql "$OWNER_URL" -f deploy/text_search_indexes.sql
-- On a million complaints the body index takes a few minutes to build; CONCURRENTLY keeps the NTB Care
-- application writing meanwhile. Without these indexes text search still works, but reads every complaint.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_complaint_title_trgm ON complaint USING gin (lower(title) gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_complaint_body_trgm ON complaint USING gin (lower(body) gin_trgm_ops);
