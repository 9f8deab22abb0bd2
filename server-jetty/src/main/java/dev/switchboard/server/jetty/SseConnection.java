package dev.switchboard.server.jetty;

import dev.switchboard.channel.webchat.WebchatConnection;
import dev.switchboard.channel.webchat.WebchatEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Server-Sent Events response as a {@link WebchatConnection}: frames become {@code id:}/{@code data:} records,
 * written one at a time (Jetty allows one pending write per response) from a queue, so callers never block.
 */
final class SseConnection implements WebchatConnection {
    private final Response response;
    private final Callback done;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private WebchatEndpoint.VisitorStream stream;
    private boolean writing;
    private boolean closeRequested;
    private boolean finished;
    private boolean ended;

    SseConnection(Response response, Callback done) {
        this.response = response;
        this.done = done;
    }

    void attach(WebchatEndpoint.VisitorStream stream) {
        synchronized (this) {
            this.stream = stream;
            if (!finished) {
                return;
            }
        }
        stream.closed();
    }

    @Override
    public void send(long seq, String json) {
        String record = (seq > 0 ? "id: " + seq + "\n" : "") + "data: " + json + "\n\n";
        enqueue(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)));
    }

    /** A comment line that keeps proxies and the idle timeout from closing a quiet stream. */
    void heartbeat() {
        enqueue(ByteBuffer.wrap(": hb\n\n".getBytes(StandardCharsets.UTF_8)));
    }

    private void enqueue(ByteBuffer buffer) {
        synchronized (this) {
            if (finished || closeRequested) {
                return;
            }
            queue.addLast(buffer);
        }
        flush();
    }

    @Override
    public void close(int code, String reason) {
        synchronized (this) {
            closeRequested = true;
        }
        flush();
    }

    boolean isFinished() {
        synchronized (this) {
            return finished;
        }
    }

    private void flush() {
        ByteBuffer next;
        boolean last;
        synchronized (this) {
            if (writing || finished) {
                return;
            }
            next = queue.pollFirst();
            last = next == null && closeRequested;
            if (next == null && !last) {
                return;
            }
            writing = true;
            if (last) {
                finished = true;
            }
        }
        if (last) {
            response.write(true, ByteBuffer.allocate(0), Callback.from(() -> end(null), this::end));
            return;
        }
        response.write(false, next, Callback.from(() -> {
            synchronized (this) {
                writing = false;
            }
            flush();
        }, this::end));
    }

    /** The stream ended (completed, or the client went away): release the webchat stream and the request. */
    void end(Throwable failure) {
        WebchatEndpoint.VisitorStream s;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            finished = true;
            queue.clear();
            s = stream;
        }
        if (s != null) {
            s.closed();
        }
        if (failure == null) {
            done.succeeded();
        } else {
            done.failed(failure);
        }
    }
}
