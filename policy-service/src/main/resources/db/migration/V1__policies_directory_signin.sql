-- policy-service's own schema. Every table is upsert-only (nothing is deleted, a removal is a flag) and each row carries
-- touched_at, so the in-memory sign-in state of every replica can catch up with a cheap "changed since" query.

-- App protection policies, device compliance policies and conditional-access rules: one row per policy, the body as
-- JSON (its shape is the REST/OpenAPI one). version increases by one with every change; deleted rows stay as tombstones.
create table policy (
    id          text        primary key,
    tenant_id   text        not null,
    kind        text        not null,
    name        text        not null,
    platform    text,
    version     bigint      not null,
    targets     text        not null,
    body        text        not null,
    deleted     boolean     not null default false,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    touched_at  timestamptz not null default clock_timestamp()
);
create index policy_tenant_kind on policy (tenant_id, kind) where not deleted;
create index policy_touched on policy (touched_at);

-- Licences learned from UserLicenseChanged (bulwark.directory.v1). changed_at = the event's occurredAt: older events are
-- ignored.
create table user_licence (
    tenant_id  text        not null,
    user_id    text        not null,
    licensed   boolean     not null,
    sku        text,
    changed_at timestamptz not null,
    touched_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, user_id)
);
create index user_licence_touched on user_licence (touched_at);

-- Group memberships learned from GroupMembershipChanged; member = false after REMOVED.
create table group_membership (
    tenant_id  text        not null,
    group_id   text        not null,
    group_kind text        not null,
    member_id  text        not null,
    member     boolean     not null,
    changed_at timestamptz not null,
    touched_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, group_id, member_id)
);
create index group_membership_touched on group_membership (touched_at);

-- Sign-outs required by compliance-service (SignOutRequired on bulwark.signout.v1), per account and app
-- (app_id '*' = every protected app). Cleared by the account's next sign-in with a token issued after required_at.
create table sign_out (
    tenant_id      text        not null,
    user_id        text        not null,
    app_id         text        not null,
    subject_id     text        not null,
    reason         text        not null,
    user_message   text        not null,
    selective_wipe boolean     not null,
    required_at    timestamptz not null,
    cleared_at     timestamptz,
    touched_at     timestamptz not null default clock_timestamp(),
    primary key (tenant_id, user_id, app_id)
);
create index sign_out_touched on sign_out (touched_at);

-- The app's report that the user set a PIN for this account in this app installation (registration_id '' = none).
create table pin_registration (
    tenant_id       text        not null,
    user_id         text        not null,
    app_id          text        not null,
    registration_id text        not null,
    pin_length      int         not null,
    pin_set_at      timestamptz not null,
    touched_at      timestamptz not null default clock_timestamp(),
    primary key (tenant_id, user_id, app_id, registration_id)
);
create index pin_registration_touched on pin_registration (touched_at);
