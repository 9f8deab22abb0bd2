package dev.switchboard.model;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** Validation and generation shared by the identifier records; not part of the public contract. */
final class Ids {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:@+=-]{1,128}");

    private Ids() {}

    static String require(String kind, String value) {
        Objects.requireNonNull(value, kind + " must not be null");
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(kind + " must be 1-128 characters of [A-Za-z0-9_.:@+=-], got '" + value + "'");
        }
        return value;
    }

    static String random() {
        return UUID.randomUUID().toString();
    }
}
