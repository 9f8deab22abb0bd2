package dev.switchboard.model;

import java.util.Objects;
import java.util.UUID;

/** Validation and generation shared by the identifier records; not part of the public contract. */
final class Ids {
    private Ids() {}

    /** Checks [A-Za-z0-9_.:@+=-]{1,128} with a loop: ids are built for every row read, and a regex allocates. */
    static String require(String kind, String value) {
        Objects.requireNonNull(value, kind + " must not be null");
        if (!isSafe(value)) {
            throw new IllegalArgumentException(kind + " must be 1-128 characters of [A-Za-z0-9_.:@+=-], got '" + value + "'");
        }
        return value;
    }

    private static boolean isSafe(String value) {
        int n = value.length();
        if (n < 1 || n > 128) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '@' || c == '+' || c == '=' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String random() {
        return UUID.randomUUID().toString();
    }
}
