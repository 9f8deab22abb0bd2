package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code switchboard.streams.open} counts a channel's open client streams per transport: up when the server hands a
 * stream to the channel, down once when the server reports its end; the channel's listener still hears everything.
 */
class OpenStreamsMetricsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeChannel chat = FakeChannel.of("site", ChannelType.WEBCHAT);

    /** A stream as a server would hand it over. */
    private record Session(StreamTransport transport) implements StreamSession {
        @Override
        public WebhookRequest request() {
            return new WebhookRequest("GET", "/chat/ws", Map.of(), Map.of(), new byte[0], Optional.empty());
        }

        @Override
        public void send(long seq, String text) {
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    private double open(String transport) {
        var gauge = meters.find("switchboard.streams.open").tags("channel", "site", "channel.type", "webchat",
                "transport", transport).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void openStreamsAreCountedPerTransportUntilTheServerReportsTheirEnd() {
        List<String> heard = new ArrayList<>();
        StreamRoute route = new StreamRoute("/chat/ws", Set.of(StreamTransport.WEBSOCKET,
                StreamTransport.SERVER_SENT_EVENTS), 1024, session -> new StreamListener() {
            @Override
            public void onFrame(String text) {
                heard.add(text);
            }

            @Override
            public void onClose() {
                heard.add("closed");
            }
        });
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meters).build();
        StreamRoute counted = metrics.instrument(chat, route);
        assertThat(counted.path()).isEqualTo("/chat/ws");
        assertThat(counted.transports()).isEqualTo(route.transports());

        StreamListener first = counted.handler().open(new Session(StreamTransport.WEBSOCKET));
        StreamListener second = counted.handler().open(new Session(StreamTransport.WEBSOCKET));
        StreamListener sse = counted.handler().open(new Session(StreamTransport.SERVER_SENT_EVENTS));
        assertThat(open("websocket")).isEqualTo(2);
        assertThat(open("server_sent_events")).isEqualTo(1);

        first.onFrame("hi");
        first.onClose();
        first.onClose();
        sse.onClose();
        assertThat(open("websocket")).isEqualTo(1);
        assertThat(open("server_sent_events")).isZero();
        assertThat(heard).containsExactly("hi", "closed", "closed", "closed");
        second.onClose();
        assertThat(open("websocket")).isZero();
    }

    @Test
    void aHandlerThatThrowsLeavesNoStreamCounted() {
        StreamRoute failing = StreamRoute.webSocket("/chat/ws", 1024, session -> {
            throw new IllegalStateException("broken");
        });
        StreamRoute counted = SwitchboardMetrics.builder(meters).build().instrument(chat, failing);
        assertThatThrownBy(() -> counted.handler().open(new Session(StreamTransport.WEBSOCKET)))
                .hasMessage("broken");
        assertThat(open("websocket")).isZero();
    }
}
