-- Projections of the directory (users, licences, group memberships) and of policy-service's policies, built from
-- bulwark.directory.v1 and bulwark.policies.v1 only; and the facts of the last check-in kept on the device and app
-- instance projections, so a subject can be evaluated again when its policies, groups or licence change.

create table directory_user (
    tenant_id  text        not null,
    user_id    text        not null,
    licensed   boolean     not null,
    sku        text,
    -- occurredAt of the newest UserLicenseChanged applied
    changed_at timestamptz not null,
    primary key (tenant_id, user_id)
);

create table group_member (
    tenant_id  text        not null,
    group_id   text        not null,
    group_kind text        not null check (group_kind in ('USER', 'DEVICE')),
    member_id  text        not null,
    -- a removed member keeps its row (present = false) so an older ADDED arriving later does not bring it back
    present    boolean     not null,
    changed_at timestamptz not null,
    primary key (tenant_id, group_id, member_id)
);
create index group_member_by_member on group_member (tenant_id, member_id) where present;

create table policy (
    tenant_id   text        not null,
    policy_id   text        not null,
    kind        text        not null check (kind in ('APP_PROTECTION', 'DEVICE_COMPLIANCE', 'CONDITIONAL_ACCESS')),
    -- PolicyChanged.version; an event with a version at or below it is already applied
    version     bigint      not null,
    name        text        not null,
    platform    text,
    targets     jsonb       not null default '[]',
    settings    jsonb       not null default '{}',
    deleted     boolean     not null default false,
    changed_at  timestamptz not null,
    primary key (tenant_id, policy_id)
);
create index policy_live_by_kind on policy (tenant_id, kind) where not deleted;

alter table managed_device add column encrypted boolean;
alter table managed_device add column passcode_set boolean;
alter table managed_device add column jailbroken boolean not null default false;
alter table managed_device add column installed_apps jsonb not null default '[]';
create index managed_device_by_user on managed_device (tenant_id, user_id);

alter table app_instance add column pin_set boolean;
alter table app_instance add column jailbroken boolean not null default false;
create index app_instance_by_user on app_instance (tenant_id, user_id);

-- The steps (commands) of a running remediation: each is reported as RemediationAttempted PENDING when sent, and
-- SUCCEEDED or FAILED when its remediation ends.
create table remediation_step (
    id          bigserial primary key,
    deadline_id bigint    not null references remediation_deadline (id),
    attempt_id  text      not null unique,
    action      text      not null
);
create index remediation_step_by_deadline on remediation_step (deadline_id);
