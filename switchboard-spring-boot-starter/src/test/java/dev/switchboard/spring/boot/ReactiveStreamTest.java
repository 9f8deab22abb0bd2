package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebFlux stream session on its own: sends never block and keep their order, a close completes the frames after
 * the queued ones, a client that falls too far behind is cut off with 1013 instead of growing the queue, and the
 * listener hears the end once.
 */
class ReactiveStreamTest {
    private final StreamSenders senders = new StreamSenders();
    private final WebhookRequest opening = new WebhookRequest("GET", "/s", Map.of(), Map.of(), new byte[0],
            Optional.empty());

    @AfterEach
    void close() {
        senders.close();
    }

    @Test
    void framesComeOutInOrderAndCloseFollowsTheQueuedOnes() {
        ReactiveStream stream = new ReactiveStream(opening, StreamTransport.WEBSOCKET, senders, () -> { });
        stream.send(1, "a");
        stream.send("b");
        stream.close(4000, "done");
        stream.send("dropped");
        assertThat(stream.frames().map(ReactiveStream.Frame::text).collectList().block(Duration.ofSeconds(10)))
                .containsExactly("a", "b");
        assertThat(stream.closeCode()).isEqualTo(4000);
        assertThat(stream.closeReason()).isEqualTo("done");
    }

    @Test
    void aClientThatFallsTooFarBehindIsCutOffWith1013() {
        AtomicInteger aborted = new AtomicInteger();
        ReactiveStream stream = new ReactiveStream(opening, StreamTransport.WEBSOCKET, senders,
                aborted::incrementAndGet);
        // Nobody reads: the queue fills up, and the send after it cuts the client off instead of blocking.
        for (int i = 0; i <= ReactiveStream.MAX_QUEUED + 10; i++) {
            stream.send(i, "frame " + i);
        }
        assertThat(aborted).hasValue(1);
        assertThat(stream.closeCode()).isEqualTo(ReactiveStream.TOO_SLOW);
        assertThat(stream.isClosing()).isTrue();
    }

    @Test
    void theListenerHearsTheEndOnceAndStopsTheHeartbeat() {
        ReactiveStream stream = new ReactiveStream(opening, StreamTransport.SERVER_SENT_EVENTS, senders, () -> { });
        List<String> heard = new ArrayList<>();
        AtomicInteger heartbeatStops = new AtomicInteger();
        stream.attach(new StreamListener() {
            @Override
            public void onFrame(String text) {
                heard.add(text);
            }

            @Override
            public void onClose() {
                heard.add("closed");
            }
        });
        stream.heartbeat(heartbeatStops::incrementAndGet);
        stream.frame("hi");
        stream.ended();
        stream.ended();
        stream.frame("late");
        assertThat(heard).containsExactly("hi", "closed");
        assertThat(heartbeatStops).hasValue(1);
    }

    @Test
    void stoppingTheApplicationClosesOpenStreamsWith1001() {
        ReactiveStream stream = new ReactiveStream(opening, StreamTransport.WEBSOCKET, senders, () -> { });
        senders.start();
        senders.stop();
        assertThat(stream.closeCode()).isEqualTo(1001);
        assertThat(stream.frames().collectList().block(Duration.ofSeconds(10))).isEmpty();
    }
}
