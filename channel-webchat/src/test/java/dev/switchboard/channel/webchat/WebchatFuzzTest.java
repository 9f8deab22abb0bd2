package dev.switchboard.channel.webchat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests of what the website chat reads from visitors (Jazzer): stream frames, session requests
 * (anonymous, signed identities, pre-chat fields), any HTTP request under {@code /webchat} (messages for the SSE
 * fallback, uploads, downloads, history), and host identity tokens. In the normal build they replay the committed
 * inputs under {@code src/test/resources/dev/switchboard/channel/webchat/WebchatFuzzTestInputs/<method>/}; to fuzz one
 * locally: {@code JAZZER_FUZZ=1 ./mvnw -pl channel-webchat -am test -Dtest=WebchatFuzzTest#anyFrame}; the slow
 * tier runs {@link WebchatFuzzingSlowTest}. Invariants in {@link WebchatFuzzTargets}.
 */
class WebchatFuzzTest {

    @FuzzTest
    void anyFrame(String text) {
        if (text == null) {
            return; // Jazzer's empty input; a transport never hands over a null frame
        }
        WebchatFuzzTargets.frame(text);
    }

    @FuzzTest
    void anySessionRequest(byte[] body) {
        if (body == null) {
            return;
        }
        WebchatFuzzTargets.sessionRequest(body);
    }

    @FuzzTest
    void anyHttpRequest(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"GET", "POST", "OPTIONS", "PUT"});
        String path = data.consumeString(80);
        String name = data.consumeString(200);
        String type = data.consumeString(60);
        WebchatFuzzTargets.httpRequest(method, path, name, type, data.consumeRemainingAsBytes());
    }

    @FuzzTest
    void anyIdentityToken(String token) {
        if (token == null) {
            return; // Jazzer's empty input; the endpoint reads a missing token as ""
        }
        WebchatFuzzTargets.identityToken(token);
    }
}
