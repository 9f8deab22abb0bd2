package dev.switchboard.render;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Markup;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Span;
import dev.switchboard.content.Style;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Turns channel-neutral {@link Content} into the {@link Bubble}s a channel can show, given its {@link Capabilities}:
 * splits text over the length limit on paragraph and sentence boundaries, escapes markup for the channel's flavour,
 * degrades buttons to a numbered list (recording a {@link ChoiceMap}), locations to a map link, unsupported media to a
 * link. Nothing is ever dropped silently: what cannot be shown natively is shown as text. Stateless and thread-safe.
 *
 * <p>The degradation rules, part by part (see {@code docs/rendering.md} for examples):
 * <ul>
 *   <li>Text: split so that every chunk, <em>formatted</em> for the channel's markup, fits
 *       {@code maxTextLength} in the channel's {@code TextLengthUnit} (see {@link MarkupFormatter} for escaping).
 *       Blank text renders to nothing.</li>
 *   <li>Choices: native buttons when the channel has buttons, at most {@code maxButtons} of the choices it can show
 *       natively, labels truncated with an ellipsis; a choice whose action the channel lacks (a link or share-phone
 *       button) is written under the prompt instead. With more choices than buttons, or no buttons, a numbered list:
 *       postbacks are numbered and their numbers recorded in the {@link ChoiceMap}, links become "label: url",
 *       share-phone becomes "label: reply with your phone number". Choices without a prompt attach their buttons to
 *       the text bubble just before them.</li>
 *   <li>Location: a native bubble, else name, address and an OpenStreetMap link.</li>
 *   <li>Media: a native bubble when the kind is supported and the channel can send the source (a URL, inline bytes,
 *       or a file held by this same channel); a caption over {@link #maxCaptionLength()} moves to a text bubble after
 *       the media. Otherwise text: "[image] name: url" for URLs, and "[image] name (not available on this
 *       channel)" for another channel's files and inline bytes, followed by the caption.</li>
 *   <li>Contact card: native when supported, else "name, phone, email".</li>
 *   <li>Cards: a native {@link Bubble.CardsBubble} when the channel declares {@code Capabilities.cards()} and the
 *       carousel keeps its {@link CardLimits} (titles, descriptions and labels are truncated to fit; a prompt over
 *       the text limit goes before it as text; on a channel without buttons postbacks are numbered in their labels
 *       and the choice map). Otherwise the prompt, then per card: its image (as media above), its
 *       title in bold, description and default link as text, and its buttons as the choices above (native buttons,
 *       or numbered on from the message's earlier numbers so a reply "2" maps back).</li>
 * </ul>
 */
public final class Renderer {

    /** Telegram's caption limit; a sensible default for platforms that do not say. */
    public static final int DEFAULT_MAX_CAPTION_LENGTH = 1024;

    private static final Renderer STANDARD = builder().build();

    private final int maxCaptionLength;
    private final String numberedListHint;
    private final String defaultChoicePrompt;
    private final String sharePhoneHint;
    private final String unavailableMedia;

    private Renderer(Builder b) {
        this.maxCaptionLength = b.maxCaptionLength;
        this.numberedListHint = b.numberedListHint;
        this.defaultChoicePrompt = b.defaultChoicePrompt;
        this.sharePhoneHint = b.sharePhoneHint;
        this.unavailableMedia = b.unavailableMedia;
    }

    /** The renderer with English fallback phrases and a 1024-unit caption limit. */
    public static Renderer standard() {
        return STANDARD;
    }

    /** A renderer with other fallback phrases (a Russian-speaking business) or caption limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** Captions longer than this (in the channel's text unit, formatted) are sent as a text bubble after the media. */
    public int maxCaptionLength() {
        return maxCaptionLength;
    }

    /**
     * Renders {@code content} for a channel with {@code capabilities}. Media held by a platform
     * ({@link MediaSource.PlatformFile}) is treated as not sendable, since the target channel is unknown; use
     * {@link #render(Content, Capabilities, ChannelId)} to let a channel re-send its own files.
     */
    public RenderedMessage render(Content content, Capabilities capabilities) {
        return render(content, capabilities, Optional.empty());
    }

    /** Renders {@code content} for the channel {@code target}, which can re-send files it holds itself. */
    public RenderedMessage render(Content content, Capabilities capabilities, ChannelId target) {
        return render(content, capabilities, Optional.of(Objects.requireNonNull(target, "target")));
    }

    private RenderedMessage render(Content content, Capabilities capabilities, Optional<ChannelId> target) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(capabilities, "capabilities");
        Run run = new Run(capabilities, target);
        for (Part part : content.parts()) {
            if (part instanceof Text text) {
                run.text(text.spans(), List.of());
            } else if (part instanceof Choices choices) {
                run.choices(choices);
            } else if (part instanceof Location location) {
                run.location(location);
            } else if (part instanceof Media media) {
                run.media(media);
            } else if (part instanceof ContactCard card) {
                run.contact(card);
            } else if (part instanceof Cards cards) {
                run.cards(cards);
            } else {
                throw new IllegalArgumentException("unknown part " + part.getClass());
            }
        }
        return new RenderedMessage(run.bubbles, new ChoiceMap(run.choiceMap));
    }

    /** The state of rendering one message. */
    private final class Run {
        final Capabilities caps;
        final Optional<ChannelId> target;
        final MarkupFormatter formatter;
        final MarkupFormatter plain = MarkupFormatter.forMarkup(Markup.PLAIN);
        final List<Bubble> bubbles = new ArrayList<>();
        final Map<String, String> choiceMap = new LinkedHashMap<>();

        Run(Capabilities caps, Optional<ChannelId> target) {
            this.caps = caps;
            this.target = target;
            this.formatter = MarkupFormatter.forMarkup(caps.markup());
        }

        /** Adds text bubbles; {@code buttons} go on the last one. Blank text adds nothing. */
        void text(List<Span> spans, List<Choice> buttons) {
            if (TextSplitter.concat(spans).isBlank()) {
                return;
            }
            List<TextSplitter.Chunk> chunks =
                    new TextSplitter(caps.maxTextLength(), caps.textLengthUnit(), formatter).split(spans);
            for (int i = 0; i < chunks.size(); i++) {
                TextSplitter.Chunk c = chunks.get(i);
                boolean last = i == chunks.size() - 1;
                bubbles.add(new Bubble.TextBubble(c.formatted(), plain.format(c.spans()), caps.markup(),
                        last ? buttons : List.of()));
            }
        }

        void choices(Choices part) {
            List<Choice> nativeChoices = part.choices().stream().filter(this::nativelySupported)
                    .collect(Collectors.toList());
            boolean useButtons = caps.buttons() && !nativeChoices.isEmpty()
                    && nativeChoices.size() <= caps.maxButtons();
            List<Span> spans = new ArrayList<>(part.prompt().map(Text::spans).orElse(List.of()));
            if (useButtons) {
                List<Choice> buttons = nativeChoices.stream()
                        .map(c -> new Choice(Boundaries.truncate(c.label(), caps.maxButtonLabelLength(),
                                caps.textLengthUnit()), c.action()))
                        .collect(Collectors.toList());
                List<List<Span>> written = part.choices().stream().filter(c -> !nativelySupported(c))
                        .map(this::describeUnnumbered).collect(Collectors.toList());
                appendLines(spans, written);
                if (TextSplitter.concat(spans).isBlank() && attachToPreviousText(buttons)) {
                    return;
                }
                if (TextSplitter.concat(spans).isBlank()) {
                    spans = List.of(Span.plain(defaultChoicePrompt));
                }
                text(spans, buttons);
                return;
            }
            List<List<Span>> lines = new ArrayList<>();
            boolean numbered = false;
            for (Choice c : part.choices()) {
                if (c.action() instanceof Choice.Postback postback) {
                    String number = Integer.toString(choiceMap.size() + 1);
                    choiceMap.put(number, postback.payload());
                    lines.add(List.of(Span.plain(number + ". " + c.label())));
                    numbered = true;
                } else {
                    lines.add(describeUnnumbered(c));
                }
            }
            if (numbered) {
                lines.add(List.of(Span.plain(numberedListHint)));
            }
            appendLines(spans, lines);
            text(spans, List.of());
        }

        private boolean nativelySupported(Choice c) {
            if (c.action() instanceof Choice.OpenLink) {
                return caps.linkButtons();
            }
            if (c.action() instanceof Choice.SharePhone) {
                return caps.sharePhoneButton();
            }
            return true;
        }

        /** A choice the channel cannot button and that has no number: "label: url", "label: reply with ...". */
        private List<Span> describeUnnumbered(Choice c) {
            if (c.action() instanceof Choice.OpenLink link) {
                URI uri = link.uri();
                return List.of(Span.plain(c.label() + ": "), Span.link(uri.toString(), uri));
            }
            if (c.action() instanceof Choice.SharePhone) {
                return List.of(Span.plain(c.label() + ": " + sharePhoneHint));
            }
            return List.of(Span.plain(c.label()));
        }

        private boolean attachToPreviousText(List<Choice> buttons) {
            int last = bubbles.size() - 1;
            if (last >= 0 && bubbles.get(last) instanceof Bubble.TextBubble t) {
                if (t.buttons().isEmpty()) {
                    bubbles.set(last, new Bubble.TextBubble(t.formatted(), t.plain(), t.markup(), buttons));
                    return true;
                }
            }
            return false;
        }

        void location(Location l) {
            if (caps.locations()) {
                bubbles.add(new Bubble.LocationBubble(l));
                return;
            }
            String lat = coordinate(l.latitude());
            String lon = coordinate(l.longitude());
            String url = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=17/" + lat + "/" + lon;
            List<Span> spans = new ArrayList<>();
            l.name().filter(s -> !s.isBlank()).ifPresent(n -> spans.add(Span.plain(n + "\n")));
            l.address().filter(s -> !s.isBlank()).ifPresent(a -> spans.add(Span.plain(a + "\n")));
            spans.add(Span.link(url, URI.create(url)));
            text(spans, List.of());
        }

        void media(Media m) {
            if (caps.supports(m.kind()) && canSend(m.source())) {
                Optional<Text> caption = m.caption().filter(c -> !c.plainText().isBlank());
                Media bare = m.withoutCaption();
                if (caption.isEmpty()) {
                    bubbles.add(new Bubble.MediaBubble(bare, Optional.empty(), caps.markup()));
                    return;
                }
                String formatted = formatter.format(caption.get().spans());
                if (caps.textLengthUnit().length(formatted) <= maxCaptionLength
                        && caps.textLengthUnit().length(formatted) <= caps.maxTextLength()) {
                    bubbles.add(new Bubble.MediaBubble(m, Optional.of(formatted), caps.markup()));
                } else {
                    bubbles.add(new Bubble.MediaBubble(bare, Optional.empty(), caps.markup()));
                    text(caption.get().spans(), List.of());
                }
                return;
            }
            String kind = "[" + m.kind().name().toLowerCase(Locale.ROOT) + "] ";
            List<Span> spans = new ArrayList<>();
            if (m.source() instanceof MediaSource.Url url) {
                URI uri = url.uri();
                spans.add(Span.plain(kind + m.fileName().map(n -> n + ": ").orElse("")));
                spans.add(Span.link(uri.toString(), uri));
            } else {
                spans.add(Span.plain(kind + m.fileName().orElse(m.mimeType()) + describeSize(m.sizeBytes())
                        + " " + unavailableMedia));
            }
            m.caption().filter(c -> !c.plainText().isBlank()).ifPresent(c -> {
                spans.add(Span.plain("\n"));
                spans.addAll(c.spans());
            });
            text(spans, List.of());
        }

        private boolean canSend(MediaSource source) {
            if (source instanceof MediaSource.PlatformFile file) {
                return target.isPresent() && target.get().equals(file.channel());
            }
            return true;
        }

        void cards(Cards part) {
            Optional<CardLimits> limits = caps.cards();
            if (limits.isPresent() && CardFitting.fits(part, caps, limits.get(), m -> canSend(m.source()))) {
                Optional<Text> prompt = part.prompt().filter(p -> !p.plainText().isBlank());
                Optional<String> formatted = prompt.map(p -> formatter.format(p.spans()));
                if (formatted.isPresent() && caps.textLengthUnit().length(formatted.get()) > caps.maxTextLength()) {
                    // a prompt too long to go with the carousel goes before it, split like any text
                    text(prompt.get().spans(), List.of());
                    formatted = Optional.empty();
                }
                List<Card> fitted = CardFitting.fit(part, caps, limits.get()).cards();
                Optional<String> hint = Optional.empty();
                if (!caps.buttons()) {
                    fitted = numbered(fitted);
                    hint = fitted.stream().flatMap(c -> c.buttons().stream())
                            .anyMatch(b -> b.action() instanceof Choice.Postback)
                            ? Optional.of(numberedListHint) : Optional.empty();
                }
                // the bubble's cards keep the prompt only when it goes with them
                bubbles.add(new Bubble.CardsBubble(new Cards(formatted.isPresent() ? prompt : Optional.empty(),
                        fitted), formatted, caps.markup(), hint));
                return;
            }
            part.prompt().ifPresent(p -> text(p.spans(), List.of()));
            for (Card card : part.cards()) {
                card.image().ifPresent(this::media);
                List<Span> spans = new ArrayList<>();
                spans.add(Span.styled(card.title(), Style.BOLD));
                card.description().ifPresent(d -> spans.add(Span.plain("\n" + d)));
                card.defaultLink().ifPresent(uri -> {
                    spans.add(Span.plain("\n"));
                    spans.add(Span.link(uri.toString(), uri));
                });
                if (card.buttons().isEmpty()) {
                    text(spans, List.of());
                } else {
                    choices(new Choices(Optional.of(new Text(spans)), card.buttons()));
                }
            }
        }

        /** The cards with each postback's label numbered ("3. Book") and its number in the choice map. */
        private List<Card> numbered(List<Card> cards) {
            List<Card> out = new ArrayList<>();
            for (Card c : cards) {
                List<Choice> buttons = new ArrayList<>();
                for (Choice b : c.buttons()) {
                    if (b.action() instanceof Choice.Postback postback) {
                        String number = Integer.toString(choiceMap.size() + 1);
                        choiceMap.put(number, postback.payload());
                        buttons.add(new Choice(number + ". " + b.label(), b.action()));
                    } else {
                        buttons.add(b);
                    }
                }
                out.add(new Card(c.title(), c.description(), c.image(), buttons, c.defaultLink()));
            }
            return out;
        }

        void contact(ContactCard card) {
            if (caps.contactCards()) {
                bubbles.add(new Bubble.ContactBubble(card));
                return;
            }
            List<String> fields = new ArrayList<>();
            fields.add(card.name());
            card.phone().filter(s -> !s.isBlank()).ifPresent(fields::add);
            card.email().filter(s -> !s.isBlank()).ifPresent(fields::add);
            text(List.of(Span.plain(String.join(", ", fields))), List.of());
        }
    }

    /** Appends each line (a list of spans) on its own line after whatever {@code spans} holds. */
    private static void appendLines(List<Span> spans, List<List<Span>> lines) {
        for (List<Span> line : lines) {
            if (!TextSplitter.concat(spans).isBlank()) {
                spans.add(Span.plain("\n"));
            }
            spans.addAll(line);
        }
    }

    private static String coordinate(double value) {
        BigDecimal d = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static String describeSize(OptionalLong size) {
        if (size.isEmpty()) {
            return "";
        }
        long b = size.getAsLong();
        if (b < 1024) {
            return ", " + b + " B";
        }
        if (b < 1024 * 1024) {
            return ", " + (b + 512) / 1024 + " KB";
        }
        return String.format(Locale.ROOT, ", %.1f MB", b / (1024.0 * 1024.0));
    }

    /** Configures a {@link Renderer}: fallback phrases (for the customer's language) and the caption limit. */
    public static final class Builder {
        private int maxCaptionLength = DEFAULT_MAX_CAPTION_LENGTH;
        private String numberedListHint = "Reply with a number.";
        private String defaultChoicePrompt = "Please choose:";
        private String sharePhoneHint = "reply with your phone number";
        private String unavailableMedia = "(not available on this channel)";

        private Builder() {
        }

        /** Captions longer than this go into a text bubble after the media. Default 1024. */
        public Builder maxCaptionLength(int max) {
            this.maxCaptionLength = max;
            return this;
        }

        /** The line under a numbered list. Default "Reply with a number." */
        public Builder numberedListHint(String hint) {
            this.numberedListHint = hint;
            return this;
        }

        /** The text carrying buttons when choices have no prompt and no text precedes them. Default "Please choose:" */
        public Builder defaultChoicePrompt(String prompt) {
            this.defaultChoicePrompt = prompt;
            return this;
        }

        /** What follows a share-phone label when the channel has no such button. */
        public Builder sharePhoneHint(String hint) {
            this.sharePhoneHint = hint;
            return this;
        }

        /** What follows the name of a file the channel cannot send. */
        public Builder unavailableMediaNote(String note) {
            this.unavailableMedia = note;
            return this;
        }

        public Renderer build() {
            if (maxCaptionLength < 1) {
                throw new IllegalArgumentException("maxCaptionLength must be >= 1, got " + maxCaptionLength);
            }
            requireText("numberedListHint", numberedListHint);
            requireText("defaultChoicePrompt", defaultChoicePrompt);
            requireText("sharePhoneHint", sharePhoneHint);
            requireText("unavailableMediaNote", unavailableMedia);
            return new Renderer(this);
        }

        private static void requireText(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
        }
    }
}
