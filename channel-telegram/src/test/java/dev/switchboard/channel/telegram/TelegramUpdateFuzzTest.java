package dev.switchboard.channel.telegram;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests (Jazzer) of what Telegram sends us: update mapping and the webhook's body handling. In the
 * normal build they replay the committed inputs under
 * {@code src/test/resources/dev/switchboard/channel/telegram/TelegramUpdateFuzzTestInputs/<method>/} (a valid update
 * of each kind, and edge cases: dates and ids out of range, missing and mistyped fields, deep nesting, invalid UTF-8).
 * To fuzz one locally: {@code JAZZER_FUZZ=1 ./mvnw -pl channel-telegram -am test
 * -Dtest=TelegramUpdateFuzzTest#mapAnyUpdate}; the slow tier runs {@link TelegramFuzzingSlowTest}. Anything a run
 * finds is committed to these directories and fixed.
 */
class TelegramUpdateFuzzTest {

    @FuzzTest
    void mapAnyUpdate(byte[] raw) {
        TelegramFuzzTargets.mapUpdate(raw);
    }

    @FuzzTest
    void handleAnyWebhookBody(byte[] body) {
        TelegramFuzzTargets.handleWebhookBody(body);
    }
}
