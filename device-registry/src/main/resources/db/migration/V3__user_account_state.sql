-- An account can be disabled in the directory (PUT /api/v1/users/{id}/account) without deleting the user: app
-- protection's "disabled account" conditional launch acts on it (UserAccountChanged on bulwark.directory.v1).
alter table directory_user add column enabled boolean not null default true;
