package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The signature check against an independent HMAC, digit by digit. */
class ViberSignatureTest {
    private static final String TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9";
    private final ViberSignature signature = new ViberSignature(TOKEN);
    private final byte[] body = "{\"event\":\"message\",\"text\":\"Здравствуйте\"}".getBytes(StandardCharsets.UTF_8);

    private String expected() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void theHexHmacOfTheBodyVerifiesInEitherCase() throws Exception {
        assertThat(signature.sign(body)).isEqualTo(expected());
        assertThat(signature.verify(body, expected())).isTrue();
        assertThat(signature.verify(body, expected().toUpperCase(Locale.ROOT))).isTrue();
    }

    @Test
    void anyChangedDigitAnyNonHexDigitOrAnotherLengthFails() throws Exception {
        String good = expected();
        for (int i = 0; i < good.length(); i++) {
            char c = good.charAt(i);
            char changed = c == '0' ? '1' : '0';
            assertThat(signature.verify(body, good.substring(0, i) + changed + good.substring(i + 1)))
                    .as("digit %d changed", i).isFalse();
            assertThat(signature.verify(body, good.substring(0, i) + 'g' + good.substring(i + 1)))
                    .as("digit %d not hex", i).isFalse();
        }
        assertThat(signature.verify(body, good.substring(2))).isFalse();
        assertThat(signature.verify(body, good + "00")).isFalse();
        assertThat(signature.verify(body, "")).isFalse();
        assertThat(signature.verify(body, null)).isFalse();
        assertThat(signature.verify("{}".getBytes(StandardCharsets.UTF_8), good)).isFalse();
    }
}
