package dev.switchboard.channel.email;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * The long fuzzing run of the slow tier ({@code ./mvnw verify -Pslow}, where the build sets {@code JAZZER_FUZZ=1}):
 * one minute of coverage-guided fuzzing over all three email parser targets, the first input byte choosing the
 * target. A finding is written to {@code EmailFuzzingSlowTestInputs/fuzzEmailParsers/}; copy it into the matching
 * {@link EmailFuzzTest} inputs directory so the normal build replays it, and fix the parser.
 */
@Tag("slow")
class EmailFuzzingSlowTest {

    @FuzzTest(maxDuration = "60s")
    void fuzzEmailParsers(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] rest = java.util.Arrays.copyOfRange(data, 1, data.length);
        switch (Math.floorMod(data[0], 3)) {
            case 0 -> EmailFuzzTargets.normalize(rest);
            case 1 -> EmailFuzzTargets.stripQuotes(rest);
            default -> EmailFuzzTargets.decodeHeader(rest);
        }
    }
}
