package dev.switchboard.render;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.TextLengthUnit;
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
import dev.switchboard.model.ChannelId;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every escaping rule and every degradation, rendered and compared exactly with a golden file under
 * {@code src/test/resources/golden/}. Regenerate with {@code -Dgolden.update=true} after a deliberate change and
 * review the diff.
 */
class RendererGoldenTest {
    private static final Renderer R = Renderer.standard();
    private static final String RESERVED = "Reserved: _ * [ ] ( ) ~ ` > # + - = | { } . ! \\ & < > \" ' end";

    private static void golden(String name, Content content, Capabilities caps) {
        Golden.check(name, caps, R.render(content, caps));
    }

    /** The same content in all three markup flavours: name-plain, name-html, name-markdownv2. */
    private static void everyMarkup(String name, Content content, int maxLength, TextLengthUnit unit) {
        for (Markup m : Markup.values()) {
            String suffix = m == Markup.TELEGRAM_MARKDOWN_V2 ? "markdownv2" : m.name().toLowerCase(Locale.ROOT);
            golden(name + "-" + suffix, content, Caps.small(m, maxLength, unit));
        }
    }

    // ------------------------------------------------------------------ markup

    @Test
    void everyReservedCharacterInPlainText() {
        everyMarkup("markup-reserved-text", Content.text(RESERVED), 4096, TextLengthUnit.UTF16_UNITS);
    }

    @Test
    void everyReservedCharacterInsideEachEntity() {
        Text text = Text.builder()
                .bold("bold " + RESERVED).plain("\n")
                .italic("italic " + RESERVED).plain("\n")
                .code("code " + RESERVED).plain("\n")
                .link("link " + RESERVED, URI.create("https://example.com/a_(b)/c?x=1&y=%22q%22#f.g!"))
                .build();
        everyMarkup("markup-reserved-entities", Content.of(text), 4096, TextLengthUnit.UTF16_UNITS);
    }

    @Test
    void combinedStylesAndLinks() {
        Text text = Text.of(
                new Span("bold italic", java.util.Set.of(Style.BOLD, Style.ITALIC), Optional.empty()),
                Span.plain(" then "),
                new Span("bold code", java.util.Set.of(Style.BOLD, Style.CODE), Optional.empty()),
                Span.plain(" then "),
                new Span("bold link", java.util.Set.of(Style.BOLD), Optional.of(URI.create("https://ex.am/ple"))),
                Span.plain(" then "),
                new Span("code link", java.util.Set.of(Style.CODE), Optional.of(URI.create("https://ex.am/code"))),
                Span.plain(" then "),
                Span.link("https://ex.am/same", URI.create("https://ex.am/same")),
                Span.plain(" and "),
                Span.styled("ita", Style.ITALIC), Span.styled("lic merged", Style.ITALIC));
        everyMarkup("markup-combined-styles", Content.of(text), 4096, TextLengthUnit.UTF16_UNITS);
    }

    // ------------------------------------------------------------------ splitting

    @Test
    void splitPrefersParagraphs() {
        String text = "Thanks for writing to us today.\n\nWe checked your order. It left the warehouse this "
                + "morning. The courier will call you.\n\nAnything else? Just reply here.";
        golden("split-paragraphs", Content.text(text), Caps.plain(80));
    }

    @Test
    void splitPrefersSentencesInRussian() {
        String text = "Здравствуйте! Ваш заказ № 1234 собран и передан в службу доставки. Курьер позвонит за час "
                + "до приезда… Если время неудобно, ответьте на это сообщение? Спасибо, что выбрали нас.";
        golden("split-sentences-russian", Content.text(text), Caps.plain(70));
    }

    @Test
    void splitFallsBackToWhitespaceThenHardCut() {
        String text = "short words without any punctuation at all keep going and going "
                + "Supercalifragilisticexpialidociousandthensomemorelettersuntilthelimitisexceeded end";
        golden("split-whitespace-and-hard-cut", Content.text(text), Caps.plain(32));
    }

    @Test
    void splitClosesAndReopensSpansAtTheCut() {
        Text text = Text.builder().plain("Intro. ")
                .bold("This bold run is long enough that it must be cut in the middle of it.")
                .plain(" Then ")
                .link("a link whose text also crosses the cut point", URI.create("https://example.com/x"))
                .plain(" done.").build();
        for (Markup m : Markup.values()) {
            String suffix = m == Markup.TELEGRAM_MARKDOWN_V2 ? "markdownv2" : m.name().toLowerCase(Locale.ROOT);
            golden("split-spans-across-cut-" + suffix, Content.of(text),
                    Caps.small(m, 64, TextLengthUnit.UTF16_UNITS));
        }
    }

