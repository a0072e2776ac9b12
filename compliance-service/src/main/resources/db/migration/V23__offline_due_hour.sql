-- Every unmanaged check-in moves app_instance.offline_wipe_at (last check-in + the offline period before a wipe), and
-- that column was indexed (app_instance_offline_due, with offline_wipe_at in its predicate too). A change to an indexed
-- column rules out PostgreSQL's in-place (HOT) update: each check-in wrote a new index entry in every index of the
-- table and left a dead row version that the next lock of the row had to step over until vacuum pruned it
-- (docs/perf/2026-12-05-lock-queries.md). The offline job now finds due instances through offline_due_hour, the hour
-- of offline_wipe_at rounded down while the episode's wipe is still to come (null once done): it moves at most once an
-- hour, so a check-in changes no indexed column and its update is HOT. offline_due_hour <= t holds for every row whose
-- offline_wipe_at <= t, so the job misses none; it reads at most an hour's worth of rows not yet due besides.
alter table app_instance add column offline_due_hour timestamptz;
update app_instance set offline_due_hour = date_trunc('hour', offline_wipe_at)
    where offline_wiped_at is null and offline_wipe_at is not null;
drop index app_instance_offline_due;
create index app_instance_offline_due_hour on app_instance (offline_due_hour) where offline_due_hour is not null;
