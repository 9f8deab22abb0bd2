package dev.switchboard.identity;

import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and verifies deep-link tokens that name a host's own user: the host, which knows who is logged in, mints a
 * token for its user and puts it in a link ({@code https://t.me/<bot>?start=<token>}, a VK {@code ref}, a Viber
 * {@code context}, a webchat URL parameter); the customer who opens the link arrives on that channel carrying it, and
 * the verified token becomes verified evidence that this channel account is that host user.
 *
 * <p>A token is HMAC-SHA256 (truncated to 128 bits) over the tenant, the expiry and the user id, keyed by the
 * tenant's own secret: a token minted for one tenant never verifies in another, an altered one never verifies, and
 * an expired one is refused. It is written in the characters Telegram allows in a start parameter
 * ({@code A-Z a-z 0-9 _ -}) and is 30 characters plus the base64url of the user id: ids of up to 25 bytes fit
 * Telegram's 64-character limit. A token is a bearer credential until it expires (whoever has the link may use it):
 * keep the time to live short. A bad token is not an error for the customer: {@link #verify} answers empty and logs
 * the reason at INFO, never the token.
 *
 * <p>Immutable and thread-safe; secrets are copied in and never appear in {@code toString()} or in logs.
 */
public final class SignedDeepLinks {

    private static final Logger LOG = LoggerFactory.getLogger(SignedDeepLinks.class);
    private static final String VERSION = "1";
    private static final int EXPIRY_CHARS = 7; // base36 epoch seconds: enough until the year 4453
    private static final int MAC_BYTES = 16;
    private static final int MAC_CHARS = 22; // base64url of 16 bytes, unpadded
    private static final int HEADER = VERSION.length() + EXPIRY_CHARS + MAC_CHARS;
    private static final int MAX_TOKEN = 512;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Map<TenantId, byte[]> secrets;
    private final Clock clock;
    private final Duration maxTimeToLive;

    private SignedDeepLinks(Builder b) {
        Map<TenantId, byte[]> copy = new HashMap<>();
        b.secrets.forEach((t, s) -> copy.put(t, s.clone()));
        this.secrets = Map.copyOf(copy);
        this.clock = b.clock;
        this.maxTimeToLive = b.maxTimeToLive;
    }

    /** A builder; give each tenant that mints links a secret. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mints a token naming {@code hostUserId} in {@code tenant}, valid for {@code timeToLive} from now.
     *
     * @throws IllegalArgumentException when the tenant has no secret, the user id is blank, or the time to live is
     *     not positive or longer than the configured maximum
     */
    public String mint(TenantId tenant, String hostUserId, Duration timeToLive) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(hostUserId, "hostUserId");
        Objects.requireNonNull(timeToLive, "timeToLive");
        byte[] secret = secrets.get(tenant);
        if (secret == null) {
            throw new IllegalArgumentException("no deep-link secret configured for tenant " + tenant);
        }
        if (hostUserId.isBlank()) {
            throw new IllegalArgumentException("hostUserId must not be blank");
        }
        if (timeToLive.isNegative() || timeToLive.isZero() || timeToLive.compareTo(maxTimeToLive) > 0) {
            throw new IllegalArgumentException("timeToLive must be within (0, " + maxTimeToLive + "], got " + timeToLive);
        }
        long expiry = clock.instant().plus(timeToLive).getEpochSecond();
        String expiryText = pad(Long.toString(expiry, 36));
        String user = B64.encodeToString(hostUserId.getBytes(StandardCharsets.UTF_8));
        String token = VERSION + expiryText + mac(secret, tenant, expiryText, user) + user;
        if (token.length() > MAX_TOKEN) {
            throw new IllegalArgumentException("hostUserId is too long for a deep link (" + hostUserId.length()
                    + " characters)");
        }
        return token;
    }

    /**
     * The host user id a token names, when it was minted for this tenant with its secret and has not expired; empty
     * otherwise (logged at INFO with the reason, without the token).
     */
    public Optional<String> verify(TenantId tenant, String token) {
        Objects.requireNonNull(tenant, "tenant");
        if (token == null || token.length() <= HEADER || token.length() > MAX_TOKEN || !token.startsWith(VERSION)
                || !alphabet(token)) {
            return refused(tenant, "malformed token");
        }
        byte[] secret = secrets.get(tenant);
        if (secret == null) {
            return refused(tenant, "no deep-link secret configured for the tenant");
        }
        String expiryText = token.substring(VERSION.length(), VERSION.length() + EXPIRY_CHARS);
        String mac = token.substring(VERSION.length() + EXPIRY_CHARS, HEADER);
        String user = token.substring(HEADER);
        byte[] expected = mac(secret, tenant, expiryText, user).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, mac.getBytes(StandardCharsets.US_ASCII))) {
            return refused(tenant, "bad signature (forged, altered or minted for another tenant)");
        }
        long expiry;
        try {
            expiry = Long.parseLong(expiryText, 36);
        } catch (NumberFormatException e) {
            return refused(tenant, "malformed expiry");
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(expiry))) {
            return refused(tenant, "expired");
        }
        try {
            String id = new String(B64D.decode(user), StandardCharsets.UTF_8);
            return id.isBlank() ? refused(tenant, "blank user id") : Optional.of(id);
        } catch (IllegalArgumentException e) {
            return refused(tenant, "malformed user id");
        }
    }

    /**
     * Verified evidence that the account is the host user a signed-link point names, or empty when the token does
     * not verify. The point is the host's user id ({@link ContactPoint#externalId}), as a host-signed webchat identity
     * gives it, so both ways of saying "this is my user 42" meet.
     */
    public Optional<Evidence> evidence(TenantId tenant, Evidence signedLink) {
        Objects.requireNonNull(signedLink, "signedLink");
        if (signedLink.point().kind() != ContactPoint.Kind.SIGNED_LINK) {
            throw new IllegalArgumentException("not a signed-link point: " + signedLink.point().kind());
        }
        return verify(tenant, signedLink.point().value()).map(id -> Evidence.verified(ContactPoint.externalId(id),
                signedLink.source(), signedLink.observedAt()));
    }

    private static Optional<String> refused(TenantId tenant, String why) {
        LOG.info("ignored a deep-link token in tenant {}: {}", tenant, why);
        return Optional.empty();
    }

    private static boolean alphabet(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String pad(String expiry) {
        if (expiry.length() > EXPIRY_CHARS) {
            throw new IllegalArgumentException("expiry out of range");
        }
        return "0".repeat(EXPIRY_CHARS - expiry.length()) + expiry;
    }

    private static String mac(byte[] secret, TenantId tenant, String expiry, String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("switchboard-deep-link/" + VERSION + "\n" + tenant.value() + "\n" + expiry + "\n" + user)
                    .getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(Arrays.copyOf(mac.doFinal(), MAC_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "SignedDeepLinks[tenants=" + secrets.keySet() + ", maxTimeToLive=" + maxTimeToLive + "]";
    }

    /** Configures {@link SignedDeepLinks}: one secret per tenant, a clock and the longest time to live. */
    public static final class Builder {
        private final Map<TenantId, byte[]> secrets = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration maxTimeToLive = Duration.ofDays(1);

        private Builder() {
        }

        /** The tenant's signing secret: at least 32 random bytes, kept by the host like a password. */
        public Builder secret(TenantId tenant, byte[] secret) {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("secret of tenant " + tenant + " must be at least 32 bytes, got "
                        + secret.length);
            }
            secrets.put(tenant, secret.clone());
            return this;
        }

        /** Clock for minting and expiry. Default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The longest time to live {@link #mint} accepts. Default one day. */
        public Builder maxTimeToLive(Duration max) {
            this.maxTimeToLive = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The verifier and minter. */
        public SignedDeepLinks build() {
            if (secrets.isEmpty()) {
                throw new IllegalStateException("secret: at least one tenant's secret is required");
            }
            if (maxTimeToLive.isNegative() || maxTimeToLive.isZero()) {
                throw new IllegalStateException("maxTimeToLive must be positive, got " + maxTimeToLive);
            }
            return new SignedDeepLinks(this);
        }
    }
}
