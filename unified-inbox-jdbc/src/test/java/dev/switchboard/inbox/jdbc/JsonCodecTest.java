package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Span;
import dev.switchboard.content.Style;
import dev.switchboard.content.Text;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.AttributeConflict;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.Priority;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.ChoiceMap;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private static final TenantId TENANT = TenantId.of("acme");
    private static final ChannelId TG = ChannelId.of("telegram-main");

    private final JsonCodec codec = new JsonCodec();

    private static final Cards CARDS = Cards.builder().prompt("Pick")
            .card(Card.builder("Green").description("Sencha").image(Media.of(MediaKind.IMAGE, "image/jpeg",
                    new MediaSource.PlatformFile(TG, "p1"))).postback("Buy", "buy:green")
                    .link("More", URI.create("https://shop.example/green"))
                    .defaultLink(URI.create("https://shop.example/g")).build())
            .card(Card.builder("Black").build())
            .build();

    private <V> V roundTrip(V value, Class<V> type) {
        return codec.read(codec.write(value), type);
    }

    @Test
    void everyPartKindRoundTrips() {
        Content content = Content.of(
                Text.of(Span.plain("hi "), Span.styled("bold", Style.BOLD, Style.ITALIC),
                        Span.link("site", URI.create("https://example.com/a?b=c"))),
                new Media(MediaKind.IMAGE, "image/png", Optional.of("a.png"), OptionalLong.of(42),
                        new MediaSource.Url(URI.create("https://cdn.example.com/a.png")), Optional.of(Text.plain("cap"))),
                Media.of(MediaKind.VOICE, "audio/ogg", new MediaSource.PlatformFile(TG, "file-1")),
                Media.of(MediaKind.FILE, "application/octet-stream",
                        new MediaSource.Inline(new byte[] {0, (byte) 0xff, 0x7f, (byte) 0xc3})),
                new Location(55.75, 37.61, Optional.of("Shop"), Optional.of("Tverskaya 1")),
                Location.of(-90, 180),
                new ContactCard("Ivan", Optional.of("+79161234567"), Optional.empty()),
                new Choices(Optional.of(Text.plain("Pick")), List.of(
                        Choice.postback("One", "p1"),
                        Choice.link("Open", URI.create("https://example.com")),
                        Choice.sharePhone("Share phone"))),
                new Choices(Optional.empty(), List.of(Choice.postback("x", "y"))),
                CARDS);

        assertThat(roundTrip(content, Content.class)).isEqualTo(content);
    }

    @Test
    void anInlineImageKeepsItsContentIdAndOlderRowsReadAsAttachments() {
        Media inline = Media.of(MediaKind.IMAGE, "image/png", new MediaSource.PlatformFile(TG, "1.2/2/m@x"))
                .withFileName("logo.png").withInline(Optional.of("logo@mail.example"));
        Content content = Content.of(inline);
        assertThat(roundTrip(content, Content.class)).isEqualTo(content);
        String older = codec.write(content).replace(",\"contentId\":\"logo@mail.example\"", "")
                .replace(",\"inline\":true", "");
        assertThat(older).doesNotContain("contentId").doesNotContain("inline\"");
        Media read = (Media) codec.read(older, Content.class).parts().get(0);
        assertThat(read.contentId()).isEmpty();
        assertThat(read.inline()).isFalse();
        assertThat(read.fileName()).contains("logo.png");
    }

    @Test
    void everyBubbleKindRoundTripsInsideAnOutboundMessage() {
        ChannelAccount recipient = ChannelAccount.of(TENANT, TG, "42", Profile.named("Ann").withUsername("ann"));
        List<Bubble> bubbles = List.of(
                new Bubble.TextBubble("<b>hi</b>", "hi", Markup.HTML, List.of(Choice.postback("Yes", "yes"),
                        Choice.link("Docs", URI.create("https://example.com/docs")), Choice.sharePhone("Phone"))),
                Bubble.TextBubble.plain("plain"),
                new Bubble.MediaBubble(Media.of(MediaKind.IMAGE, "image/jpeg",
                        new MediaSource.Inline(new byte[] {1, 2, 3})).withCaption(Text.plain("c")),
                        Optional.of("*c*"), Markup.TELEGRAM_MARKDOWN_V2),
                new Bubble.MediaBubble(Media.of(MediaKind.STICKER, "image/webp",
                        new MediaSource.PlatformFile(TG, "s1")), Optional.empty(), Markup.PLAIN),
                new Bubble.LocationBubble(new Location(1.5, 2.5, Optional.empty(), Optional.of("addr"))),
                new Bubble.ContactBubble(new ContactCard("Bob", Optional.empty(), Optional.of("bob@example.com"))),
                new Bubble.CardsBubble(CARDS, Optional.of("<b>Pick</b>"), Markup.HTML));
        for (Bubble bubble : bubbles) {
            OutboundMessage message = new OutboundMessage(TG, recipient, MessageId.of("m1"), 2, bubble, "m1:2",
                    Optional.of("pm-7"), new ThreadHints(List.of("a", "b"), Optional.of("AB12"), Optional.of("Re: x")),
                    Optional.of("Agent Smith"), true);
            assertThat(roundTrip(message, OutboundMessage.class)).isEqualTo(message);
        }
    }

    @Test
    void customerWithEverySubStructureRoundTrips() {
        Customer customer = sampleCustomer(CustomerId.of("c1"));
        assertThat(roundTrip(customer, Customer.class)).isEqualTo(customer);
        String json = codec.write(customer);
        assertThat(json).doesNotContain("\"merged\"");
    }

    @Test
    void preferencesWithFallbacksQuietHoursAndLanguageRoundTripAndOlderRowsReadAsEmpty() {
        Customer base = sampleCustomer(CustomerId.of("c2"));
        Customer full = base.withPreferences(base.preferences().withPreferredChannels(ChannelType.EMAIL,
                ChannelType.VK, ChannelType.TELEGRAM).withQuietHours(new dev.switchboard.model.QuietHours(
                java.time.LocalTime.of(22, 0), java.time.LocalTime.of(8, 30), java.time.ZoneId.of("Asia/Yekaterinburg")))
                .withLanguage("ru"), T);
        assertThat(roundTrip(full, Customer.class)).isEqualTo(full);

        // a customer stored before these parts existed has none of them
        String older = codec.write(base).replace(",\"fallbackChannels\":[]", "")
                .replace(",\"quietHours\":null", "").replace(",\"language\":null}", "}");
        assertThat(older).doesNotContain("fallbackChannels").doesNotContain("quietHours");
        Preferences read = codec.read(older, Customer.class).preferences();
        assertThat(read).isEqualTo(base.preferences());
        assertThat(read.fallbackChannels()).isEmpty();
        assertThat(read.quietHours()).isEmpty();
        assertThat(read.language()).isEmpty();
    }

    @Test
    void mergeRecordAndSuggestionRoundTrip() {
        MergeRecord record = new MergeRecord(TENANT, new MergeId("m1"), CustomerId.of("a"), CustomerId.of("b"),
                List.of(Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"), "telegram.contact", T)),
                "same phone", "identity-engine", sampleCustomer(CustomerId.of("a")), sampleCustomer(CustomerId.of("b")),
                T, Optional.of(T.plusSeconds(5)));
        assertThat(roundTrip(record, MergeRecord.class)).isEqualTo(record);

        MergeSuggestion suggestion = new MergeSuggestion(TENANT, new SuggestionId("s1"), CustomerId.of("a"),
                CustomerId.of("b"), 0.75, List.of("similar name"), MergeSuggestion.Status.REJECTED, T,
                Optional.of(T), Optional.of("agent-1"));
        assertThat(roundTrip(suggestion, MergeSuggestion.class)).isEqualTo(suggestion);
    }

    @Test
    void conversationChoiceMapAndAttributesRoundTrip() {
        Conversation conversation = new Conversation(TENANT, ConversationId.of("k1"), CustomerId.of("c1"),
                dev.switchboard.model.ConversationStatus.SNOOZED, Priority.URGENT, Optional.of("agent"),
                Set.of("vip", "billing"), Optional.of(TG), T, T, Optional.of(T), Optional.empty(), Optional.of(T),
                Optional.of("Order 1042: wrong size"));
        assertThat(roundTrip(conversation, Conversation.class)).isEqualTo(conversation);
        // rows written before conversations had a subject read with none
        String older = codec.write(conversation).replace(",\"subject\":\"Order 1042: wrong size\"", "");
        assertThat(older).doesNotContain("subject");
        assertThat(codec.conversation(older).subject()).isEmpty();

        ChoiceMap map = new ChoiceMap(Map.of("1", "yes", "2", "no"));
        assertThat(roundTrip(map, ChoiceMap.class)).isEqualTo(map);

        Map<String, String> attributes = Map.of("a", "1", "ключ", "значение \"quoted\"");
        assertThat(codec.readStringMap(codec.write(attributes))).isEqualTo(attributes);
    }

    static Customer sampleCustomer(CustomerId id) {
        AccountKey key = new AccountKey(TENANT, TG, "42");
        return new Customer(TENANT, id, Optional.of("Анна"), Optional.of("ru"),
                List.of(new LinkedAccount(new ChannelAccount(key, Profile.named("Ann").withLanguage("ru")),
                        "inbound", T, true)),
                List.of(new CustomerContact(new ContactPoint(ContactPoint.Kind.EMAIL, "ann@example.com"), true,
                        "email.sender", T, Optional.of(key)),
                        new CustomerContact(ContactPoint.externalId("u-1"), false, "host", T, Optional.empty())),
                Map.of("plan", "gold"),
                new Preferences(Optional.of(ChannelType.EMAIL), Set.of(ChannelType.TELEGRAM),
                        List.of(new Consent("marketing", Optional.of(ChannelType.EMAIL), true, T, "form"),
                                new Consent("marketing", Optional.empty(), false, T.plusSeconds(1), "agent"))),
                List.of(new AttributeConflict("displayName", "Анна", "Anna", CustomerId.of("x"), T)),
                Optional.of(CustomerId.of("survivor")), T, T.plusSeconds(60));
    }
}
