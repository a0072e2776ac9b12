package dev.bulwark.compliance.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one transaction has already read or locked, kept for the rest of that transaction and dropped with it: a batch
 * of check-ins asks for the same tenant's policies, and for rows it locked up front, hundreds of times. Outside a
 * transaction nothing is kept.
 */
@ApplicationScoped
public class TransactionMemo {

    private final TransactionSynchronizationRegistry registry;

    TransactionMemo(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** The value under {@code key} in this transaction, computed once. */
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(String key, Supplier<T> value) {
        Map<String, Object> memo = memo();
        if (memo == null) {
            return value.get();
        }
        Object known = memo.get(key);
        if (known == null) {
            known = value.get();
            memo.put(key, known);
        }
        return (T) known;
    }

    /** A map of this transaction's, created on first use; {@code null} outside a transaction. */
    @SuppressWarnings("unchecked")
    public <V> Map<String, V> map(String name) {
        Map<String, Object> memo = memo();
        if (memo == null) {
            return null;
        }
        return (Map<String, V>) memo.computeIfAbsent(name, n -> new HashMap<String, V>());
    }

    /** Forgets every value whose key starts with {@code prefix}, in this transaction. */
    public void forget(String prefix) {
        Map<String, Object> memo = memo();
        if (memo != null) {
            memo.keySet().removeIf(key -> key.startsWith(prefix));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> memo() {
        if (registry.getTransactionKey() == null) {
            return null;
        }
        Map<String, Object> memo = (Map<String, Object>) registry.getResource(TransactionMemo.class);
        if (memo == null) {
            memo = new HashMap<>();
            registry.putResource(TransactionMemo.class, memo);
        }
        return memo;
    }
}
