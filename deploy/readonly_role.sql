-- NTB Care Monitor: the dashboard's read-only PostgreSQL role (least privilege).
--
-- The role may log in, connect to this database, use schema public and SELECT the tables of the
-- database contract (README, "Database contract"); nothing else: no writes, no DDL, no other tables,
-- no role memberships. Its transactions are read-only by default as well.
--
-- Run with psql, connected to the NTB Care database as a superuser (or as a role with CREATEROLE that
-- owns the tables and the database):
--
--   psql "postgresql://postgres@DBHOST/ntbcare" -v role=ntbcare_dashboard -v password='SECRET' \
--        -f deploy/readonly_role.sql
--
-- Variables: role (default ntbcare_dashboard); password (optional: leave it out to keep the current
-- one, or for certificate/peer authentication; `\password ntbcare_dashboard` in psql sets it without
-- the password appearing in a command line or a server log).
--
-- Re-runnable: creates the role if it is missing, and every run resets its attributes and privileges
-- to exactly the list below. Run it again after `python -m data_seed init --reset` or after creating a
-- missing contract table (for example work_calendar, with `python -m data_seed calendar`): grants
-- belong to tables, and a dropped or new table has none.

\set ON_ERROR_STOP on
\if :{?role}
\else
  \set role ntbcare_dashboard
\endif

BEGIN;

-- The role, created if missing; attributes reset on every run.
SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
\if :{?password}
  ALTER ROLE :"role" WITH PASSWORD :'password';
\endif
ALTER ROLE :"role" SET default_transaction_read_only = on;

-- No memberships: the role must not inherit another role's privileges.
SELECT format('REVOKE %I FROM %I', g.rolname, :'role')
  FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
 WHERE r.rolname = :'role' \gexec

-- Connect to this database; use schema public, create nothing in it.
GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
REVOKE CREATE ON SCHEMA public FROM :"role";

-- Exactly SELECT on the contract's tables: everything granted before in schema public is revoked first.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"role";
SELECT format('GRANT SELECT ON TABLE public.%I TO %I', c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
   AND c.relname IN ('opd', 'region', 'sector', 'channel', 'complaint', 'complaint_event',
                     'work_calendar', 'seed_meta')
 ORDER BY c.relname \gexec

COMMIT;

-- Tell the operator what is missing or too wide.
SELECT coalesce(string_agg(t, ', ' ORDER BY t), '') AS missing_tables, count(*) > 0 AS any_missing
  FROM unnest(ARRAY['opd', 'region', 'sector', 'channel', 'complaint', 'complaint_event', 'work_calendar'])
       AS t
 WHERE to_regclass(format('public.%I', t)) IS NULL \gset
\if :any_missing
  \echo 'readonly_role.sql: WARNING: tables missing in schema public:' :missing_tables
  \echo 'readonly_role.sql: create them (work_calendar: python -m data_seed calendar), then run this script again.'
\endif
SELECT has_schema_privilege(:'role', 'public', 'CREATE') AS can_create \gset
\if :can_create
  \echo 'readonly_role.sql: WARNING: every role (PUBLIC) may create tables in schema public (PostgreSQL < 15'
  \echo 'readonly_role.sql: default). To remove that for all roles: REVOKE CREATE ON SCHEMA public FROM PUBLIC;'
\endif
\echo 'readonly_role.sql: role' :"role" 'may read the NTB Care tables of database' :"DBNAME" 'and nothing else.'
