-- How far each partition of an input topic has been processed in event time (watermark/). Every replica writes the
-- partitions it learns about; the deadline and offline jobs of any replica read the minimum over the topic's rows.
-- Both columns only ever move forward (greatest), so a replica with an older view can never pull them back.
create table event_time_watermark (
    topic          text        not null,
    partition_no   integer     not null,
    -- the newest occurredAt among the records of the partition processed so far (null: none seen yet)
    max_event_time timestamptz,
    -- the last time everything appended to the partition before it was found processed (null: never caught up yet)
    caught_up_at   timestamptz,
    updated_at     timestamptz not null,
    primary key (topic, partition_no)
);
