package dev.switchboard.channel.webchat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the files and bytes each session and address has stored, and the total, against {@link UploadLimits}.
 * Reservations are released when a file expires. Counts live in memory: after a restart they start from zero while
 * the store's own total bound still holds. Used only until the channel is bound to a channel state; then
 * {@link StateFileCatalog} counts for every node. Thread-safe (one lock; uploads are rare).
 */
final class UploadQuota {
    private final UploadLimits limits;
    private final Map<String, long[]> perSession = new HashMap<>();
    private final Map<String, long[]> perAddress = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private long total;

    private record Held(String session, String address, long bytes) {
    }

    UploadQuota(UploadLimits limits) {
        this.limits = limits;
    }

    /** Reserves room for file {@code fileId}; the error message when a bound would be exceeded. */
    synchronized Optional<String> reserve(String fileId, String session, String address, long bytes) {
        long[] s = perSession.getOrDefault(session, new long[2]);
        long[] a = perAddress.getOrDefault(address, new long[2]);
        if (s[0] + 1 > limits.filesPerSession() || s[1] + bytes > limits.bytesPerSession()) {
            return Optional.of("this chat may keep at most " + limits.filesPerSession() + " files and "
                    + limits.bytesPerSession() + " bytes");
        }
        if (a[0] + 1 > limits.filesPerAddress() || a[1] + bytes > limits.bytesPerAddress()) {
            return Optional.of("this address may keep at most " + limits.filesPerAddress() + " files and "
                    + limits.bytesPerAddress() + " bytes");
        }
        if (total + bytes > limits.totalBytes()) {
            return Optional.of("the chat's file storage is full");
        }
        s[0]++;
        s[1] += bytes;
        a[0]++;
        a[1] += bytes;
        perSession.put(session, s);
        perAddress.put(address, a);
        total += bytes;
        held.put(fileId, new Held(session, address, bytes));
        return Optional.empty();
    }

    /** Gives back what {@code fileId} reserved (it expired, or could not be stored); unknown ids are ignored. */
    synchronized void release(String fileId) {
        Held h = held.remove(fileId);
        if (h == null) {
            return;
        }
        total -= h.bytes;
        decrement(perSession, h.session, h.bytes);
        decrement(perAddress, h.address, h.bytes);
    }

    private static void decrement(Map<String, long[]> map, String key, long bytes) {
        long[] v = map.get(key);
        if (v != null) {
            v[0]--;
            v[1] -= bytes;
            if (v[0] <= 0) {
                map.remove(key);
            }
        }
    }
}
