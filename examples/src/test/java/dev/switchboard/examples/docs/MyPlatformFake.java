package dev.switchboard.examples.docs;

import dev.switchboard.channel.Channel;
import dev.switchboard.testkit.PlatformFake;
import dev.switchboard.testkit.loopback.LoopbackPlatform;
import java.time.Duration;
import java.util.List;

/**
 * The platform fake docs/channel-testkit.md hands the kit, reduced to what the sample calls: {@code start()} and
 * {@code url()}; the kit's {@link PlatformFake} methods are the loopback platform's.
 */
final class MyPlatformFake implements PlatformFake {

    private final LoopbackPlatform platform = new LoopbackPlatform("123:secret");

    MyPlatformFake start() {
        return this;
    }

    String url() {
        return "http://127.0.0.1:1/my-platform";
    }

    @Override
    public void bind(Channel channel) {
        platform.bind(channel);
    }

    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        return platform.deliverText(platformUserId, displayName, text);
    }

    @Override
    public void redeliver(String eventId) {
        platform.redeliver(eventId);
    }

    @Override
    public String knownRecipient() {
        return platform.knownRecipient();
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        platform.failNextSendWithRateLimit(retryAfter);
    }

    @Override
    public void failNextSendWithServerError() {
        platform.failNextSendWithServerError();
    }

    @Override
    public void failNextSendWithPermanentError() {
        platform.failNextSendWithPermanentError();
    }

    @Override
    public List<SentMessage> sent() {
        return platform.sent();
    }

    @Override
    public void close() {
        platform.close();
    }
}
