/**
 * Event time: remediation deadlines and offline periods are judged by when the device did something, not by when
 * compliance-service got to it, so a backlog can delay a sign-out but never cause a wrong one.
 *
 * <p><b>Event time</b> of a device event is its {@code occurredAt}, set by device-registry when it accepted it (carried
 * in the {@code ce_time} header too). A remediation started by a check-in is due {@code occurredAt} + its deadline.
 *
 * <p><b>Watermark.</b> For each partition of {@code bulwark.devices.v1}, two facts only ever move forward: the newest
 * event time among its records processed so far ({@link dev.bulwark.compliance.watermark.ProcessedRecords}, handed
 * each batch after its transaction committed), and the last moment at which it was caught up — every record appended
 * before that moment processed, because the offset processed (here, or committed by the group) had reached the log end
 * the broker reported ({@link dev.bulwark.compliance.watermark.WatermarkJob}). A partition's watermark is the later of
 * the two less the allowed lateness; the topic's is the minimum over its partitions
 * ({@link dev.bulwark.compliance.watermark.EventTimeWatermark}), stored per partition in {@code event_time_watermark}
 * and shared by every replica ({@link dev.bulwark.compliance.watermark.Watermarks}).
 *
 * <p><b>The promise</b>: if every report reaches the topic within the allowed lateness of its {@code occurredAt}, and
 * within that much of event-time order, then when the watermark is past T every report that occurred before T has been
 * processed. The deadline job fires a deadline only then, so a fix reported before it has cancelled it first. A report
 * later than that is a late fix: the sign-out stands, the fix restores the subject, and it is logged and counted
 * ({@code remediation.LateFixes}).
 *
 * <p><b>Safe sides.</b> Marks are stored after the batch commits, so they can only lag the database, never lead it; a
 * crash loses at most a lag. The moment of "caught up" is taken before the broker is asked. A partition with no mark
 * holds every deadline back, so a fresh database fires nothing until each partition has been seen. Marks only move
 * forward, so a replica with an older view (after a rebalance) cannot pull them back.
 */
package dev.bulwark.compliance.watermark;
