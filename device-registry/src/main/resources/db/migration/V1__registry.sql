-- device-registry: the directory (users, licences, groups), managed devices (MDM) and app instances (MAM).
-- Every row carries its tenant; every query filters on it.

-- Users of a tenant and the licence app protection needs (sku is null while unlicensed).
create table directory_user (
    tenant_id    text        not null,
    user_id      text        not null,
    display_name text        not null,
    email        text,
    licensed     boolean     not null default false,
    sku          text,
    created_at   timestamptz not null default now(),
    primary key (tenant_id, user_id)
);

-- Groups hold users (USER) or enrolled devices (DEVICE), never both: targeting never mixes the two kinds.
create table directory_group (
    tenant_id  text        not null,
    group_id   text        not null,
    name       text        not null,
    kind       text        not null check (kind in ('USER', 'DEVICE')),
    created_at timestamptz not null default now(),
    primary key (tenant_id, group_id)
);

create table group_member (
    tenant_id text        not null,
    group_id  text        not null,
    member_id text        not null,
    added_at  timestamptz not null default now(),
    primary key (tenant_id, group_id, member_id),
    foreign key (tenant_id, group_id) references directory_group (tenant_id, group_id)
);
create index group_member_member on group_member (tenant_id, member_id);

-- Enrolled devices with their primary user and their last reported state. Retired devices stay for the audit trail.
create table managed_device (
    device_id         text        primary key,
    tenant_id         text        not null,
    user_id           text        not null,
    platform          text        not null,
    os_version        text        not null,
    model             text,
    hardware_id       text        not null,
    ownership         text        not null,
    status            text        not null check (status in ('ACTIVE', 'RETIRED')),
    enrolled_at       timestamptz not null,
    retired_at        timestamptz,
    last_contact_at   timestamptz,
    state_reported_at timestamptz,
    encrypted         boolean,
    passcode_set      boolean,
    jailbroken        boolean,
    installed_apps    jsonb,
    foreign key (tenant_id, user_id) references directory_user (tenant_id, user_id)
);
-- One active enrollment per piece of hardware and tenant; a retired device may be enrolled again as a new device.
create unique index managed_device_active_hardware on managed_device (tenant_id, hardware_id) where status = 'ACTIVE';
create index managed_device_user on managed_device (tenant_id, user_id);

-- Protected apps registered by a user's identity (MAM). registration_id is derived from tenant + user + app +
-- installation, so registering again finds the same row.
create table app_instance (
    registration_id   text        primary key,
    tenant_id         text        not null,
    user_id           text        not null,
    app_id            text        not null,
    installation_id   text        not null,
    platform          text        not null,
    os_version        text        not null,
    app_version       text        not null,
    device_id         text        references managed_device (device_id),
    management_type   text        not null check (management_type in ('MANAGED', 'UNMANAGED')),
    registered_at     timestamptz not null,
    last_contact_at   timestamptz,
    state_reported_at timestamptz,
    pin_set           boolean,
    jailbroken        boolean,
    unique (tenant_id, user_id, app_id, installation_id),
    foreign key (tenant_id, user_id) references directory_user (tenant_id, user_id)
);
create index app_instance_user on app_instance (tenant_id, user_id);
