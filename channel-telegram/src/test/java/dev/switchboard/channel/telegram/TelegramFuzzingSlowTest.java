package dev.switchboard.channel.telegram;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * The long fuzzing run of the slow tier ({@code ./mvnw verify -Pslow}; the module's failsafe configuration sets
 * {@code JAZZER_FUZZ=1}): one minute of coverage-guided fuzzing over both Telegram targets, the first byte choosing
 * the target. A finding is written to {@code TelegramFuzzingSlowTestInputs/fuzzTelegramInput/}; copy it into the
 * matching {@link TelegramUpdateFuzzTest} inputs directory so the normal build replays it, and fix the cause.
 */
@Tag("slow")
class TelegramFuzzingSlowTest {

    @FuzzTest(maxDuration = "60s")
    void fuzzTelegramInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] rest = java.util.Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) == 0) {
            TelegramFuzzTargets.mapUpdate(rest);
        } else {
            TelegramFuzzTargets.handleWebhookBody(rest);
        }
    }
}
