-- PostgreSQL settings for national scale (issue 23) that a database may carry itself: every new session of
-- every role on this database gets them (ALTER DATABASE ... SET), on the primary and, by replication, on a
-- hot standby. What each changes: docs/deployment.md, "PostgreSQL settings". The server-wide ones
-- (shared_buffers, max_wal_size, ...) go in postgresql.conf, listed there too.
--
--   psql "postgresql://postgres@DBHOST/ntbcare" -f deploy/scale_settings.sql
--
-- Takes effect for new connections (restart the app processes, or wait for the pool to recycle them).

\set ON_ERROR_STOP on
-- short analytic queries over ~100,000 rows: compiling them costs more than it saves
ALTER DATABASE :"DBNAME" SET jit = off;
-- the rapor's and the period figures' hash aggregates and sorts stay in memory
ALTER DATABASE :"DBNAME" SET work_mem = '64MB';
-- data on SSD: an index page costs about what a sequential page costs; the planner prefers the indexes
ALTER DATABASE :"DBNAME" SET random_page_cost = 1.1;
-- what the operating system caches besides shared_buffers (about 3/4 of the RAM): index scans look cheaper
ALTER DATABASE :"DBNAME" SET effective_cache_size = '12GB';

\echo 'scale_settings.sql: settings stored for database' :"DBNAME"
