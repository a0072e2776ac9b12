package dev.bulwark.kit.paging;

import java.util.List;
import java.util.function.Function;

/** One page of a tenant's list, with the total so a client can tell how many pages there are. */
public record Page<T>(List<T> items, int page, int size, long totalItems) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), page, size, totalItems);
    }
}
