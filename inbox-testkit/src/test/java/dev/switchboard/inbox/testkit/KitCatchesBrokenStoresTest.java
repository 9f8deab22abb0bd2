package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit is only worth something if it fails stores that break the rules. Each broken store in {@link BrokenStores}
 * must fail the contract tests about the rule it breaks and pass the rest; the same interception with nothing
 * changed passes everything.
 */
class KitCatchesBrokenStoresTest {

    @Test
    void anOutboxOutsideTheTransactionIsCaught() {
        assertThat(failures(BrokenStores.AutoCommitOutboxContract.class)).containsOnlyKeys(
                "aRolledBackClaimOrOutcomeLeavesTheRowPendingAndClaimable",
                "anExceptionRollsBackEverythingTheWorkWrote",
                "replacingAnOutboxRowsMessageChangesOnlyTheMessage");
    }

    @Test
    void aFeedReadOutOfOrderIsCaught() {
        assertThat(failures(BrokenStores.TenantOrderedFeedContract.class))
                .containsKey("eventsAreNumberedInOrderAndReadByCursor")
                .hasEntrySatisfying("eventsAreNumberedInOrderAndReadByCursor",
                        message -> assertThat(message).contains("tenant-b"));
    }

    @Test
    void theInterceptionItselfChangesNothing() {
        assertThat(failures(BrokenStores.UnchangedContract.class)).isEmpty();
    }

    /** Runs the contract class and returns failed test method name to failure message. */
    private static Map<String, String> failures(Class<?> contract) {
        Map<String, String> failed = new ConcurrentHashMap<>();
        Set<String> finished = new TreeSet<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().orElse(null) instanceof MethodSource source) {
                    synchronized (finished) {
                        finished.add(source.getMethodName());
                    }
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        failed.put(source.getMethodName(), result.getThrowable().map(String::valueOf).orElse("?"));
                    }
                }
            }
        });
        assertThat(finished).as("the contract's tests ran").hasSizeGreaterThanOrEqualTo(25);
        return new TreeMap<>(failed);
    }
}
