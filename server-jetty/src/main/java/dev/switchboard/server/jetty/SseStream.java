package dev.switchboard.server.jetty;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Server-Sent Events response as a {@link StreamSession}: frames become {@code id:}/{@code data:} records, written
 * one at a time (Jetty allows one pending write per response) from a queue, so callers never block.
 */
final class SseStream implements StreamSession {
    private final WebhookRequest request;
    private final Response response;
    private final Callback done;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private StreamListener stream;
    private boolean writing;
    private boolean closeRequested;
    private boolean finished;
    private boolean ended;

    SseStream(WebhookRequest request, Response response, Callback done) {
        this.request = request;
        this.response = response;
        this.done = done;
    }

    @Override
    public WebhookRequest request() {
        return request;
    }

    @Override
    public StreamTransport transport() {
        return StreamTransport.SERVER_SENT_EVENTS;
    }

    void attach(StreamListener stream) {
        synchronized (this) {
            this.stream = stream;
            if (!finished) {
                return;
            }
        }
        stream.onClose();
    }

    @Override
    public void send(long seq, String text) {
        // One data: line per line of the frame, as the format requires for multi-line payloads.
        String record = (seq > 0 ? "id: " + seq + "\n" : "") + "data: " + text.replace("\r\n", "\n")
                .replace("\r", "\n").replace("\n", "\ndata: ") + "\n\n";
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

    /** The stream ended (completed, or the client went away): release the channel's listener and the request. */
    void end(Throwable failure) {
        StreamListener s;
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
            s.onClose();
        }
        if (failure == null) {
            done.succeeded();
        } else {
            done.failed(failure);
        }
    }
}
