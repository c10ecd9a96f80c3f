-- Covering indexes for national scale (issue 23): the period figures, the 30-day breakdowns and the rapor
-- read only these indexes (index-only scans) instead of visiting a table row for each complaint counted.
-- Same figures with or without them; at ten million complaints a month holds ~100,000 rows to count.
--
-- Run once as the tables' owner (CONCURRENTLY: the NTB Care application keeps writing meanwhile):
--     python -m summaries indexes --database-url "$OWNER_URL"       (or: psql "$OWNER_URL" -f deploy/scale_indexes.sql)
-- Each statement is idempotent. They cost the application's writes a few index entries per complaint.

-- completed in a period (headline.completion_select, on-time shares): resolved_at range, with what the
-- SLA clock needs and the id that joins the pauses
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_resolved
    ON complaint (resolved_at) INCLUDE (id, dispatched_at, received_at, classification, status, opd_id);

-- first responses in a period (the median response): first_response_at range
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_first_response
    ON complaint (first_response_at) INCLUDE (id, dispatched_at, opd_id);

-- received in a period, by dimension (breakdown.count_by: sector, channel, region, status, priority)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_received
    ON complaint (received_at) INCLUDE (sector_id, channel_id, region_id, opd_id, status, classification, priority);

-- dispatched in a period, per OPD (the rapor): dispatched_at range with the stage times
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_dispatched
    ON complaint (dispatched_at) INCLUDE (id, opd_id, classification, status, received_at, first_response_at, resolved_at);
