-- Shared by every service (service-kit). Versions below 1 so each service's own migrations come after.

-- Transactional outbox: written in the same transaction as the state change, published and then deleted by the relay.
create table outbox_event (
    id         bigserial primary key,
    event_id   text        not null unique,
    topic      text        not null,
    event_key  text        not null,
    event_type text        not null,
    payload    bytea       not null,
    headers    text        not null,
    created_at timestamptz not null default now()
);

-- Idempotent inbox: one row per consumer and eventId, written in the same transaction as the consumer's effect.
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
