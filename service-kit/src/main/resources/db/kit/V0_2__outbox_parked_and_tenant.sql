-- Shared by every service (service-kit). Applied out of order in databases that already have the services' own
-- migrations (quarkus.flyway.out-of-order=true in service-kit's defaults).

-- Outbox rows that Kafka refused for a reason that retrying cannot mend (too large for the broker, an invalid topic,
-- unreadable headers). The relay moves such a row here with its original id and the reason, and holds the later rows
-- of the same topic and key in outbox_event until an operator re-queues or discards it, so a key's order is never
-- broken and no other key waits (see service-kit/README.md, "Parked events").
create table outbox_parked (
    id         bigint      primary key,
    event_id   text        not null unique,
    topic      text        not null,
    event_key  text        not null,
    event_type text        not null,
    payload    bytea       not null,
    headers    text        not null,
    created_at timestamptz not null,
    parked_at  timestamptz not null default now(),
    reason     text        not null
);

create index outbox_parked_key on outbox_parked (topic, event_key);

-- The tenant of each outbox row, so the relay takes every waiting tenant's oldest rows in turn: a tenant with a large
-- backlog (a policy change fanned out to 100,000 subjects) does not delay another tenant's events behind it.
alter table outbox_event add column tenant_id text not null default '';
create index outbox_event_tenant on outbox_event (tenant_id, id);
