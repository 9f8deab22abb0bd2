package dev.switchboard.inbox.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer for the export archive (the inbox module has no JSON library): objects, arrays,
 * strings, numbers and booleans written as they come, so a customer's messages never sit in memory at once. Commas
 * are placed by tracking whether the current container already has a member. Not thread-safe.
 */
final class Json {
    private final Writer out;
    private final Deque<boolean[]> first = new ArrayDeque<>();
    private boolean afterName;

    Json(Writer out) {
        this.out = out;
    }

    Json beginObject() {
        valueStart();
        write("{");
        first.push(new boolean[] {true});
        return this;
    }

    Json endObject() {
        first.pop();
        write("}");
        return this;
    }

    Json beginArray() {
        valueStart();
        write("[");
        first.push(new boolean[] {true});
        return this;
    }

    Json endArray() {
        first.pop();
        write("]");
        return this;
    }

    Json name(String name) {
        separate();
        write(quote(name));
        write(":");
        afterName = true;
        return this;
    }

    Json value(String value) {
        valueStart();
        write(value == null ? "null" : quote(value));
        return this;
    }

    Json value(long value) {
        valueStart();
        write(Long.toString(value));
        return this;
    }

    Json value(boolean value) {
        valueStart();
        write(Boolean.toString(value));
        return this;
    }

    /** A string member, left out when {@code value} is null. */
    Json field(String name, String value) {
        return value == null ? this : name(name).value(value);
    }

    Json field(String name, long value) {
        return name(name).value(value);
    }

    Json field(String name, boolean value) {
        return name(name).value(value);
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void valueStart() {
        if (afterName) {
            afterName = false;
            return;
        }
        separate();
    }

    private void separate() {
        boolean[] f = first.peek();
        if (f == null) {
            return;
        }
        if (!f[0]) {
            write(",");
        }
        f[0] = false;
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
