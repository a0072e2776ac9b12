package dev.bulwark.kit.consumer;

import java.util.List;

/** What a re-drive did: each dead letter's outcome, and how many of each. */
public record Redrive(int redriven, int alreadyRedriven, int stillFailing, List<Item> items) {

    /** What became of one dead letter. */
    public enum Outcome {
        /** Applied through its consumer now (or found applied before, by the consumer's inbox). */
        REDRIVEN,
        /** A re-drive before this one applied it; nothing was done. */
        ALREADY_REDRIVEN,
        /** It failed again (reason given); it stays on the topic for a later re-drive. */
        STILL_FAILING,
        /** No consumer of this service reads the topic it came from. */
        NO_CONSUMER
    }

    /** One dead letter's outcome, with the reason when it failed again. */
    public record Item(int partition, long offset, String key, String sourceTopic, Outcome outcome, String reason) {}

    static Redrive of(List<Item> items) {
        int redriven = 0;
        int already = 0;
        int failing = 0;
        for (Item item : items) {
            switch (item.outcome()) {
                case REDRIVEN -> redriven++;
                case ALREADY_REDRIVEN -> already++;
                default -> failing++;
            }
        }
        return new Redrive(redriven, already, failing, List.copyOf(items));
    }
}
