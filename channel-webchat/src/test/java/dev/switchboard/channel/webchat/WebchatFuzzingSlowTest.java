package dev.switchboard.channel.webchat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * The long fuzzing run of the slow tier ({@code ./mvnw verify -Pslow} with {@code JAZZER_FUZZ=1}): one minute of
 * coverage-guided fuzzing over all website-chat targets, the first byte choosing the target. A finding is written to
 * {@code WebchatFuzzingSlowTestInputs/fuzzWebchatInput/}; copy it into the matching {@link WebchatFuzzTest} inputs
 * directory so the normal build replays it, and fix the code.
 */
@Tag("slow")
class WebchatFuzzingSlowTest {

    @FuzzTest(maxDuration = "60s")
    void fuzzWebchatInput(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 3)) {
            case 0 -> WebchatFuzzTargets.frame(data.consumeRemainingAsString());
            case 1 -> WebchatFuzzTargets.sessionRequest(data.consumeRemainingAsBytes());
            case 2 -> WebchatFuzzTargets.httpRequest(data.pickValue(new String[] {"GET", "POST", "OPTIONS"}),
                    data.consumeString(80), data.consumeString(200), data.consumeString(60),
                    data.consumeRemainingAsBytes());
            default -> WebchatFuzzTargets.identityToken(data.consumeRemainingAsString());
        }
    }
}
