-- NTB Care Monitor: the summary worker's PostgreSQL role and its own schema, ntbcare_monitor.
--
-- The worker (`python -m summaries run`) reads the contract's tables like the dashboard and writes only the
-- figures it keeps for every viewer (queries/summary_store.py), in schema ntbcare_monitor, owned by its role.
-- The dashboard's read-only role may read them (never write). Run on the PRIMARY as a superuser (or the
-- tables' owner with CREATEROLE); the schema replicates to a hot standby like every table:
--
--   psql "postgresql://postgres@DBHOST/ntbcare" -v role=ntbcare_summaries -v password='SECRET' \
--        -v dashboard_role=ntbcare_dashboard -f deploy/summaries.sql
--   DATABASE_URL='postgresql://ntbcare_summaries:SECRET@DBHOST/ntbcare' python -m summaries run
--
-- Re-runnable. Run it again after `python -m data_seed init --reset` (new tables have no grants).

\set ON_ERROR_STOP on
\if :{?role}
\else
  \set role ntbcare_summaries
\endif

BEGIN;

SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
\if :{?password}
  ALTER ROLE :"role" WITH PASSWORD :'password';
\endif
-- a full pass over ten million complaints takes minutes: no statement limit for this role
ALTER ROLE :"role" SET statement_timeout = 0;

GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
REVOKE CREATE ON SCHEMA public FROM :"role";
SELECT format('GRANT SELECT ON TABLE public.%I TO %I', c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
   AND c.relname IN ('opd', 'region', 'sector', 'channel', 'complaint', 'complaint_event',
                     'work_calendar', 'seed_meta')
 ORDER BY c.relname \gexec

CREATE SCHEMA IF NOT EXISTS ntbcare_monitor AUTHORIZATION :"role";
ALTER SCHEMA ntbcare_monitor OWNER TO :"role";
SELECT format('ALTER TABLE ntbcare_monitor.%I OWNER TO %I', c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'ntbcare_monitor' AND c.relkind = 'r' \gexec

\if :{?dashboard_role}
  GRANT USAGE ON SCHEMA ntbcare_monitor TO :"dashboard_role";
  GRANT SELECT ON ALL TABLES IN SCHEMA ntbcare_monitor TO :"dashboard_role";
  ALTER DEFAULT PRIVILEGES FOR ROLE :"role" IN SCHEMA ntbcare_monitor GRANT SELECT ON TABLES TO :"dashboard_role";
\endif

COMMIT;

\echo 'summaries.sql: role' :"role" 'reads the NTB Care tables and owns schema ntbcare_monitor in database' :"DBNAME"
