package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.error;
import static dev.switchboard.channel.webchat.WebchatJson.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attached visitor stream: the server passes each text frame the visitor sends to {@link #onFrame} and calls
 * {@link #onClose} once when the stream ends for any reason.
 */
final class VisitorStream implements StreamListener {
    private static final Logger log = LoggerFactory.getLogger(VisitorStream.class);
    static final VisitorStream CLOSED = new VisitorStream(null, null, null, null, null);
    private final VisitorStreams endpoint;
    private final VisitorFrames frames;
    private final LiveSession session;
    private final StreamSession connection;
    private final String remoteAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    VisitorStream(VisitorStreams endpoint, VisitorFrames frames, LiveSession session, StreamSession connection,
                  String remoteAddress) {
        this.endpoint = endpoint;
        this.frames = frames;
        this.session = session;
        this.connection = connection;
        this.remoteAddress = remoteAddress;
    }

    /** Whether the stream was refused (bad token, too many connections) and is being closed. */
    boolean refused() {
        return endpoint == null;
    }

    /** Handles one frame the visitor sent over this stream. */
    @Override
    public void onFrame(String text) {
        if (endpoint == null || closed.get()) {
            return;
        }
        JsonNode frame = text.length() > VisitorStreams.MAX_FRAME_BYTES ? null : parse(text.getBytes(StandardCharsets.UTF_8));
        if (frame == null) {
            connection.send(0, error("bad_request", "a frame must be a JSON object of at most "
                    + VisitorStreams.MAX_FRAME_BYTES + " bytes").toString());
            return;
        }
        try {
            frames.onFrame(session, frame, remoteAddress);
        } catch (RuntimeException e) {
            log.warn("webchat: frame of session {} failed", session.id, e);
            connection.send(0, error("internal", "the server could not handle the frame").toString());
        }
    }

    /** The stream ended; idempotent. */
    @Override
    public void onClose() {
        if (endpoint == null || !closed.compareAndSet(false, true)) {
            return;
        }
        endpoint.released(session, connection, remoteAddress);
    }
}