    @Test
    void splitAccountsForEscapingGrowth() {
        String text = "Version 1.2.3 (beta) - fixes #12, #13 & #14! See [notes]. Prices: 10.50-20.75 = ok. "
                + "Next: v1.2.4 {rc} | soon!";
        golden("split-escaping-growth-markdownv2", Content.text(text),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 40, TextLengthUnit.UTF16_UNITS));
        golden("split-escaping-growth-html", Content.text("a<b & c>d " .repeat(12)),
                Caps.small(Markup.HTML, 40, TextLengthUnit.UTF16_UNITS));
    }

    @Test
    void splitNeverBreaksEmojiFlagsOrCombiningMarks() {
        String text = "👍🏽👍🏽👍🏽🇷🇺🇺🇦🇰🇿👨‍👩‍👧👨‍👩‍👧e\u0301e\u0301e\u0301e\u0301e\u0301😀😀😀😀😀😀😀😀";
        golden("split-graphemes-utf16", Content.text(text),
                Caps.small(Markup.PLAIN, 16, TextLengthUnit.UTF16_UNITS));
        golden("split-graphemes-codepoints", Content.text(text),
                Caps.small(Markup.PLAIN, 16, TextLengthUnit.CODE_POINTS));
    }

    // ------------------------------------------------------------------ choices

    private static Choices yesNoMaybe() {
        return Choices.of("Did this answer your question?", Choice.postback("Yes", "answer:yes"),
                Choice.postback("No", "answer:no"), Choice.postback("Talk to a human", "answer:human"));
    }

    @Test
    void choicesAsNativeButtons() {
        golden("choices-native", Content.of(yesNoMaybe()), Caps.telegram());
    }

    @Test
    void choicesWithLongLabelsAreTruncated() {
        Choices c = Choices.of("Pick a plan:", Choice.postback("Basic plan for individuals and small teams", "plan:b"),
                Choice.postback("Профессиональный тариф с расширенной поддержкой", "plan:p"),
                Choice.postback("Team 👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", "plan:t"));
        golden("choices-labels-truncated", Content.of(c), Caps.webchat());
    }

    @Test
    void moreChoicesThanButtonsBecomeANumberedList() {
        Choices c = Choices.of("When should we deliver?", Choice.postback("Monday", "day:1"),
                Choice.postback("Tuesday", "day:2"), Choice.postback("Wednesday", "day:3"),
                Choice.postback("Thursday", "day:4"), Choice.link("Other day", URI.create("https://shop.example/d")));
        golden("choices-more-than-max-buttons", Content.of(c), Caps.webchat());
    }

    @Test
    void choicesWithoutButtonsBecomeANumberedListWithLinksAndPhoneSpelledOut() {
        Choices c = Choices.of("How can we reach you?", Choice.postback("Call me", "reach:call"),
                Choice.link("Open the form", URI.create("https://shop.example/form?a=1&b=2")),
                Choice.sharePhone("Share my phone"), Choice.postback("Email me", "reach:email"));
        golden("choices-no-buttons-plain", Content.of(c), Caps.plain(300));
        golden("choices-no-buttons-markdownv2", Content.of(c),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 300, TextLengthUnit.UTF16_UNITS));
    }

    @Test
    void choicesTheChannelCannotButtonAreWrittenUnderThePrompt() {
        Choices c = Choices.of("How can we reach you?", Choice.postback("Call me", "reach:call"),
                Choice.link("Open the form", URI.create("https://shop.example/form")),
                Choice.sharePhone("Share my phone"));
        golden("choices-partial-support", Content.of(c), Caps.webchat());
    }

    @Test
    void choicesWithoutPromptAttachToThePrecedingText() {
        Content content = Content.of(Text.plain("Your order has shipped. Rate us?"),
                new Choices(Optional.empty(), List.of(Choice.postback("👍", "rate:up"),
                        Choice.postback("👎", "rate:down"))));
        golden("choices-attached-to-previous-text", content, Caps.telegram());
    }

    @Test
    void choicesWithoutAnyTextGetTheDefaultPrompt() {
        Content content = Content.of(new Choices(Optional.empty(), List.of(Choice.postback("Yes", "y"),
                Choice.postback("No", "n"))));
        golden("choices-default-prompt", content, Caps.telegram());
    }

    @Test
    void twoDegradedListsNumberOnwards() {
        Content content = Content.of(Choices.of("Size?", Choice.postback("S", "size:s"), Choice.postback("M",
                "size:m")), Choices.of("Colour?", Choice.postback("Red", "colour:red"),
                Choice.postback("Blue", "colour:blue")));
        golden("choices-two-lists", content, Caps.plain(300));
    }

    // ------------------------------------------------------------------ location, media, contact

    private static Location shop() {
        return new Location(55.755826, 37.6173, Optional.of("Pick-up point #3"),
                Optional.of("Tverskaya st. 1, Moscow"));
    }

    @Test
    void locationNativeOrMapLink() {
        golden("location-native", Content.of(shop()), Caps.telegram());
        golden("location-map-link-plain", Content.of(shop()), Caps.plain(300));
        golden("location-map-link-markdownv2", Content.of(Location.of(-33.8688, 151.2093)),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 300, TextLengthUnit.UTF16_UNITS));
        golden("location-map-link-html", Content.of(shop()), Caps.webchat());
    }

    private static Media photo() {
        return Media.of(MediaKind.IMAGE, "image/jpeg", new MediaSource.Url(URI.create("https://cdn.example/p.jpg")))
                .withFileName("photo.jpg").withCaption(Text.builder().plain("Your ").bold("new").plain(" sofa.")
                        .build());
    }

    @Test
    void mediaNativeWithCaption() {
        golden("media-native-caption", Content.of(photo()), Caps.telegram());
    }

    @Test
    void mediaCaptionOverTheLimitFollowsAsText() {
        Media m = photo().withCaption(Text.plain("A long caption. ".repeat(70).strip()));
        golden("media-long-caption", Content.of(m), Caps.telegram());
    }

    @Test
    void unsupportedMediaFromAUrlBecomesALink() {
        golden("media-url-as-link-plain", Content.of(photo()), Caps.plain(300));
        golden("media-url-as-link-markdownv2", Content.of(photo()),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 300, TextLengthUnit.UTF16_UNITS));
        Media unnamed = Media.of(MediaKind.VIDEO, "video/mp4",
                new MediaSource.Url(URI.create("https://cdn.example/v.mp4")));
        golden("media-url-as-link-unnamed", Content.of(unnamed), Caps.webchat());
    }

    @Test
    void mediaThatCannotBeLinkedBecomesAPlaceholder() {
        Media foreign = new Media(MediaKind.FILE, "application/pdf", Optional.of("invoice-17.pdf"),
                OptionalLong.of(48_213), new MediaSource.PlatformFile(ChannelId.of("email-support"), "att-1"),
                Optional.of(Text.plain("Invoice attached")));
        golden("media-foreign-platform-file", Content.of(foreign), Caps.telegram());
        Media inline = new Media(MediaKind.VOICE, "audio/ogg", Optional.empty(), OptionalLong.empty(),
                new MediaSource.Inline(new byte[] {1, 2, 3}), Optional.empty());
        golden("media-inline-unsupported", Content.of(inline), Caps.plain(300));
    }

    @Test
    void mediaHeldByTheTargetChannelIsSentNatively() {
        Media own = Media.of(MediaKind.STICKER, "image/webp",
                new MediaSource.PlatformFile(ChannelId.of("telegram-main"), "CAACAgIAAxk"));
        Capabilities caps = Caps.telegram();
        Golden.check("media-own-platform-file", caps,
                R.render(Content.of(own), caps, ChannelId.of("telegram-main")));
    }

    @Test
    void contactCardNativeOrText() {
        ContactCard card = new ContactCard("Anna Petrova", Optional.of("+7 916 123-45-67"),
                Optional.of("anna@example.com"));
        golden("contact-native", Content.of(card), Caps.telegram());
        golden("contact-text-markdownv2", Content.of(card),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 300, TextLengthUnit.UTF16_UNITS));
        golden("contact-text-name-only", Content.of(new ContactCard("Support desk", Optional.empty(),
                Optional.empty())), Caps.plain(100));
    }

    @Test
    void aMixedMessageOnTheMostLimitedChannel() {
        Content content = Content.of(Text.builder().plain("Hi ").bold("Anna").plain(", your order is ready.")
                .build(), photo(), shop(), yesNoMaybe());
        golden("mixed-plain-sms", content, Caps.plain(160));
        golden("mixed-telegram", content, Caps.telegram());
    }
}
