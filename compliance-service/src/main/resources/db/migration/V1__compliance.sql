-- compliance-service's own schema. The outbox and inbox tables come from service-kit (db/kit, V0_1).

-- Projection of managed devices, built from DeviceEnrolled / DeviceStateReported / DeviceRetired on bulwark.devices.v1.
create table managed_device (
    id               bigserial   primary key,
    tenant_id        text        not null,
    device_id        text        not null,
    user_id          text        not null,
    platform         text        not null,
    os_version       text        not null,
    retired          boolean     not null default false,
    enrolled_at      timestamptz,
    -- occurredAt of the newest state report applied; an older report arriving later is stale and not evaluated.
    last_reported_at timestamptz,
    retired_at       timestamptz,
    updated_at       timestamptz not null,
    constraint managed_device_key unique (tenant_id, device_id)
);

-- Compliance state per subject: a managed device (deviceId) or an unmanaged app instance's account (registrationId).
create table compliance_subject (
    id              bigserial   primary key,
    tenant_id       text        not null,
    subject_id      text        not null,
    management_type text        not null check (management_type in ('MANAGED', 'UNMANAGED')),
    user_id         text        not null,
    -- the protected app of an unmanaged app instance; null for a managed device
    app_id          text,
    state           text        not null check (state in ('COMPLIANT', 'NON_COMPLIANT_REMEDIATING', 'SIGNED_OUT')),
    violations      jsonb       not null default '[]',
    -- when the subject entered its current state
    since           timestamptz not null,
    updated_at      timestamptz not null,
    constraint compliance_subject_key unique (tenant_id, subject_id)
);

-- The "why": every state change of a subject, appended, never updated.
create table subject_timeline (
    id          bigserial   primary key,
    tenant_id   text        not null,
    subject_id  text        not null,
    occurred_at timestamptz not null,
    kind        text        not null,
    detail      jsonb       not null default '{}'
);
create index subject_timeline_by_subject on subject_timeline (tenant_id, subject_id, id);

-- Durable remediation deadlines: they survive a restart, and a job fires each overdue one exactly once.
create table remediation_deadline (
    id             bigserial   primary key,
    tenant_id      text        not null,
    subject_id     text        not null,
    due_at         timestamptz not null,
    status         text        not null default 'PENDING' check (status in ('PENDING', 'FIRED', 'CANCELLED')),
    -- the attemptId of the RemediationAttempted events (PENDING, then SUCCEEDED or FAILED) that report this attempt
    attempt_id     text        not null unique,
    cause_event_id text,
    created_at     timestamptz not null,
    closed_at      timestamptz
);
-- At most one running remediation per subject.
create unique index remediation_deadline_one_pending on remediation_deadline (tenant_id, subject_id)
    where status = 'PENDING';
create index remediation_deadline_due on remediation_deadline (due_at) where status = 'PENDING';

-- Projection of protected apps registered on unmanaged devices (MAM), built from AppInstanceRegistered and the
-- unmanaged DeviceStateReported on bulwark.devices.v1. The subject is the registration (user + app + installation).
create table app_instance (
    id               bigserial   primary key,
    tenant_id        text        not null,
    registration_id  text        not null,
    user_id          text        not null,
    app_id           text        not null,
    platform         text        not null,
    os_version       text        not null,
    app_version      text,
    registered_at    timestamptz,
    last_reported_at timestamptz,
    updated_at       timestamptz not null,
    constraint app_instance_key unique (tenant_id, registration_id)
);
