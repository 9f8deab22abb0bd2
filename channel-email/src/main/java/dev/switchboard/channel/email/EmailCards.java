package dev.switchboard.channel.email;

import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.content.Card;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.render.Bubble;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A carousel as one email: an HTML block per card (image, title linked to its default link, description, its
 * buttons as links or as numbered postbacks to reply with) and the same content as plain text for the alternative
 * part. Images given as bytes or held by this mailbox travel as inline parts referenced by {@code cid:}; images by
 * URL are linked, never downloaded on the send path. Every text is HTML-escaped.
 */
final class EmailCards {
    /** One image to attach inline under {@code contentId}. */
    record InlineImage(String contentId, byte[] bytes, String mimeType, String name) {
    }

    /** The email's plain and HTML bodies and the images the HTML references. */
    record Body(String plain, String html, List<InlineImage> images) {
    }

    private EmailCards() {
    }

    static Body body(Bubble.CardsBubble bubble, Function<MediaSource.PlatformFile, Optional<FetchedMedia>> ownFiles) {
        StringBuilder plain = new StringBuilder();
        StringBuilder html = new StringBuilder();
        List<InlineImage> images = new ArrayList<>();
        bubble.cards().prompt().map(Text::plainText).ifPresent(p -> plain.append(p).append("\n\n"));
        bubble.formattedPrompt().ifPresent(p -> html.append("<p>").append(p.replace("\n", "<br>")).append("</p>"));
        List<Card> cards = bubble.cards().cards();
        for (int i = 0; i < cards.size(); i++) {
            Card card = cards.get(i);
            String imageName = "card-" + (i + 1);
            html.append("<table role=\"presentation\" cellpadding=\"8\" style=\"border:1px solid #d5dbe8;"
                    + "border-radius:8px;margin:0 0 12px 0;max-width:480px\"><tr><td>");
            Optional<String> src = card.image().flatMap(image -> source(image, imageName, ownFiles, images));
            src.ifPresent(s -> html.append("<img src=\"").append(escape(s)).append("\" alt=\"")
                    .append(escape(card.title())).append("\" style=\"max-width:100%;display:block\"><br>"));
            String title = "<b>" + escape(card.title()) + "</b>";
            html.append(card.defaultLink().map(l -> "<a href=\"" + escape(l.toString()) + "\">" + title + "</a>")
                    .orElse(title));
            plain.append(card.title()).append('\n');
            card.description().ifPresent(d -> {
                html.append("<br>").append(escape(d));
                plain.append(d).append('\n');
            });
            card.defaultLink().ifPresent(l -> plain.append(l).append('\n'));
            for (Choice b : card.buttons()) {
                if (b.action() instanceof Choice.OpenLink link) {
                    html.append("<br><a href=\"").append(escape(link.uri().toString())).append("\">")
                            .append(escape(b.label())).append("</a>");
                    plain.append(b.label()).append(": ").append(link.uri()).append('\n');
                } else {
                    html.append("<br>").append(escape(b.label()));
                    plain.append(b.label()).append('\n');
                }
            }
            html.append("</td></tr></table>");
            plain.append('\n');
        }
        bubble.replyHint().ifPresent(h -> {
            html.append("<p>").append(escape(h)).append("</p>");
            plain.append(h).append('\n');
        });
        return new Body(plain.toString().strip(), html.toString(), images);
    }

    /** The {@code src} of a card's image: its URL, or {@code cid:} of an inline part added to {@code images}. */
    private static Optional<String> source(Media image, String name, Function<MediaSource.PlatformFile,
            Optional<FetchedMedia>> ownFiles, List<InlineImage> images) {
        MediaSource source = image.source();
        if (source instanceof MediaSource.Url url) {
            return Optional.of(url.uri().toString());
        }
        Optional<byte[]> bytes = source instanceof MediaSource.Inline inline ? Optional.of(inline.bytes())
                : ownFiles.apply((MediaSource.PlatformFile) source).map(FetchedMedia::bytes);
        return bytes.map(b -> {
            String cid = name + "@switchboard";
            images.add(new InlineImage(cid, b, image.mimeType(), image.fileName().orElse(name)));
            return "cid:" + cid;
        });
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
