-- Catalogue: description, how the app reaches devices, and its published versions.
alter table catalogue_app
    add column description     text not null default '',
    add column distribution    text not null default 'MANAGED',
    add column package_ref     text,
    add column current_version text not null default '1.0';

create table app_version (
    tenant_id     text        not null,
    app_id        text        not null,
    version       text        not null,
    release_notes text,
    published_at  timestamptz not null default now(),
    primary key (tenant_id, app_id, version),
    foreign key (tenant_id, app_id) references catalogue_app (tenant_id, app_id)
);

-- Assignments: app x intent x include/exclude target lines.
create table assignment (
    tenant_id     text        not null,
    assignment_id text        not null,
    app_id        text        not null,
    intent        text        not null,
    version       bigint      not null,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, assignment_id),
    foreign key (tenant_id, app_id) references catalogue_app (tenant_id, app_id)
);
create index assignment_by_app on assignment (tenant_id, app_id);

-- group_id is '' for ALL_LICENSED_USERS and ALL_DEVICES so that the uniqueness below covers them too.
create table assignment_target (
    tenant_id     text    not null,
    assignment_id text    not null,
    app_id        text    not null,
    kind          text    not null,
    group_id      text    not null,
    excluded      boolean not null,
    primary key (tenant_id, assignment_id, kind, group_id),
    foreign key (tenant_id, assignment_id) references assignment (tenant_id, assignment_id) on delete cascade
);
-- One group (or "all users" / "all devices") carries one intent per app.
create unique index one_intent_per_target on assignment_target (tenant_id, app_id, kind, group_id) where not excluded;

-- Projections of other services' events (bulwark.devices.v1, bulwark.directory.v1); never read from their databases.
create table managed_device (
    tenant_id text    not null,
    device_id text    not null,
    user_id   text    not null,
    platform  text    not null,
    active    boolean not null,
    primary key (tenant_id, device_id)
);
create index managed_device_by_user on managed_device (tenant_id, user_id);

create table app_instance (
    tenant_id       text not null,
    registration_id text not null,
    user_id         text not null,
    app_id          text not null,
    platform        text not null,
    primary key (tenant_id, registration_id)
);
create index app_instance_by_user on app_instance (tenant_id, user_id);

create table user_licence (
    tenant_id text    not null,
    user_id   text    not null,
    licensed  boolean not null,
    primary key (tenant_id, user_id)
);

create table group_member (
    tenant_id text not null,
    kind      text not null,
    group_id  text not null,
    member_id text not null,
    primary key (tenant_id, kind, group_id, member_id)
);
create index group_member_by_member on group_member (tenant_id, kind, member_id);

-- Per managed device and app: what the device last reported and what this service asked it to do.
create table device_app_state (
    tenant_id            text        not null,
    device_id            text        not null,
    app_id               text        not null,
    installed_version    text,
    installed_by_service boolean     not null default false,
    pending_command      text,
    pending_version      text,
    command_id           text,
    reported_at          timestamptz,
    updated_at           timestamptz not null default now(),
    primary key (tenant_id, device_id, app_id)
);
create index device_app_state_by_app on device_app_state (tenant_id, app_id);
