-- Sequence keys for the rows a batch of check-ins inserts: the entities take ids from these sequences 50 at a time
-- (@SequenceGenerator allocationSize = 50, Hibernate's pooled optimizer), so Hibernate sends a batch's inserts as JDBC
-- batches at commit; with IDENTITY it had to insert every row on its own, at persist, to learn its id. The columns keep
-- their nextval default for rows inserted with plain SQL: each nextval hands out a whole block, so the two never meet.
alter sequence subject_timeline_id_seq increment by 50;
alter sequence compliance_subject_id_seq increment by 50;
alter sequence app_instance_id_seq increment by 50;
alter sequence managed_device_id_seq increment by 50;
