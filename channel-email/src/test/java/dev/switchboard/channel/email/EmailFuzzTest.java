package dev.switchboard.channel.email;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests of the email parsers (Jazzer). In the normal build they replay the committed inputs
 * under {@code src/test/resources/dev/switchboard/channel/email/EmailFuzzTestInputs/<method>/}: real-client messages
 * (Gmail, Outlook, Apple Mail, Thunderbird, Yandex, Mail.ru; KOI8-R and windows-1251), bounces and broken MIME, plus
 * every input a fuzzing run found. To fuzz one of them locally:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl channel-email -am test -Dtest=EmailFuzzTest#normalizeAnyMessage}; the slow tier runs
 * {@link EmailFuzzingSlowTest}.
 */
class EmailFuzzTest {

    @FuzzTest
    void normalizeAnyMessage(byte[] raw) {
        EmailFuzzTargets.normalize(raw);
    }

    @FuzzTest
    void stripAnyQuote(byte[] text) {
        EmailFuzzTargets.stripQuotes(text);
    }

    @FuzzTest
    void decodeAnyHeader(byte[] header) {
        EmailFuzzTargets.decodeHeader(header);
    }
}
