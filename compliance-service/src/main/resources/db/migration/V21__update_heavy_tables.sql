-- The projections every check-in updates (app_instance, managed_device, compliance_subject) leave a dead row version
-- per check-in. Room on each page keeps an update on its page (a HOT update, no new index entries, pruned without
-- vacuum) where no indexed column changes, and autovacuum and autoanalyze start after 5 % / 2 % of the rows changed
-- instead of PostgreSQL's 20 % / 10 %: a bench at 1,000 check-ins/s left app_instance with 19,275 dead versions for
-- 2,601 rows, and statistics from before its rows existed (docs/perf/2026-12-05-lock-queries.md).
alter table app_instance set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02);
alter table managed_device set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02);
alter table compliance_subject set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02);
