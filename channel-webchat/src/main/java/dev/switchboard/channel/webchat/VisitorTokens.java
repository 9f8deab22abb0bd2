package dev.switchboard.channel.webchat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Issues and checks the token a widget keeps in localStorage: {@code base64url(sessionId) "." base64url(HMAC)} under
 * the server's secret. Holding the token is what lets a browser read and write one session; without the secret no one
 * can make a token for another session.
 */
final class VisitorTokens {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private final HmacSigner signer;

    VisitorTokens(byte[] secret) {
        this.signer = new HmacSigner(secret);
    }

    String issue(String sessionId) {
        return ENC.encodeToString(sessionId.getBytes(StandardCharsets.UTF_8)) + "."
                + ENC.encodeToString(signer.sign("webchat-token:v1:" + sessionId));
    }

    /** The session id a genuine token names; empty for anything forged, truncated or malformed. */
    Optional<String> verify(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.length() > 512) {
            return Optional.empty();
        }
        try {
            String sessionId = new String(DEC.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] sig = DEC.decode(token.substring(dot + 1));
            return signer.verify("webchat-token:v1:" + sessionId, sig) ? Optional.of(sessionId) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "VisitorTokens[secret hidden]";
    }
}
