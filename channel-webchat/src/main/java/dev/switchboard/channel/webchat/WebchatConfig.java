package dev.switchboard.channel.webchat;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked configuration of one website chat, as built by {@link WebchatChannel.Builder}: who it belongs to, where
 * it is mounted, its secrets, limits, allowed origins and business hours. Immutable; {@code toString()} masks both
 * secrets, so the configuration can be logged. The collaborators a host plugs in (log, file store, transcript sender,
 * listener, send policy, clock) are not settings and stay on the builder.
 *
 * @param channelId the channel's id, unique in the inbox (one per site when a server hosts several sites)
 * @param tenant the tenant the site's conversations belong to
 * @param basePath where the chat's URLs start, {@code /webchat} by default; {@code /webchat/shop-a} for one of many
 *                 sites on one server (the widget finds it from its own script URL)
 * @param tokenSecret the server's secret for signing visitor tokens (at least 32 bytes)
 * @param identitySecret the host's secret for signed visitor identities (at least 16 bytes), if verified visitors are
 *                       enabled
 * @param identityTokenLifetime how long a signed identity is accepted after it was signed
 * @param acceptLegacyUserHash whether the older never-expiring {@code user: {id, hash}} form is accepted
 * @param limits message size, message rate, connections per address and upload size
 * @param uploadLimits upload quotas and file retention
 * @param addressLimits session creation and message limits per IP address
 * @param allowedOrigins page origins allowed to use the chat; empty allows any
 * @param fileOrigin another origin to serve file links from, if any
 * @param phoneRegion the region for phone numbers without a country code ({@code ZZ}: none)
 * @param businessHours when the site answers; widgets show "offline" outside them
 * @param agentsOnline whether agents are online when the channel is built
 */
public record WebchatConfig(ChannelId channelId, TenantId tenant, String basePath, byte[] tokenSecret,
                            Optional<byte[]> identitySecret, Duration identityTokenLifetime,
                            boolean acceptLegacyUserHash, WebchatLimits limits, UploadLimits uploadLimits,
                            AddressLimits addressLimits, Set<String> allowedOrigins, Optional<String> fileOrigin,
                            String phoneRegion, BusinessHours businessHours, boolean agentsOnline) {
    /** The default {@link #basePath}. */
    public static final String DEFAULT_BASE_PATH = "/webchat";
    private static final Pattern BASE_PATH = Pattern.compile("/[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:\\d{1,5})?");

    /** Checks every option; a bad one fails with an {@link IllegalArgumentException} naming it (never a secret). */
    public WebchatConfig {
        require(channelId != null, "channelId is required");
        require(tenant != null, "tenant is required");
        require(basePath != null && BASE_PATH.matcher(basePath).matches(),
                "basePath must be '/' followed by path segments of [A-Za-z0-9_.~-] without a trailing '/', got '"
                        + basePath + "'");
        require(tokenSecret != null, "tokenSecret is required: widgets' tokens are signed with it");
        require(tokenSecret.length >= 32, "tokenSecret must have at least 32 bytes, got " + tokenSecret.length);
        tokenSecret = tokenSecret.clone();
        require(identitySecret != null, "identitySecret must not be null (use Optional.empty())");
        require(identitySecret.map(s -> s.length >= 16).orElse(true),
                "identitySecret must have at least 16 bytes, got " + identitySecret.map(s -> s.length).orElse(0));
        identitySecret = identitySecret.map(byte[]::clone);
        require(identityTokenLifetime != null && !identityTokenLifetime.isNegative()
                && !identityTokenLifetime.isZero(), "identityTokenLifetime must be positive, got "
                + identityTokenLifetime);
        require(!acceptLegacyUserHash || identitySecret.isPresent(), "acceptLegacyUserHash needs an identitySecret");
        require(limits != null, "limits is required");
        require(uploadLimits != null, "uploadLimits is required");
        require(addressLimits != null, "addressLimits is required");
        require(allowedOrigins != null, "allowedOrigins must not be null (empty allows any)");
        allowedOrigins = Set.copyOf(allowedOrigins);
        for (String o : allowedOrigins) {
            require(ORIGIN.matcher(o).matches(), "allowedOrigins takes scheme://host[:port] without a path, got '"
                    + o + "'");
        }
        require(fileOrigin != null, "fileOrigin must not be null (use Optional.empty())");
        require(fileOrigin.map(o -> ORIGIN.matcher(o).matches()).orElse(true),
                "fileOrigin must be scheme://host[:port] without a path, got '" + fileOrigin.orElse("") + "'");
        require(phoneRegion != null, "phoneRegion is required");
        try {
            new dev.switchboard.identity.ContactNormalizer(phoneRegion);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("phoneRegion must be a two-letter region code or ZZ, got '"
                    + phoneRegion + "'", e);
        }
        require(businessHours != null, "businessHours is required");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public byte[] tokenSecret() {
        return tokenSecret.clone();
    }

    @Override
    public Optional<byte[]> identitySecret() {
        return identitySecret.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebchatConfig c && channelId.equals(c.channelId) && tenant.equals(c.tenant)
                && basePath.equals(c.basePath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channelId, tenant, basePath);
    }

    @Override
    public String toString() {
        return "WebchatConfig[channelId=" + channelId + ", tenant=" + tenant + ", basePath=" + basePath
                + ", tokenSecret=***, identitySecret=" + (identitySecret.isPresent() ? "***" : "none")
                + ", allowedOrigins=" + allowedOrigins + ", limits=" + limits + "]";
    }
}
