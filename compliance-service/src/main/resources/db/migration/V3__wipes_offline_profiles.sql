-- Selective wipes, disabled accounts, offline periods, configuration profiles and the compliance schedule's later steps.

-- A subject blocked by a conditional-launch "block access" action (disabled account) or a compliance policy's BLOCK step.
alter table compliance_subject drop constraint compliance_subject_state_check;
alter table compliance_subject add constraint compliance_subject_state_check
    check (state in ('COMPLIANT', 'NON_COMPLIANT_REMEDIATING', 'BLOCKED', 'SIGNED_OUT'));

-- Device configuration profiles are kept as facts only; compliance does not evaluate them as policies.
alter table policy drop constraint policy_kind_check;
alter table policy add constraint policy_kind_check
    check (kind in ('APP_PROTECTION', 'DEVICE_COMPLIANCE', 'CONDITIONAL_ACCESS', 'DEVICE_CONFIGURATION'));

-- One selective wipe per app x user x subject, asked for by a SignOutRequired with selectiveWipe = true (same
-- transaction) and carried out by the app at its next check-in (DeviceStateReported.selectiveWipeResults).
create table selective_wipe (
    id                bigserial   primary key,
    wipe_id           text        not null unique,
    tenant_id         text        not null,
    subject_id        text        not null,
    management_type   text        not null,
    user_id           text        not null,
    -- null = every protected app on the subject (a managed device's sign-out names no app)
    app_id            text,
    reason            text        not null,
    status            text        not null check (status in ('PENDING', 'SUCCESSFUL', 'FAILED')),
    sign_out_event_id text        not null,
    requested_at      timestamptz not null,
    completed_at      timestamptz,
    -- the app's own words when it failed
    failure_reason    text,
    result_event_id   text
);
create index selective_wipe_by_subject on selective_wipe (tenant_id, subject_id, id);
create index selective_wipe_by_user on selective_wipe (tenant_id, user_id, id);
create index selective_wipe_pending on selective_wipe (tenant_id, subject_id) where status = 'PENDING';

-- Enabled / disabled accounts of the directory, from UserAccountChanged (newest change wins).
create table directory_account (
    tenant_id  text        not null,
    user_id    text        not null,
    enabled    boolean     not null,
    changed_at timestamptz not null,
    primary key (tenant_id, user_id)
);
create index directory_account_disabled on directory_account (tenant_id, user_id) where not enabled;

-- Offline periods of an app instance, computed from the applying app protection policies at each evaluation and
-- measured from its last check-in: past offline_access_check_at access is blocked; past offline_wipe_at the account is
-- signed out with a selective wipe, once per offline episode (offline_wiped_at set; a later check-in clears it).
alter table app_instance add column offline_access_check_at timestamptz;
alter table app_instance add column offline_wipe_at timestamptz;
alter table app_instance add column offline_wiped_at timestamptz;
create index app_instance_offline_due on app_instance (offline_wipe_at)
    where offline_wiped_at is null and offline_wipe_at is not null;

-- The configuration profiles a managed device reported at its last check-in ([{profileId, version, state, reason}]).
alter table managed_device add column configuration_profiles jsonb not null default '[]';

-- The step a deadline fires: SIGN_OUT (the remediation deadline, MARK_NON_COMPLIANT), then the compliance policy's
-- later steps BLOCK and RETIRE, each scheduled when the previous one fires.
alter table remediation_deadline add column step text not null default 'SIGN_OUT'
    check (step in ('SIGN_OUT', 'BLOCK', 'RETIRE'));
-- when the later steps are due (null = the policy has no such step)
alter table remediation_deadline add column block_at timestamptz;
alter table remediation_deadline add column retire_at timestamptz;
