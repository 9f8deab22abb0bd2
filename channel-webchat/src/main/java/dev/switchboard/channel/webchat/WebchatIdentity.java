package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host-signed identity of a logged-in website visitor:
 * {@code v2.<base64url(JSON claims)>.<base64url(HMAC-SHA256(identitySecret, "webchat-identity:v2:" + claims part))>}.
 * The claims are {@code sub} (user id), {@code iat} (epoch seconds), and optionally {@code nonce}, {@code name},
 * {@code email}, {@code phone}. A host backend mints one per page view with {@link #sign}; the server accepts it
 * only within the configured lifetime (plus one minute of clock skew) and a nonce only once, so a token copied from a
 * page cannot open that user's chat later. Thread-safe.
 */
public final class WebchatIdentity {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private static final String PREFIX = "v2.";
    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final int MAX_TOKEN = 4096;
    private static final int SWEEP_AT = 10_000;

    private final HmacSigner signer;
    private final Duration lifetime;
    private final Map<String, Instant> seenNonces = new ConcurrentHashMap<>();

    WebchatIdentity(byte[] secret, Duration lifetime) {
        this.signer = new HmacSigner(secret);
        this.lifetime = lifetime;
    }

    /** Signs {@code claims} with the channel's {@code identitySecret}: what the host puts in the widget config. */
    public static String sign(byte[] identitySecret, IdentityClaims claims) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sub", claims.userId());
        n.put("iat", claims.issuedAt().getEpochSecond());
        claims.nonce().ifPresent(v -> n.put("nonce", v));
        claims.name().ifPresent(v -> n.put("name", v));
        claims.email().ifPresent(v -> n.put("email", v));
        claims.phone().ifPresent(v -> n.put("phone", v));
        String body = ENC.encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
        return PREFIX + body + "." + ENC.encodeToString(new HmacSigner(identitySecret).sign(signingInput(body)));
    }

    /** Why a token was refused, or the claims it carries. */
    sealed interface Outcome permits Accepted, Refused {
    }

    record Accepted(IdentityClaims claims) implements Outcome {
    }

    /** {@code code} is what the widget is told: identity_rejected, identity_expired or identity_replayed. */
    record Refused(String code, String message) implements Outcome {
    }

    Outcome verify(String token, Instant now) {
        if (token.length() > MAX_TOKEN || !token.startsWith(PREFIX)) {
            return new Refused("identity_rejected", "the identity token is malformed");
        }
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return new Refused("identity_rejected", "the identity token is malformed");
        }
        String body = token.substring(PREFIX.length(), dot);
        IdentityClaims claims;
        try {
            if (!signer.verify(signingInput(body), DEC.decode(token.substring(dot + 1)))) {
                return new Refused("identity_rejected", "the identity token's signature does not match");
            }
            JsonNode n = JSON.readTree(DEC.decode(body));
            if (n == null || !n.isObject() || !n.path("sub").isTextual() || !n.path("iat").canConvertToLong()) {
                return new Refused("identity_rejected", "the identity token lacks sub or iat");
            }
            claims = new IdentityClaims(n.get("sub").asText(), Instant.ofEpochSecond(n.get("iat").asLong()),
                    text(n, "nonce"), text(n, "name"), text(n, "email"), text(n, "phone"));
        } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
            return new Refused("identity_rejected", "the identity token is malformed");
        }
        if (claims.issuedAt().isAfter(now.plus(SKEW)) || claims.issuedAt().plus(lifetime).plus(SKEW).isBefore(now)) {
            return new Refused("identity_expired", "the identity token was signed at " + claims.issuedAt()
                    + " and is valid for " + lifetime + "; the page must sign a fresh one");
        }
        if (claims.nonce().isPresent()) {
            if (seenNonces.size() > SWEEP_AT) {
                Instant cutoff = now.minus(lifetime).minus(SKEW);
                seenNonces.values().removeIf(at -> at.isBefore(cutoff));
            }
            if (seenNonces.putIfAbsent(claims.userId() + "\u0000" + claims.nonce().get(), claims.issuedAt()) != null) {
                return new Refused("identity_replayed", "this identity token was already used");
            }
        }
        return new Accepted(claims);
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            return Optional.empty();
        }
        String s = v.asText().strip();
        return Optional.of(s.length() > 256 ? s.substring(0, 256) : s);
    }

    private static String signingInput(String body) {
        return "webchat-identity:v2:" + body;
    }

    @Override
    public String toString() {
        return "WebchatIdentity[lifetime=" + lifetime + ", secret hidden]";
    }
}
