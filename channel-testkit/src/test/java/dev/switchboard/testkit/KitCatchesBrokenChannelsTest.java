package dev.switchboard.testkit;

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
 * The kit is only worth something if it fails channels that break the rules. Each broken channel in
 * {@link BrokenChannelKits} must fail exactly the kit tests about the rule it breaks, and pass the rest.
 */
class KitCatchesBrokenChannelsTest {

    @Test
    void redeliveryWithANewEventIdIsCaught() {
        assertThat(failures(BrokenChannelKits.RenamesRedeliveries.class)).containsOnlyKeys("redeliveredEventKeepsItsEventId")
                .hasEntrySatisfying("redeliveredEventKeepsItsEventId",
                        m -> assertThat(m).contains("reported with another event id"));
    }

    @Test
    void oneMessageReportedTwiceIsCaught() {
        assertThat(failures(BrokenChannelKits.DoublesMessages.class))
                .containsKey("inboundTextArrivesAsOneEventWithTheSendersAccount")
                .hasEntrySatisfying("inboundTextArrivesAsOneEventWithTheSendersAccount",
                        m -> assertThat(m).contains("exactly one MessageReceived"));
    }

    @Test
    void acknowledgingBeforeCommitIsCaught() {
        assertThat(failures(BrokenChannelKits.AcksBeforeCommit.class)).containsOnlyKeys("failedCommitIsNotAcknowledged")
                .hasEntrySatisfying("failedCommitIsNotAcknowledged",
                        m -> assertThat(m).contains("must not have acknowledged it"));
    }

    @Test
    void retryableFailuresReportedAsPermanentAreCaught() {
        assertThat(failures(BrokenChannelKits.EverythingPermanent.class))
                .containsOnlyKeys("rateLimitIsRetryableWithTheRetryAfter", "serverErrorIsRetryable");
    }

    @Test
    void aLostRetryAfterIsCaught() {
        assertThat(failures(BrokenChannelKits.DropsRetryAfter.class))
                .containsOnlyKeys("rateLimitIsRetryableWithTheRetryAfter", "permanentErrorIsNotRetryable")
                .hasEntrySatisfying("rateLimitIsRetryableWithTheRetryAfter",
                        m -> assertThat(m).contains("retry after 7 s"));
    }

    @Test
    void aLeakedTokenIsCaught() {
        assertThat(failures(BrokenChannelKits.LeaksToken.class)).containsOnlyKeys("noSecretInToString",
                "rateLimitIsRetryableWithTheRetryAfter", "serverErrorIsRetryable", "permanentErrorIsNotRetryable");
    }

    @Test
    void textChangedOnTheWayIsCaught() {
        assertThat(failures(BrokenChannelKits.AppendsSignature.class))
                .containsKeys("longTextIsSplitWithinTheLimit", "sendReturnsThePlatformMessageId")
                .hasEntrySatisfying("longTextIsSplitWithinTheLimit",
                        m -> assertThat(m).contains("over capabilities().maxTextLength()"));
    }

    @Test
    void droppedButtonsAreCaught() {
        assertThat(failures(BrokenChannelKits.DropsButtons.class)).containsOnlyKeys("choicesAreNativeButtonsOrANumberedList");
    }

    @Test
    void aFailingSecondStopIsCaught() {
        Map<String, String> failures = failures(BrokenChannelKits.StopsOnce.class);
        // Every test's teardown stops once more, so every test fails; the message names the second stop.
        assertThat(failures).containsKey("stopIsIdempotent");
        assertThat(failures.get("stopIsIdempotent")).contains("second channel.stop()");
    }

    @Test
    void aChannelThatCannotStartAgainIsCaught() {
        assertThat(failures(BrokenChannelKits.StartsOnce.class))
                .containsOnlyKeys("aStoppedChannelStartsAgainAndReceivesAndSends")
                .hasEntrySatisfying("aStoppedChannelStartsAgainAndReceivesAndSends",
                        m -> assertThat(m).contains("after stop()"));
    }

    @Test
    void aSecondStartThatIsNotRefusedIsCaught() {
        assertThat(failures(BrokenChannelKits.RestartsWhileRunning.class))
                .containsOnlyKeys("aSecondStartWhileRunningIsRefused")
                .hasEntrySatisfying("aSecondStartWhileRunningIsRefused",
                        m -> assertThat(m).contains("completed normally"));
    }

    @Test
    void repeatedReceiptIdsAreCaught() {
        assertThat(failures(BrokenChannelKits.RepeatsReceiptIds.class))
                .containsKeys("receiptIdsAreUniquePerChannel", "aStoppedChannelStartsAgainAndReceivesAndSends")
                .hasEntrySatisfying("receiptIdsAreUniquePerChannel", m -> assertThat(m).contains("different"));
    }

    @Test
    void fetchingAnotherChannelsFileIsCaught() {
        assertThat(failures(BrokenChannelKits.FetchesForeignFiles.class))
                .containsOnlyKeys("fetchingAnotherChannelsFileFails")
                .hasEntrySatisfying("fetchingAnotherChannelsFileFails",
                        m -> assertThat(m).contains("belongs to channel broken-other"));
    }

    @Test
    void correctChannelsPass() {
        assertThat(failures(BrokenChannelKits.PlainControl.class)).isEmpty();
        assertThat(failures(BrokenChannelKits.HtmlControl.class)).isEmpty();
    }

    @Test
    void aBuilderThatAcceptsAnInvalidOptionIsCaught() {
        assertThat(failures(BrokenChannelKits.AcceptsInvalidOptions.class))
                .containsOnlyKeys("anInvalidOptionFailsAtBuildNamingTheOption")
                .hasEntrySatisfying("anInvalidOptionFailsAtBuildNamingTheOption",
                        m -> assertThat(m).contains("building with an invalid pollWait returned"));
    }

    @Test
    void aBuilderThatRefusesWithTheWrongExceptionIsCaught() {
        assertThat(failures(BrokenChannelKits.RefusesVaguely.class))
                .containsOnlyKeys("anInvalidOptionFailsAtBuildNamingTheOption")
                .hasEntrySatisfying("anInvalidOptionFailsAtBuildNamingTheOption",
                        m -> assertThat(m).contains("IllegalArgumentException"));
    }

    /** Runs the kit class and returns failed test method name to failure message. */
    private static Map<String, String> failures(Class<?> kit) {
        Map<String, String> failed = new ConcurrentHashMap<>();
        Set<String> finished = new TreeSet<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().orElse(null) instanceof MethodSource) {
                    String method = ((MethodSource) id.getSource().get()).getMethodName();
                    synchronized (finished) {
                        finished.add(method);
                    }
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        failed.put(method, result.getThrowable().map(String::valueOf).orElse("?"));
                    }
                }
            }
        });
        assertThat(finished).as("the kit's tests ran").hasSizeGreaterThanOrEqualTo(10);
        return new TreeMap<>(failed);
    }
}
