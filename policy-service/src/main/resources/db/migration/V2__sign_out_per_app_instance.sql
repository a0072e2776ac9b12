-- An unmanaged sign-out is for one app instance (SignOutRequired.subjectId = its registrationId): only the sign-ins
-- of that installation see it. registration_id '' = every installation of the account in the app (managed sign-outs,
-- whose device a sign-in cannot name, and every row written before this migration, which keeps its old reach).
alter table sign_out add column registration_id text not null default '';
alter table sign_out drop constraint sign_out_pkey;
alter table sign_out add primary key (tenant_id, user_id, app_id, registration_id);
