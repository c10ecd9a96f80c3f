-- NTB Care Monitor: the alert worker's PostgreSQL role and its own schema (least privilege).
--
-- The worker (`python -m alerts run`) reads the contract's tables like the dashboard and writes only its own
-- tables (outbox, notified items, cursors, heartbeat), which live in schema ntbcare_alerts, owned by the
-- worker's role. The role may log in, connect, use schema public and SELECT the contract's tables; it owns
-- schema ntbcare_alerts (and so may create and write the tables in it); nothing else. Optionally the
-- dashboard's read-only role (deploy/readonly_role.sql) gets USAGE on the schema and SELECT on its tables,
-- for page `notifikasi` and the wall's heartbeat mark, and one narrow write: UPDATE of the outbox's status,
-- next_attempt_at and first_failed_at columns, for an admin's "Kirim ulang" of a failed notice (granted once
-- the worker has created its outbox: run this script again after the worker's first start).
--
-- Run with psql, connected to the NTB Care database as a superuser (or the tables' owner with CREATEROLE):
--
--   psql "postgresql://postgres@DBHOST/ntbcare" -v role=ntbcare_alerts -v password='SECRET' \
--        -v dashboard_role=ntbcare_dashboard -f deploy/alerts_role.sql
--   DATABASE_URL='postgresql://ntbcare_alerts:SECRET@DBHOST/ntbcare' python -m alerts run
--
-- Variables: role (default ntbcare_alerts); password (optional: keep the current one, or use
-- `\password ntbcare_alerts`); dashboard_role (optional: the dashboard's read-only role, which must exist).
-- Re-runnable: attributes and grants are reset to exactly this list on every run. Run it again after
-- `python -m data_seed init --reset` (the contract's tables are new then and have no grants).

\set ON_ERROR_STOP on
\if :{?role}
\else
  \set role ntbcare_alerts
\endif

BEGIN;

SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
\if :{?password}
  ALTER ROLE :"role" WITH PASSWORD :'password';
\endif
ALTER ROLE :"role" RESET default_transaction_read_only;

SELECT format('REVOKE %I FROM %I', g.rolname, :'role')
  FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
 WHERE r.rolname = :'role' \gexec

GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
REVOKE CREATE ON SCHEMA public FROM :"role";
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"role";
SELECT format('GRANT SELECT ON TABLE public.%I TO %I', c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
   AND c.relname IN ('opd', 'region', 'sector', 'channel', 'complaint', 'complaint_event',
                     'work_calendar', 'seed_meta')
 ORDER BY c.relname \gexec

-- The worker's own schema: created if missing, owned by the worker's role (tables it made stay its own).
CREATE SCHEMA IF NOT EXISTS ntbcare_alerts AUTHORIZATION :"role";
ALTER SCHEMA ntbcare_alerts OWNER TO :"role";
SELECT format('ALTER TABLE ntbcare_alerts.%I OWNER TO %I', c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'ntbcare_alerts' AND c.relkind = 'r' \gexec

-- The dashboard may read the worker's tables (page notifikasi, the wall's mark), never write them.
\if :{?dashboard_role}
  GRANT USAGE ON SCHEMA ntbcare_alerts TO :"dashboard_role";
  REVOKE ALL ON ALL TABLES IN SCHEMA ntbcare_alerts FROM :"dashboard_role";
  GRANT SELECT ON ALL TABLES IN SCHEMA ntbcare_alerts TO :"dashboard_role";
  ALTER DEFAULT PRIVILEGES FOR ROLE :"role" IN SCHEMA ntbcare_alerts GRANT SELECT ON TABLES TO :"dashboard_role";
  SELECT format('GRANT UPDATE (status, next_attempt_at, first_failed_at) ON ntbcare_alerts.alerts_outbox TO %I',
                :'dashboard_role')
   WHERE EXISTS (SELECT FROM pg_tables WHERE schemaname = 'ntbcare_alerts' AND tablename = 'alerts_outbox') \gexec
\endif

COMMIT;

\echo 'alerts_role.sql: role' :"role" 'reads the NTB Care tables and owns schema ntbcare_alerts in database' :"DBNAME"
