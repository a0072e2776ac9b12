-- Device configuration profiles (password, VPN, Wi-Fi, email) for managed devices. The profiles themselves are rows of
-- `policy` (kind DEVICE_CONFIGURATION); these tables hold what delivering them needs.

-- Managed devices learned from DeviceEnrolled / DeviceRetired (bulwark.devices.v1). Only these can receive a profile.
create table managed_device (
    tenant_id  text        not null,
    device_id  text        not null,
    user_id    text        not null,
    platform   text        not null,
    retired    boolean     not null default false,
    changed_at timestamptz not null,
    touched_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, device_id)
);
create index managed_device_user on managed_device (tenant_id, user_id);

-- App instances learned from AppInstanceRegistered: a registrationId is never a device, so naming one as a profile
-- target is refused with a clear reason.
create table app_instance (
    tenant_id       text        not null,
    registration_id text        not null,
    user_id         text        not null,
    device_id       text,
    management_type text        not null,
    touched_at      timestamptz not null default clock_timestamp(),
    primary key (tenant_id, registration_id)
);

-- Write-only secret values (Wi-Fi pre-shared key, VPN shared secret, email password) given with a profile. The stored
-- settings, the REST answers and every event name them only by reference ("bulwark-secret:<id>").
create table profile_secret (
    id         text        primary key,
    tenant_id  text        not null,
    profile_id text        not null,
    field      text        not null,
    secret     text        not null,
    created_at timestamptz not null
);
create index profile_secret_profile on profile_secret (tenant_id, profile_id);

-- One row per device x profile that was ever delivered, refused for a conflict, or removed: what was sent (version and
-- the exact settings, so a change of the merged password settings is noticed) and the status the device reported.
create table profile_delivery (
    tenant_id          text        not null,
    device_id          text        not null,
    profile_id         text        not null,
    profile_type       text        not null,
    status             text        not null,
    delivered_version  bigint      not null,
    delivered_settings text,
    reported_version   bigint,
    reason             text,
    command_id         text,
    reported_at        timestamptz,
    updated_at         timestamptz not null,
    primary key (tenant_id, device_id, profile_id)
);
create index profile_delivery_profile on profile_delivery (tenant_id, profile_id);
