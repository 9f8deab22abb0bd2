package dev.switchboard.inbox.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Instants in stored JSON, as ISO-8601 UTC text ({@code 2026-03-01T10:00:00.123456Z}, the form
 * {@link Instant#toString()} writes and {@link Instant#parse} reads), converted without {@code DateTimeFormatter}.
 * Every stored customer and conversation carries a dozen instants and the ingest path reads and writes them for every
 * event; the formatter-based conversion was a quarter of its CPU time and most of its garbage. Text in any other form
 * (an offset, a year beyond 9999, a number) goes to Jackson's own deserializer, so older rows read as before.
 */
final class IsoInstants {
    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] NANOS_PER_DIGIT = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
            10, 1};

    private IsoInstants() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("switchboard-iso-instants");
        module.addSerializer(Instant.class, new Serializer());
        module.addDeserializer(Instant.class, new Deserializer());
        return module;
    }

    /** The same text as {@link Instant#toString()} for years 0000 to 9999; other years use it directly. */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return instant.toString();
        }
        StringBuilder out = new StringBuilder(30);
        pad(out, year, 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                pad(out, nanos / 1000, 6);
            } else {
                pad(out, nanos, 9);
            }
        }
        return out.append('Z').toString();
    }

    /** Reads {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; empty for any other text. Invalid dates throw. */
    static Optional<Instant> parse(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return Optional.empty();
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Optional.empty();
            }
            int value = digits(s, 20, n - 1);
            if (value < 0) {
                return Optional.empty();
            }
            nanos = value * NANOS_PER_DIGIT[fraction];
        }
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Optional.empty();
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay(); // throws DateTimeException on 2026-02-30
        return Optional.of(Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second,
                nanos));
    }

    /** The decimal value of s[from, to), or -1 when a character there is not a digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /** Writes {@link #format}. */
    private static final class Serializer extends StdSerializer<Instant> {
        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    /** Reads {@link #parse}, handing anything else to Jackson's {@link InstantDeserializer}. */
    private static final class Deserializer extends StdDeserializer<Instant> {
        Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String text = p.getText();
                try {
                    Optional<Instant> fast = parse(text);
                    if (fast.isPresent()) {
                        return fast.get();
                    }
                } catch (DateTimeException e) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, e.getMessage());
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
