package dev.switchboard.channel;

/**
 * What a {@link StreamHandler} does with one open stream after {@link StreamHandler#open}: the frames the client sends
 * (WebSocket only) and the end of the stream. The server calls {@link #onFrame} for one stream from one thread at a
 * time, in the order the frames arrived, and {@link #onClose} exactly once, whoever closed it.
 */
public interface StreamListener {

    /** A listener for a stream that was refused in {@code open} (it has been closed) or that ignores input. */
    StreamListener NONE = new StreamListener() {
        @Override
        public void onFrame(String text) {
        }

        @Override
        public void onClose() {
        }
    };

    /** One text frame from the client, at most the route's {@link StreamRoute#maxFrameBytes()}. */
    void onFrame(String text);

    /** The stream ended: closed by either side, timed out or failed. Release what the stream held. */
    void onClose();
}
