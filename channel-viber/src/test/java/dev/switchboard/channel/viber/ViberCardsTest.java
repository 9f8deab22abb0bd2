package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.RecordingInboundSink;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cards as Viber rich media for current clients, degraded to text and numbered choices for old ones. */
class ViberCardsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final ViberFake fake = new ViberFake(clock);
    private final ViberChannel channel = TestChannels.against(fake).clock(clock).build();
    private final RecordingInboundSink sink = new RecordingInboundSink();

    @BeforeEach
    void start() throws Exception {
        fake.pushTo(channel.webhook().orElseThrow());
        channel.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        channel.stop();
        fake.close();
    }

    private static Content bouquets() {
        Media roses = Media.of(MediaKind.IMAGE, "image/jpeg", new MediaSource.Url(URI.create(
                "https://shop.example/roses.jpg")));
        return Content.of(Cards.builder().prompt("Our bouquets:")
                .card(Card.builder("Roses <red>").description("Twelve & fresh").image(roses)
                        .postback("Buy", "buy:roses").link("More", URI.create("https://shop.example/roses"))
                        .defaultLink(URI.create("https://shop.example/roses")).build())
                .card(Card.builder("Tulips").description("Spring").image(roses).postback("Buy", "buy:tulips")
                        .link("More", URI.create("https://shop.example/tulips"))
                        .defaultLink(URI.create("https://shop.example/tulips")).build())
                .build());
    }

    private ChannelAccount account(String user) {
        return ChannelAccount.of(TestChannels.TENANT, TestChannels.ID, user, Profile.EMPTY);
    }

    private void sendAll(String user, RenderedMessage rendered) throws Exception {
        for (Bubble bubble : rendered.bubbles()) {
            channel.send(OutboundMessage.simple(TestChannels.ID, account(user), bubble)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private InboundEvent reply(String user, String text) {
        String token = fake.deliverText(user, "Customer", text);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(token).isEmpty());
        return sink.eventsWithId(token).get(0);
    }

    @Test
    void aCurrentClientGetsOneRichMediaMessageAfterThePromptAndAPressMapsBackToItsCard() throws Exception {
        reply("u-new==", "hi");
        RenderedMessage rendered = Renderer.standard().render(bouquets(), channel.capabilities(account("u-new==")));
        assertThat(rendered.bubbles()).singleElement().isInstanceOf(Bubble.CardsBubble.class);
        sendAll("u-new==", rendered);

        assertThat(fake.delivered()).extracting(ViberFake.Delivered::type).containsExactly("text", "rich_media");
        assertThat(fake.delivered().get(0).text()).isEqualTo("Our bouquets:");
        ViberFake.Delivered carousel = fake.delivered().get(1);
        assertThat(carousel.minApiVersion()).isEqualTo(2);
        assertThat(carousel.buttons()).as("the same label on two cards names its card")
                .containsExactly("Buy (Roses <red>)", "Buy (Tulips)");
        assertThat(carousel.text()).as("card text is escaped: a title cannot inject markup")
                .contains("<b>Roses &lt;red&gt;</b><br>Twelve &amp; fresh", "<b>Tulips</b><br>Spring");
        assertThat(carousel.body()).contains("\"ButtonsGroupRows\":7", "https://shop.example/roses.jpg",
                "\"ActionType\":\"open-url\"");

        assertThat(reply("u-new==", "Buy (Tulips)")).isInstanceOfSatisfying(InboundEvent.Postback.class,
                p -> assertThat(p.payload()).isEqualTo("buy:tulips"));
    }

    @Test
    void aClientBelowApiVersionTwoGetsTextAndNumberedChoicesThatMapBack() throws Exception {
        fake.addUser("u-old==", "Old Phone", 1);
        reply("u-old==", "hi");
        assertThat(channel.capabilities(account("u-old==")).cards()).isEmpty();
        RenderedMessage rendered = Renderer.standard().render(bouquets(), channel.capabilities(account("u-old==")));
        assertThat(rendered.bubbles()).noneMatch(b -> b instanceof Bubble.CardsBubble);
        sendAll("u-old==", rendered);

        assertThat(fake.delivered()).extracting(ViberFake.Delivered::type).doesNotContain("rich_media");
        assertThat(fake.delivered()).extracting(ViberFake.Delivered::minApiVersion).containsOnly(1);
        assertThat(String.join("\n", fake.delivered().stream().map(ViberFake.Delivered::text).toList()))
                .contains("Roses <red>", "Tulips");
    }

    @Test
    void everyCardFillsOneBlockSoViberShowsOneCardPerSwipe() {
        Card bare = Card.builder("Only a title").build();
        Card full = Card.builder("Full").description("d").image(Media.of(MediaKind.IMAGE, "image/png",
                new MediaSource.Url(URI.create("https://x.example/a.png")))).postback("A", "a").postback("B", "b")
                .postback("C", "c").build();
        ViberRichMedia.Built built = ViberRichMedia.build(Cards.of(bare, full), m -> "https://x.example/a.png");
        int rows = built.buttons().stream().mapToInt(b -> (Integer) b.get("Rows")).sum();
        assertThat(rows).isEqualTo(2 * ViberRichMedia.ROWS);
        assertThat(built.offered()).containsEntry("A", "a").containsEntry("C", "c");
        assertThat(ViberRichMedia.text(Card.builder("T").description("x".repeat(400)).build()))
                .hasSizeLessThanOrEqualTo(ViberRichMedia.MAX_CELL_TEXT);
    }
}
