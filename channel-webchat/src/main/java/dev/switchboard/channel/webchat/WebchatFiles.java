package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.SafeMedia;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.state.ChannelState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The website chat's files: visitor uploads (bounded per file, per session, per address and in total), files agents
 * send, downloads that can never run as a page ({@link SafeMedia}: type decided from the bytes, {@code nosniff}, a
 * sandboxing CSP, attachment for anything but allow-listed images), and expiry. Bytes live in a
 * {@link WebchatFileStore}, not in the endpoint. Once {@linkplain #bind bound} to the channel's state, file metadata
 * and the per-session and per-address quotas live there ({@link StateFileCatalog}), so every node serves a file
 * uploaded through another (given a file store they share) and counts it against the same quotas. Thread-safe.
 */
final class WebchatFiles {
    private static final Logger log = LoggerFactory.getLogger(WebchatFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final WebchatFileStore store;
    private final UploadLimits limits;
    private final UploadQuota quota;
    private final Clock clock;
    private final String urlBase;
    private volatile Instant lastPurge = Instant.MIN;
    private volatile Optional<StateFileCatalog> catalog = Optional.empty();

    /** The result of an upload: the stored file, or the HTTP status and error code it was refused with. */
    record Upload(Optional<WebchatFile> file, int status, String code, String message) {
        static Upload ok(WebchatFile f) {
            return new Upload(Optional.of(f), 200, "", "");
        }

        static Upload refused(int status, String code, String message) {
            return new Upload(Optional.empty(), status, code, message);
        }
    }

    /**
     * @param fileOrigin where file URLs point ({@code https://files.example}); empty for the chat's own origin
     */
    WebchatFiles(WebchatFileStore store, UploadLimits limits, Clock clock, Optional<String> fileOrigin,
                 String basePath) {
        this.store = store;
        this.limits = limits;
        this.quota = new UploadQuota(limits);
        this.clock = clock;
        this.urlBase = fileOrigin.orElse("") + basePath + "/files/";
    }

    /** Keeps file metadata and upload quotas in {@code state} from now on, shared with every node bound to it. */
    void bind(ChannelState state) {
        catalog = Optional.of(new StateFileCatalog(state, limits, clock));
    }

    /** Stores a visitor's upload after checking the quotas; the type is detected from the bytes. */
    Upload upload(String sessionId, String address, String rawName, byte[] bytes) {
        purgeIfDue();
        String id = UUID.randomUUID().toString();
        Optional<StateFileCatalog> shared = catalog;
        Optional<String> over;
        try {
            over = shared.isPresent()
                    ? shared.get().reserve(id, sessionId, address, bytes.length, store.totalBytes())
                    : quota.reserve(id, sessionId, address, bytes.length);
        } catch (RuntimeException e) {
            log.warn("webchat: the upload quota of session {} could not be read", sessionId, e);
            return Upload.refused(503, "not_stored", "the file could not be stored; try again");
        }
        if (over.isPresent()) {
            return Upload.refused(429, "upload_quota_exceeded", over.get());
        }
        try {
            return Upload.ok(put(id, sessionId, rawName, bytes));
        } catch (WebchatFileStore.StoreFullException e) {
            release(shared, id, sessionId, address);
            return Upload.refused(507, "storage_full", "the chat's file storage is full; try again later");
        } catch (RuntimeException e) {
            release(shared, id, sessionId, address);
            log.warn("webchat: an upload of session {} could not be stored", sessionId, e);
            return Upload.refused(503, "not_stored", "the file could not be stored; try again");
        }
    }

    private void release(Optional<StateFileCatalog> shared, String id, String sessionId, String address) {
        try {
            if (shared.isPresent()) {
                shared.get().release(id, sessionId, address);
            } else {
                quota.release(id);
            }
        } catch (RuntimeException e) {
            // the reservation then lapses with the retention
            log.warn("webchat: the upload quota of session {} could not be given back", sessionId, e);
        }
    }

    /** Stores a file an agent sends (no visitor quota; the store's own bound still applies). */
    Optional<WebchatFile> agentFile(String sessionId, String rawName, byte[] bytes) {
        try {
            return Optional.of(put(UUID.randomUUID().toString(), sessionId, rawName, bytes));
        } catch (RuntimeException e) {
            log.warn("webchat: an agent's file for session {} could not be stored", sessionId, e);
            return Optional.empty();
        }
    }

    private WebchatFile put(String id, String sessionId, String rawName, byte[] bytes) {
        String name = SafeMedia.cleanName(rawName);
        if (name.isEmpty()) {
            name = "file";
        }
        SafeMedia.Detected type = SafeMedia.detect(bytes, Optional.of(name));
        WebchatFile f = new WebchatFile(id, sessionId, name, type.mimeType(), bytes.length, clock.instant());
        store.put(f, bytes);
        Optional<StateFileCatalog> shared = catalog;
        if (shared.isPresent()) {
            shared.get().record(f);
        }
        return f;
    }

    /** The metadata of a file: recorded in the shared state when bound, else (or before binding) the store's. */
    private Optional<WebchatFile> meta(String fileId) {
        Optional<StateFileCatalog> shared = catalog;
        Optional<WebchatFile> recorded = shared.isPresent() ? shared.get().file(fileId) : Optional.empty();
        return recorded.isPresent() ? recorded : store.describe(fileId);
    }

    /** A file of {@code sessionId}, if it exists and is still kept. */
    Optional<WebchatFile> ofSession(String sessionId, String fileId) {
        return meta(fileId).filter(f -> f.sessionId().equals(sessionId)).filter(this::fresh);
    }

    /** The download response of a file of {@code sessionId}: empty when it does not exist or is not the session's. */
    Optional<WebhookResponse> download(String sessionId, String fileId, Map<String, List<String>> extraHeaders) {
        Optional<WebchatFile> f = ofSession(sessionId, fileId);
        Optional<byte[]> bytes = f.flatMap(x -> store.read(x.id()));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> h = new HashMap<>(extraHeaders);
        h.putAll(SafeMedia.headers(SafeMedia.detect(bytes.get(), Optional.of(f.get().name())),
                Optional.of(f.get().name())));
        return Optional.of(new WebhookResponse(200, h, bytes.get()));
    }

    /** The bytes of any file this channel keeps, for {@code fetchMedia}. */
    Optional<FetchedMedia> fetch(String fileId) {
        Optional<WebchatFile> f = meta(fileId).filter(this::fresh);
        return f.flatMap(x -> store.read(x.id()).map(b -> new FetchedMedia(b, x.mimeType(), Optional.of(x.name()))));
    }

    /** Copies a file into another session (an agent forwarding a visitor's file). */
    Optional<WebchatFile> copyTo(String sessionId, String fileId) {
        return meta(fileId).filter(this::fresh)
                .flatMap(f -> store.read(f.id()).flatMap(b -> agentFile(sessionId, f.name(), b)));
    }

    /** The JSON the widget gets for a file. */
    ObjectNode describe(WebchatFile f) {
        return JSON.createObjectNode().put("id", f.id()).put("name", f.name()).put("mime", f.mimeType())
                .put("size", f.size()).put("url", url(f));
    }

    String url(WebchatFile f) {
        return urlBase + f.id();
    }

    /** Deletes files older than the retention now, whatever the last purge. */
    /** Deletes a file and its metadata (a customer's erasure); false when the store cannot delete single files. */
    boolean delete(String fileId) {
        Optional<WebchatFile> f = meta(fileId);
        boolean deleted = store.delete(fileId);
        if (deleted) {
            f.ifPresent(x -> quota.release(x.id()));
            Optional<StateFileCatalog> shared = catalog;
            if (shared.isPresent()) {
                shared.get().forget(fileId);
            }
        }
        return deleted;
    }

    int purgeExpired() {
        lastPurge = clock.instant();
        List<WebchatFile> dropped = store.purgeCreatedBefore(lastPurge.minus(limits.retention()));
        Optional<StateFileCatalog> shared = catalog;
        for (WebchatFile f : dropped) {
            quota.release(f.id());
            if (shared.isPresent()) {
                try {
                    shared.get().forget(f.id());
                } catch (RuntimeException e) {
                    // the record expires with the retention anyway
                    log.warn("webchat: the metadata of expired file {} could not be removed", f.id(), e);
                }
            }
        }
        return dropped.size();
    }

    private void purgeIfDue() {
        if (lastPurge.plus(PURGE_EVERY).isBefore(clock.instant())) {
            try {
                purgeExpired();
            } catch (RuntimeException e) {
                log.warn("webchat: purging expired files failed", e);
            }
        }
    }

    private boolean fresh(WebchatFile f) {
        return !f.createdAt().plus(limits.retention()).isBefore(clock.instant());
    }
}
