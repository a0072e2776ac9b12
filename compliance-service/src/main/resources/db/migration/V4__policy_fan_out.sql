-- A policy change's re-evaluation of its tenant, planned in the transaction that stores the new policy and carried out
-- afterwards chunk by chunk, each chunk in its own transaction: after_subject is the last subject done (null = none
-- yet). The row is deleted with the last chunk; one left behind by a process that died is finished by the job.
create table policy_fan_out (
    id             bigserial   primary key,
    tenant_id      text        not null,
    -- APP_PROTECTION: the tenant's app instances; DEVICE_COMPLIANCE: its managed devices
    kind           text        not null check (kind in ('APP_PROTECTION', 'DEVICE_COMPLIANCE')),
    cause_event_id text        not null,
    after_subject  text,
    planned_at     timestamptz not null
);
