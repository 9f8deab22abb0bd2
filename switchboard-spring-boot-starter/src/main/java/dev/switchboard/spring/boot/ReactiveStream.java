package dev.switchboard.spring.boot;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One WebSocket or Server-Sent Events stream on WebFlux as the channel's {@link StreamSession}: {@link #send} puts the
 * frame in a bounded queue and returns at once (never blocks, may be called under the channel's locks, from any
 * thread); the server writes the queue as the client's connection takes it ({@link #frames()}, backpressured by the
 * transport). A client that falls {@value #MAX_QUEUED} frames behind is cut off ({@code abort}, WebSocket code 1013)
 * instead of growing the queue without bound. {@link #close} completes the queue after the frames already in it, and
 * the listener hears {@link StreamListener#onClose()} once, whoever ended the stream. Thread-safe. Internal.
 */
final class ReactiveStream implements StreamSession {
    private static final Logger log = LoggerFactory.getLogger(ReactiveStream.class);
    /** Frames one slow client may have waiting before it is cut off. */
    static final int MAX_QUEUED = 4096;
    /** Close code for a client that does not keep up: "try again later". */
    static final int TOO_SLOW = 1013;

    /** One queued frame; a comment (SSE heartbeat) carries no data for the client's application. */
    record Frame(long seq, String text, boolean comment) {
    }

    private final WebhookRequest request;
    private final StreamTransport transport;
    private final Sinks.Many<Frame> queue =
            Sinks.many().unicast().onBackpressureBuffer(Queues.<Frame>get(MAX_QUEUED).get());
    private final Runnable forget;
    private final Runnable abort;
    private StreamListener listener;
    private Runnable stopHeartbeat = () -> { };
    private int closeCode = 1000;
    private String closeReason = "";
    private boolean closing;
    private boolean ended;
    private boolean notified;

    /**
     * @param senders where the stream is registered to be closed (1001) when the application stops
     * @param abort ends the connection at once (a client that fell too far behind)
     */
    ReactiveStream(WebhookRequest request, StreamTransport transport, StreamSenders senders, Runnable abort) {
        this.request = request;
        this.transport = transport;
        this.abort = abort;
        this.forget = senders.opened(() -> close(1001, "server stopping"));
    }

    @Override
    public WebhookRequest request() {
        return request;
    }

    @Override
    public StreamTransport transport() {
        return transport;
    }

    @Override
    public void send(long seq, String text) {
        enqueue(new Frame(seq, text, false));
    }

    /** Queues a comment line (Server-Sent Events only). */
    void comment(String text) {
        enqueue(new Frame(0, text, true));
    }

    private void enqueue(Frame frame) {
        boolean overflow;
        synchronized (this) {
            if (closing || ended) {
                return;
            }
            // Emits are serialised by this lock, as a unicast sink requires.
            Sinks.EmitResult result = queue.tryEmitNext(frame);
            // A full queue answers FAIL_ZERO_SUBSCRIBER before the connection subscribed, FAIL_OVERFLOW after.
            overflow = result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER;
            if (overflow) {
                closing = true;
                closeCode = TOO_SLOW;
                closeReason = "client too slow";
            }
        }
        if (overflow) {
            log.debug("stream {}: client fell {} frames behind; closing", request.path(), MAX_QUEUED);
            abort.run();
        }
    }

    @Override
    public void close(int code, String reason) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            closeCode = code;
            closeReason = reason == null ? "" : reason;
            queue.tryEmitComplete();
        }
    }

    /** The frames to write, in call order; completes after {@link #close} once the queued frames are out. */
    Flux<Frame> frames() {
        return queue.asFlux();
    }

    synchronized int closeCode() {
        return closeCode;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    synchronized boolean isClosing() {
        return closing || ended;
    }

    /** Keeps {@code stop} to cancel the stream's heartbeat when it ends (at once if it already has). */
    void heartbeat(Runnable stop) {
        synchronized (this) {
            if (!ended) {
                stopHeartbeat = stop;
                return;
            }
        }
        stop.run();
    }

    /** Hands the handler's listener over; if the stream already ended, it hears so now. */
    void attach(StreamListener l) {
        synchronized (this) {
            listener = l;
            if (!ended || notified) {
                return;
            }
            notified = true;
        }
        l.onClose();
    }

    /** A frame from the client (WebSocket), dropped once the stream is closing. */
    void frame(String text) {
        StreamListener l;
        synchronized (this) {
            if (closing || ended) {
                return;
            }
            l = listener;
        }
        if (l != null) {
            l.onFrame(text);
        }
    }

    /** The connection is gone: stop the heartbeat, forget the stream, tell the listener once. */
    void ended() {
        forget.run();
        StreamListener l = null;
        Runnable stop;
        synchronized (this) {
            ended = true;
            stop = stopHeartbeat;
            stopHeartbeat = () -> { };
            queue.tryEmitComplete();
            if (listener != null && !notified) {
                notified = true;
                l = listener;
            }
        }
        stop.run();
        if (l != null) {
            l.onClose();
        }
    }

    @Override
    public String toString() {
        return "ReactiveStream[" + transport + " " + request.path() + "]";
    }
}
