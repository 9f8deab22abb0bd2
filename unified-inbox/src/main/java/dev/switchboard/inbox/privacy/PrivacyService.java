package dev.switchboard.inbox.privacy;

import dev.switchboard.channel.Channel;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbox node's export and erasure engine. The inbox creates one; hosts use it through
 * {@code TenantInbox.privacy()}. On start the inbox asks it to complete erasures an earlier run left unfinished
 * ({@link #resumeUnfinished()}). Thread-safe: erasures of different customers run independently, and two erasures of
 * the same customer only repeat steps that are safe to repeat.
 */
public final class PrivacyService {
    private static final Logger log = LoggerFactory.getLogger(PrivacyService.class);
    private static final int RESUME_BATCH = 100;

    private final InboxStore store;
    private final Erasure erasure;
    private final ExportArchive export;
    private final Transcripts transcripts;
    private final Runnable wake;

    /**
     * Called by the inbox.
     *
     * @param channels a tenant's channel by id, when it is configured (to fetch and delete media)
     * @param tenantChannels a tenant's channels (to find its email channel for transcripts)
     * @param wake wakes the node's feed dispatcher and outbox after a commit
     */
    public PrivacyService(InboxStore store, Clock clock, BiFunction<TenantId, ChannelId, Optional<Channel>> channels,
                          Function<TenantId, List<Channel>> tenantChannels, Runnable wake) {
        this.store = Objects.requireNonNull(store, "store");
        this.erasure = new Erasure(store, clock, channels);
        this.export = new ExportArchive(store, channels);
        this.transcripts = new Transcripts(store, clock, tenantChannels);
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** The export and erasure calls of one tenant. */
    public Privacy forTenant(TenantId tenant) {
        return new Privacy(Objects.requireNonNull(tenant, "tenant"), erasure, export, transcripts, store, wake);
    }

    /**
     * Completes every erasure left unfinished (a crash, a channel that could not delete a file); returns how many it
     * completed. One that still fails is logged and left for the next call. Stores without erasure support have none.
     */
    public int resumeUnfinished() {
        List<ErasureRecord> open;
        try {
            open = store.inTransaction(tx -> tx.unfinishedErasures(RESUME_BATCH));
        } catch (UnsupportedOperationException e) {
            return 0;
        }
        int done = 0;
        for (ErasureRecord r : open) {
            try {
                erasure.resume(r);
                done++;
            } catch (RuntimeException e) {
                log.warn("Erasure of customer {} in tenant {} is still unfinished: {}", r.customer().value(),
                        r.tenant().value(), e.toString());
            }
        }
        if (done > 0) {
            wake.run();
        }
        return done;
    }
}
