package dev.switchboard.content;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Text with the small markup subset (bold, italic, code, links) as a list of {@link Span}s. Keeping markup
 * structured rather than as a markup string lets each channel escape correctly for its own flavour.
 */
public record Text(List<Span> spans) implements Part {
    public Text {
        spans = List.copyOf(spans);
    }

    public static Text plain(String text) {
        return new Text(List.of(Span.plain(text)));
    }

    public static Text of(Span... spans) {
        return new Text(List.of(spans));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String plainText() {
        return spans.stream().map(Span::text).collect(Collectors.joining());
    }

    /** Collects spans in order. */
    public static final class Builder {
        private final List<Span> spans = new ArrayList<>();

        public Builder plain(String text) {
            spans.add(Span.plain(text));
            return this;
        }

        public Builder bold(String text) {
            spans.add(Span.styled(text, Style.BOLD));
            return this;
        }

        public Builder italic(String text) {
            spans.add(Span.styled(text, Style.ITALIC));
            return this;
        }

        public Builder code(String text) {
            spans.add(Span.styled(text, Style.CODE));
            return this;
        }

        public Builder link(String text, URI target) {
            spans.add(Span.link(text, target));
            return this;
        }

        public Builder span(Span span) {
            spans.add(span);
            return this;
        }

        public Text build() {
            return new Text(spans);
        }
    }
}
