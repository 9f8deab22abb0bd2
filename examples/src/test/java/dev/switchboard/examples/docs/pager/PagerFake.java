package dev.switchboard.examples.docs.pager;

import dev.switchboard.channel.Channel;
import dev.switchboard.testkit.PlatformFake;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where the Pager fake of docs/write-your-own-channel.md would be: the sample hands it to the kit, so it compiles
 * against the kit's {@link PlatformFake}, but it is a stub (a real one is an HTTP server speaking Pager's API that
 * POSTs signed updates to the bound channel's webhook).
 */
final class PagerFake implements PlatformFake {

    static PagerFake start() {
        return new PagerFake();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:1/");
    }

    @Override
    public void bind(Channel channel) {
        throw stub();
    }

    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        throw stub();
    }

    @Override
    public void redeliver(String eventId) {
        throw stub();
    }

    @Override
    public String knownRecipient() {
        throw stub();
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        throw stub();
    }

    @Override
    public void failNextSendWithServerError() {
        throw stub();
    }

    @Override
    public void failNextSendWithPermanentError() {
        throw stub();
    }

    @Override
    public List<SentMessage> sent() {
        throw stub();
    }

    @Override
    public void close() {
    }

    private static UnsupportedOperationException stub() {
        return new UnsupportedOperationException("PagerFake is a stub for the docs' samples");
    }
}
