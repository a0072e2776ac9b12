-- Bulk directory import (POST /api/v1/imports): the lines of one request are staged here in small transactions while
-- the body streams in, then applied to the directory in one transaction, so a bad line leaves nothing half-written.
-- Unlogged: staged lines are scratch data, worth no WAL; PostgreSQL empties the table after a crash, which is right.
create unlogged table import_line (
    import_id    text        not null,
    line_no      bigint      not null,
    tenant_id    text        not null,
    kind         text        not null check (kind in ('USER', 'GROUP', 'MEMBERSHIP')),
    user_id      text,
    display_name text,
    email        text,
    licensed     boolean,
    sku          text,
    group_id     text,
    group_name   text,
    group_kind   text,
    member_id    text,
    staged_at    timestamptz not null default now(),
    primary key (import_id, line_no)
);
create index import_line_staged_at on import_line (staged_at);
