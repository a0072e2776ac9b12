-- The generation of an app instance's credential: a credential carries the generation it was issued in, and one of
-- an earlier generation is refused. A successful selective wipe moves the instance to the next generation, so what
-- the app held before the wipe stops working; registering again gives a credential of the new one.
alter table app_instance add column credential_generation bigint not null default 0;
