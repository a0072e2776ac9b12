-- The app catalogue: apps per tenant and platform, and whether each is a protected (MAM-capable) app.
create table catalogue_app (
    tenant_id     text        not null,
    app_id        text        not null,
    name          text        not null,
    platform      text        not null,
    publisher     text,
    store_ref     text        not null,
    protected_app boolean     not null,
    created_at    timestamptz not null default now(),
    primary key (tenant_id, app_id)
);
