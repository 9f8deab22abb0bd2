package dev.switchboard.inbox;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import org.slf4j.MDC;

/**
 * Puts the tenant and channel a piece of work is about into the SLF4J MDC (keys {@value #TENANT} and
 * {@value #CHANNEL}) for its duration, restoring what was there before, so every log line of ingest, outbox sends,
 * feed dispatch and lease work names the business it concerns ({@code %X{tenant}} in a Logback pattern). The inbox's
 * threads are shared by all tenants, so the tenant travels in the MDC rather than in thread names. Internal.
 */
final class LogContext implements AutoCloseable {
    static final String TENANT = "tenant";
    static final String CHANNEL = "channel";

    private final String previousTenant;
    private final String previousChannel;

    private LogContext(String tenant, String channel) {
        this.previousTenant = MDC.get(TENANT);
        this.previousChannel = MDC.get(CHANNEL);
        put(TENANT, tenant);
        put(CHANNEL, channel);
    }

    /** The tenant and channel of the work that follows; {@code channel} may be null when it concerns no channel. */
    static LogContext of(TenantId tenant, ChannelId channel) {
        return new LogContext(tenant.value(), channel == null ? null : channel.value());
    }

    @Override
    public void close() {
        put(TENANT, previousTenant);
        put(CHANNEL, previousChannel);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
