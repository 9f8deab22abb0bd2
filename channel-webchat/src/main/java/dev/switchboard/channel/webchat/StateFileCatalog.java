package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StateRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The website chat's upload metadata and per-session and per-address upload quotas kept in the channel's
 * {@link ChannelState}, so every node bound to the same state knows a file a visitor uploaded through another node
 * and counts it against the same quotas. Each file's metadata is one record ({@code webchat.file:<id>}) that expires
 * with the upload retention; each quota is one record listing the files it holds, written with compare-and-set so
 * two nodes reserving at once cannot both take the last slot. Entries older than the retention drop out on the next
 * write (and the record itself expires), so quotas need no purge on other nodes. The total bound is the file store's
 * own ({@link WebchatFileStore#totalBytes()}, shared when the store is). Thread-safe.
 */
final class StateFileCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_CAS_ROUNDS = 50;

    private final ChannelState state;
    private final UploadLimits limits;
    private final Clock clock;

    StateFileCatalog(ChannelState state, UploadLimits limits, Clock clock) {
        this.state = state;
        this.limits = limits;
        this.clock = clock;
    }

    /** Records a stored file's metadata; it reads as absent once the retention has passed. */
    void record(WebchatFile f) {
        ObjectNode n = JSON.createObjectNode().put("sessionId", f.sessionId()).put("name", f.name())
                .put("mimeType", f.mimeType()).put("size", f.size()).put("createdAt", f.createdAt().toString());
        join(state.put(fileKey(f.id()), n.toString(), Optional.of(limits.retention())));
    }

    /** The metadata of file {@code id}, if some node recorded it and it has not expired. */
    Optional<WebchatFile> file(String id) {
        if (!id.matches("[A-Za-z0-9-]{8,64}")) {
            return Optional.empty();
        }
        return join(state.get(fileKey(id))).map(r -> {
            JsonNode n = parse(r.value());
            return new WebchatFile(id, n.path("sessionId").asText(), n.path("name").asText(),
                    n.path("mimeType").asText(), n.path("size").asLong(), Instant.parse(n.path("createdAt").asText()));
        });
    }

    /** Forgets a file's metadata (it expired or could not be stored). */
    void forget(String id) {
        join(state.delete(fileKey(id)));
    }

    /** Reserves room for file {@code fileId} on every node; the error message when a bound would be exceeded. */
    Optional<String> reserve(String fileId, String session, String address, long bytes, long storeTotal) {
        if (storeTotal + bytes > limits.totalBytes()) {
            return Optional.of("the chat's file storage is full");
        }
        if (!add(sessionQuotaKey(session), fileId, bytes, limits.filesPerSession(), limits.bytesPerSession())) {
            return Optional.of("this chat may keep at most " + limits.filesPerSession() + " files and "
                    + limits.bytesPerSession() + " bytes");
        }
        if (!add(addressQuotaKey(address), fileId, bytes, limits.filesPerAddress(), limits.bytesPerAddress())) {
            remove(sessionQuotaKey(session), fileId);
            return Optional.of("this address may keep at most " + limits.filesPerAddress() + " files and "
                    + limits.bytesPerAddress() + " bytes");
        }
        return Optional.empty();
    }

    /** Gives back what {@code fileId} reserved in the quotas of {@code session} and {@code address}. */
    void release(String fileId, String session, String address) {
        remove(sessionQuotaKey(session), fileId);
        remove(addressQuotaKey(address), fileId);
    }

    private boolean add(String key, String fileId, long bytes, int maxFiles, long maxBytes) {
        for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
            Optional<StateRecord> now = join(state.get(key));
            ArrayNode held = live(now);
            long files = held.size();
            long sum = 0;
            for (JsonNode e : held) {
                sum += e.path("bytes").asLong();
            }
            if (files + 1 > maxFiles || sum + bytes > maxBytes) {
                return false;
            }
            held.addObject().put("id", fileId).put("bytes", bytes).put("at", clock.millis());
            if (join(state.compareAndSet(key, now.map(StateRecord::version).orElse(0L), held.toString(),
                    Optional.of(limits.retention()))).isPresent()) {
                return true;
            }
        }
        throw new IllegalStateException("the upload quota " + key + " stayed contended");
    }

    private void remove(String key, String fileId) {
        for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
            Optional<StateRecord> now = join(state.get(key));
            if (now.isEmpty()) {
                return;
            }
            ArrayNode kept = JSON.createArrayNode();
            live(now).forEach(e -> {
                if (!e.path("id").asText().equals(fileId)) {
                    kept.add(e);
                }
            });
            if (join(state.compareAndSet(key, now.get().version(), kept.toString(),
                    Optional.of(limits.retention()))).isPresent()) {
                return;
            }
        }
        throw new IllegalStateException("the upload quota " + key + " stayed contended");
    }

    /** The entries of a quota record that are younger than the retention. */
    private ArrayNode live(Optional<StateRecord> record) {
        ArrayNode out = JSON.createArrayNode();
        long cutoff = clock.millis() - limits.retention().toMillis();
        record.ifPresent(r -> parse(r.value()).forEach(e -> {
            if (e.path("at").asLong() >= cutoff) {
                out.add(e);
            }
        }));
        return out;
    }

    private static String fileKey(String id) {
        return "webchat.file:" + id;
    }

    private static String sessionQuotaKey(String session) {
        return "webchat.quota.session:" + hash(session);
    }

    private static String addressQuotaKey(String address) {
        return "webchat.quota.address:" + hash(address);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable webchat file record", e);
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while using the channel state", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the channel state failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the channel state did not answer in " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public String toString() {
        return "StateFileCatalog[" + state + "]";
    }
}
