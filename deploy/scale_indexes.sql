-- Covering indexes for national scale (issue 23): the period figures, the 30-day breakdowns and the rapor
-- read only these indexes (index-only scans) instead of visiting a table row for each complaint counted.
-- Same figures with or without them; at ten million complaints a month holds ~100,000 rows to count.
--
-- Run once as the tables' owner (CONCURRENTLY: the NTB Care application keeps writing meanwhile):
--     python -m summaries indexes --database-url "$OWNER_URL"       (or: psql "$OWNER_URL" -f deploy/scale_indexes.sql)
-- Each statement is idempotent. They cost the application's writes a few index entries per complaint.

-- completed in a period (headline.completion_select, on-time shares): resolved_at range, with what the
-- SLA clock needs, the id that joins the pauses, and the status and stage times the pause lookup carries
-- (queries/sla_sql.stage_pauses). "_v2": issue 23 phase 2 added first_response_at; the phase-1 index
-- ix_scale_resolved is no longer used: DROP INDEX CONCURRENTLY IF EXISTS ix_scale_resolved;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_resolved_v2
    ON complaint (resolved_at) INCLUDE (id, dispatched_at, received_at, first_response_at, classification, status, opd_id);

-- first responses in a period (the median response): first_response_at range, with the same for the pauses
-- (phase 2 added received_at, resolved_at, status; drop the phase-1 ix_scale_first_response as above)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_first_response_v2
    ON complaint (first_response_at) INCLUDE (id, dispatched_at, received_at, resolved_at, status, opd_id);

-- received in a period, by dimension (breakdown.count_by: sector, channel, region, status, priority)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_received
    ON complaint (received_at) INCLUDE (sector_id, channel_id, region_id, opd_id, status, classification, priority);

-- dispatched in a period, per OPD (the rapor): dispatched_at range with the stage times
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_dispatched
    ON complaint (dispatched_at) INCLUDE (id, opd_id, classification, status, received_at, first_response_at, resolved_at);

-- the open complaints (the wall's late OPDs and open counts, the explorer's SLA filters, the region map): a
-- partial index holding every column the open-SLA clock reads (queries/sla_sql.open_sla), so the ~150,000
-- open complaints among ten million are read from the index alone instead of from as many scattered table pages
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_open
    ON complaint (status) INCLUDE (id, opd_id, region_id, received_at, dispatched_at, first_response_at, resolved_at, classification, priority)
    WHERE status IN ('diterima', 'terdisposisi', 'diproses', 'ditunda');

-- one OPD's complaints by dispatch date (kepatuhan's month-by-month chart of the selected OPD, the drill-down):
-- the OPD's rows of the year only, with what the SLA clock reads, instead of every OPD's rows of the year
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_scale_opd_dispatched
    ON complaint (opd_id, dispatched_at) INCLUDE (id, classification, status, received_at, first_response_at, resolved_at);

-- Planner statistics on the WITA week and month of receipt and completion (queries/_sql.py: wita_period,
-- compiled for PostgreSQL; tests/test_summaries.py checks each expression is the one the trend queries group
-- by). Without them PostgreSQL cannot know how many months a range holds: it guessed 2.4 million groups for
-- the year-over-year chart's 24 months and so counted its 2.9 million rows on one core; with them it counts in
-- parallel (ringkasan's two years, month by month, at ten million complaints: 2.6 s -> 1.1 s). The same on the
-- WITA *day* and on the other stage times was tried and left out: the rapor's calendar joins were no faster
-- and the headline counts slower. Statistics cost nothing on writes; ANALYZE (autovacuum, or the last line)
-- computes them.
CREATE STATISTICS IF NOT EXISTS st_scale_received_week
    ON (CAST(date_trunc('week', ((received_at AT TIME ZONE 'UTC') + INTERVAL '8 hours')) AS DATE)) FROM complaint;
CREATE STATISTICS IF NOT EXISTS st_scale_received_month
    ON (CAST(date_trunc('month', ((received_at AT TIME ZONE 'UTC') + INTERVAL '8 hours')) AS DATE)) FROM complaint;
CREATE STATISTICS IF NOT EXISTS st_scale_resolved_week
    ON (CAST(date_trunc('week', ((resolved_at AT TIME ZONE 'UTC') + INTERVAL '8 hours')) AS DATE)) FROM complaint;
CREATE STATISTICS IF NOT EXISTS st_scale_resolved_month
    ON (CAST(date_trunc('month', ((resolved_at AT TIME ZONE 'UTC') + INTERVAL '8 hours')) AS DATE)) FROM complaint;
ANALYZE complaint;
