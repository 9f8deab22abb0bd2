package dev.switchboard.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.content.Choice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * Golden files for rendering: a scenario's rendered output is written in a readable, exact text form and compared
 * with {@code src/test/resources/golden/<name>.txt}. Any drift fails the test. To accept new output after a
 * deliberate change, run with {@code -Dgolden.update=true} and review the diff in git.
 */
final class Golden {
    private static final Path DIR = Paths.get("src", "test", "resources", "golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private Golden() {
    }

    static void check(String name, Capabilities caps, RenderedMessage rendered) {
        String actual = dump(caps, rendered);
        Path file = DIR.resolve(name + ".txt");
        try {
            if (UPDATE) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file).as("golden file %s is missing; run with -Dgolden.update=true to create it", file)
                    .exists();
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(actual).as("rendering of '%s' drifted from %s (run with -Dgolden.update=true to accept)",
                    name, file).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An exact, human-readable form of a rendering: every bubble's fields, then the choice map. */
    static String dump(Capabilities caps, RenderedMessage rendered) {
        StringBuilder sb = new StringBuilder();
        sb.append("# markup=").append(caps.markup()).append(" maxTextLength=").append(caps.maxTextLength())
                .append(' ').append(caps.textLengthUnit()).append(" maxButtons=").append(caps.maxButtons())
                .append(" media=").append(new java.util.TreeSet<>(caps.mediaKinds())).append('\n');
        int i = 1;
        for (Bubble b : rendered.bubbles()) {
            sb.append("=== bubble ").append(i++).append(": ");
            if (b instanceof Bubble.TextBubble) {
                Bubble.TextBubble t = (Bubble.TextBubble) b;
                sb.append("text ").append(t.markup()).append(", ")
                        .append(caps.textLengthUnit().length(t.formatted())).append(" units\n");
                sb.append(t.formatted()).append('\n');
                if (!t.plain().equals(t.formatted())) {
                    sb.append("--- plain\n").append(t.plain()).append('\n');
                }
                for (Choice c : t.buttons()) {
                    sb.append("--- button [").append(c.label()).append("] -> ").append(describe(c.action()))
                            .append('\n');
                }
            } else if (b instanceof Bubble.MediaBubble) {
                Bubble.MediaBubble m = (Bubble.MediaBubble) b;
                sb.append("media ").append(m.media().kind()).append(' ').append(m.media().mimeType()).append(' ')
                        .append(m.media().fileName().orElse("-")).append(' ').append(m.media().source())
                        .append('\n');
                m.formattedCaption().ifPresent(c -> sb.append("--- caption ").append(m.markup()).append('\n')
                        .append(c).append('\n'));
            } else if (b instanceof Bubble.LocationBubble) {
                sb.append("location ").append(((Bubble.LocationBubble) b).location()).append('\n');
            } else if (b instanceof Bubble.ContactBubble) {
                sb.append("contact ").append(((Bubble.ContactBubble) b).card()).append('\n');
            }
        }
        if (!rendered.choiceMap().isEmpty()) {
            sb.append("=== choice map\n");
            Map<Integer, String> sorted = new TreeMap<>();
            rendered.choiceMap().payloadByNumber().forEach((k, v) -> sorted.put(Integer.parseInt(k), v));
            sorted.forEach((k, v) -> sb.append(k).append(" -> ").append(v).append('\n'));
        }
        return sb.toString();
    }

    private static String describe(Choice.Action a) {
        if (a instanceof Choice.Postback) {
            return "postback " + ((Choice.Postback) a).payload();
        }
        if (a instanceof Choice.OpenLink) {
            return "link " + ((Choice.OpenLink) a).uri();
        }
        return "share phone";
    }
}
