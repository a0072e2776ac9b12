-- Conditional access. The rules themselves are kept in the policy projection (kind CONDITIONAL_ACCESS, settings =
-- {resources, require, operator, enabled}), replayed from bulwark.policies.v1 like every policy; access decisions read
-- them at request time. A rule change is also a policy fan-out (kind CONDITIONAL_ACCESS) that records, on the timeline
-- of each subject whose decision for a named resource flips, an ACCESS_CHANGED entry.
alter table policy_fan_out drop constraint policy_fan_out_kind_check;
alter table policy_fan_out add constraint policy_fan_out_kind_check
    check (kind in ('APP_PROTECTION', 'DEVICE_COMPLIANCE', 'CONDITIONAL_ACCESS'));

-- The rule before and after the change a CONDITIONAL_ACCESS fan-out carries out (null = no rule: created / deleted),
-- so every chunk compares the same two versions whatever happens to the rule meanwhile. Goes with its plan.
create table conditional_access_fan_out (
    fan_out_id  bigint      primary key references policy_fan_out (id) on delete cascade,
    rule_id     text        not null,
    rule_before jsonb,
    rule_after  jsonb,
    -- occurredAt of the PolicyChanged: when the timeline says access changed
    changed_at  timestamptz not null
);
-- a chunk pages through compliance_subject by (tenant_id, subject_id): its unique key serves that order

