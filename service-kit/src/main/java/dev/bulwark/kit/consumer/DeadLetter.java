package dev.bulwark.kit.consumer;

import java.util.Optional;

/**
 * One record of a service's dead-letter topic as an operator sees it: where it sits, where it came from, why it failed
 * (from the headers), and whether it has been re-driven successfully.
 */
public record DeadLetter(
        int partition,
        long offset,
        String key,
        String sourceTopic,
        Optional<Integer> sourcePartition,
        Optional<Long> sourceOffset,
        String eventType,
        String reason,
        String cause,
        String exception,
        boolean redriven) {}
