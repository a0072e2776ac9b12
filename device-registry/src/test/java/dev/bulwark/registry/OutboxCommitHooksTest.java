package dev.bulwark.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What counts an effect counts it once it committed: {@link Outbox#afterCommit} runs after a commit and never after a
 * rollback (a retried attempt would count twice otherwise).
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class OutboxCommitHooksTest {

    private static final Pattern DEPTH = Pattern.compile("(?m)^bulwark_outbox_depth (\\S+)$");

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anAfterCommitActionRunsOnceTheTransactionCommittedAndNeverWhenItRollsBack() {
        AtomicInteger counted = new AtomicInteger();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    outbox.afterCommit(counted::incrementAndGet);
                    throw new IllegalStateException("the attempt fails");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(counted).as("after a rollback").hasValue(0);

        QuarkusTransaction.requiringNew().run(() -> {
            outbox.afterCommit(counted::incrementAndGet);
            assertThat(counted).as("before the commit").hasValue(0);
        });
        assertThat(counted).as("after the commit").hasValue(1);
    }
}
