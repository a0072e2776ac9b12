-- Sequence keys for remediation deadlines and their steps, as V20 did for the check-in rows: the entities take ids 50
-- at a time, so a batch that starts hundreds of remediations (a join storm) sends its deadlines and steps as JDBC
-- batches at commit instead of one insert per row at persist (IDENTITY) and one per step (a native insert). Rows
-- inserted with plain SQL keep the nextval default; each nextval hands out a whole block, so the two never meet.
alter sequence remediation_deadline_id_seq increment by 50;
alter sequence remediation_step_id_seq increment by 50;
