package dev.switchboard.channel.email;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Threading helpers: generates our outgoing Message-IDs as {@code sb.TOKEN.RANDOM.HMAC@domain}, where the HMAC (keyed
 * with the mailbox's thread-token secret) makes our own ids recognisable and the conversation token in them
 * unspoofable; and reads a conversation token back from a reply's references, plus-address or subject tag.
 * {@link #toString()} never shows the key.
 */
final class ThreadTokens {
    /** Conversation tokens are short opaque strings; anything else in a subject tag is ignored. */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{2,40}");
    private static final Pattern SUBJECT_TAG = Pattern.compile("\\[#(" + TOKEN.pattern() + ")\\]");
    private static final Pattern OWN_ID = Pattern.compile("sb\\.([A-Za-z0-9_-]{1,40})\\.([0-9a-f]{16})\\.([0-9a-f]{16})@.+");
    private static final String NO_TOKEN = "-";
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    ThreadTokens(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("threadTokenSecret must be at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** A new Message-ID (without angle brackets) for a message of conversation {@code token}. */
    String newMessageId(Optional<String> token, String domain) {
        String t = token.filter(s -> TOKEN.matcher(s).matches()).orElse(NO_TOKEN);
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String r = HexFormat.of().formatHex(nonce);
        return "sb." + t + "." + r + "." + mac(t + "." + r) + "@" + domain;
    }

    /** The conversation token carried by one of our own, correctly signed Message-IDs among {@code ids}. */
    Optional<String> tokenFromOwnIds(List<String> ids) {
        for (int i = ids.size() - 1; i >= 0; i--) {
            Matcher m = OWN_ID.matcher(ids.get(i));
            if (m.matches() && !m.group(1).equals(NO_TOKEN)) {
                byte[] expected = mac(m.group(1) + "." + m.group(2)).getBytes(StandardCharsets.US_ASCII);
                if (MessageDigest.isEqual(expected, m.group(3).getBytes(StandardCharsets.US_ASCII))) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /** The token in a subject tag {@code [#TOKEN]}. */
    static Optional<String> tokenFromSubject(String subject) {
        Matcher m = SUBJECT_TAG.matcher(subject);
        String found = null;
        while (m.find()) {
            found = m.group(1); // the last tag wins: replies append ours after any the customer's client added
        }
        return Optional.ofNullable(found);
    }

    /** The token of a plus-address {@code local+TOKEN@domain} of our mailbox {@code ours}, among {@code recipients}. */
    static Optional<String> tokenFromPlusAddress(List<String> recipients, String ours) {
        int at = ours.indexOf('@');
        String local = ours.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = ours.substring(at + 1).toLowerCase(Locale.ROOT);
        for (String r : recipients) {
            String a = r.toLowerCase(Locale.ROOT);
            int rAt = a.lastIndexOf('@');
            if (rAt < 0 || !a.substring(rAt + 1).equals(domain)) {
                continue;
            }
            String rLocal = a.substring(0, rAt);
            if (rLocal.startsWith(local + "+")) {
                String token = r.substring(local.length() + 1, rAt);
                if (TOKEN.matcher(token).matches()) {
                    return Optional.of(token);
                }
            }
        }
        return Optional.empty();
    }

    private String mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(full, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "ThreadTokens[key=****]";
    }
}
