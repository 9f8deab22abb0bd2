package dev.switchboard.inbox.campaign;

import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the tokens of unsubscribe links: a token names a tenant, a customer, a consent purpose and a
 * campaign, and carries an HMAC-SHA256 of them under the host's secret, so it cannot be forged or moved to another
 * customer or tenant. A token is URL-safe (base64url) and never expires (an unsubscribe link must keep working).
 * Thread-safe; the secret is never shown by {@link #toString()} or in an error.
 */
public final class UnsubscribeTokens {
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 2048;
    private final byte[] secret;

    private UnsubscribeTokens(byte[] secret) {
        this.secret = secret;
    }

    /**
     * Tokens signed with this secret (at least 32 bytes, e.g. from a secret store); keep it the same on every node
     * and across restarts, or links already sent stop working.
     *
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    public static UnsubscribeTokens withSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("unsubscribe secret must be at least 32 bytes, got " + secret.length);
        }
        return new UnsubscribeTokens(secret.clone());
    }

    /** What a valid token says: who unsubscribes from which purpose, through which campaign's link. */
    public record Subject(TenantId tenant, CustomerId customer, String purpose, CampaignId campaign) {
        /** Checks that nothing is null. */
        public Subject {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(campaign, "campaign");
        }
    }

    /** The token for this subject. */
    public String issue(Subject subject) {
        String payload = String.join("\n", subject.tenant().value(), subject.customer().value(), subject.purpose(),
                subject.campaign().value());
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODE.encodeToString(body) + "." + ENCODE.encodeToString(mac(body));
    }

    /**
     * Checks a token and that it belongs to {@code tenant}.
     *
     * @throws InvalidUnsubscribeTokenException when it is malformed, its signature does not match (forged or
     *     altered), or it was issued for another tenant
     */
    public Subject verify(TenantId tenant, String token) {
        Objects.requireNonNull(tenant, "tenant");
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidUnsubscribeTokenException("unsubscribe token is missing or too long");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new InvalidUnsubscribeTokenException("unsubscribe token is malformed");
        }
        byte[] body;
        byte[] signature;
        try {
            body = DECODE.decode(token.substring(0, dot));
            signature = DECODE.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidUnsubscribeTokenException("unsubscribe token is malformed");
        }
        if (!MessageDigest.isEqual(mac(body), signature)) {
            throw new InvalidUnsubscribeTokenException("unsubscribe token signature does not match (forged or"
                    + " altered)");
        }
        String[] fields = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 4) {
            throw new InvalidUnsubscribeTokenException("unsubscribe token is malformed");
        }
        if (!fields[0].equals(tenant.value())) {
            throw new InvalidUnsubscribeTokenException("unsubscribe token belongs to another tenant, not " + tenant);
        }
        return new Subject(tenant, CustomerId.of(fields[1]), fields[2], CampaignId.of(fields[3]));
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "UnsubscribeTokens[secret=***]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnsubscribeTokens other && Arrays.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }
}
