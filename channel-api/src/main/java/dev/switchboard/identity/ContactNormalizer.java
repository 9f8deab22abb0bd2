package dev.switchboard.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.net.IDN;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the phones and emails people and platforms hand us into {@link ContactPoint}s that compare equal when they
 * name the same mailbox or line: phones become E.164 (parsed with libphonenumber against a default region, so
 * {@code 8 (916) 123-45-67} in Russia and {@code +7 916 123 45 67} anywhere are the same point), emails are trimmed
 * and lower-cased with an IDN-normalised domain. Dots and {@code +tags} in email local parts are kept: on most
 * providers they name different mailboxes, and merging two people on a guess is worse than missing a merge.
 *
 * <p>Thread-safe. Keeps a bounded cache of parsed numbers, and learns per national spelling shape what the full
 * parser does with it (see {@link #phone}).
 */
public final class ContactNormalizer {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** A pragmatic address shape: local@domain.tld, no spaces or angle brackets; the full RFC grammar is not wanted here. */
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}(?![\\p{L}\\p{N}])");
    /** Texts longer than this are only scanned in their first part: a pasted log file is not a contact form. */
    private static final int MAX_SCAN_CHARS = 20_000;

    /** Leading digits of a national spelling that take part in its {@link #shape}; the rest are subscriber digits. */
    private static final int SHAPE_DIGITS = 7;
    /** At most this many shapes are learned; past that, new shapes simply take the full parser every time. */
    private static final int MAX_SHAPES = 200_000;
    /** A learned shape whose numbers are not phone numbers at all. */
    private static final Spelling NOT_A_PHONE = new Spelling("", 0);

    private final String defaultRegion;
    /** Country calling code of the default region, 0 for "ZZ". */
    private final int regionCode;
    /** Results of the full parser by compacted input: a customer's number arrives in the same few spellings. */
    private final Cache<String, Optional<ContactPoint>> parsed = Caffeine.newBuilder().maximumSize(50_000).build();
    /** Whether Gmail addresses ignore dots in their local part (see the two-argument constructor). */
    private final boolean gmailDotsInsensitive;

    /** What the full parser made of each national spelling shape seen so far (see {@link #phone}). */
    private final ConcurrentHashMap<String, Spelling> spellings = new ConcurrentHashMap<>();

    /**
     * How the full parser turned numbers of one shape into E.164: "+" + {@code prefix} + the input's digits from
     * {@code skip} on (the trunk prefix "8", or a country code typed without '+', dropped).
     */
    private record Spelling(String prefix, int skip) {
    }

    /**
     * @param defaultRegion ISO 3166 two-letter region used for numbers written without a country code, e.g. "RU";
     *     "ZZ" accepts international numbers only
     * @throws IllegalArgumentException when libphonenumber does not know the region
     */
    public ContactNormalizer(String defaultRegion) {
        this(defaultRegion, false);
    }

    /**
     * @param defaultRegion as in {@link #ContactNormalizer(String)}
     * @param gmailDotsInsensitive whether dots in the local part of {@code @gmail.com} and {@code @googlemail.com}
     *     addresses are ignored (Gmail delivers {@code j.doe@} and {@code jdoe@} to one mailbox); such addresses are
     *     then also written with {@code @gmail.com}. Other providers keep their dots.
     * @throws IllegalArgumentException when libphonenumber does not know the region
     */
    public ContactNormalizer(String defaultRegion, boolean gmailDotsInsensitive) {
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        this.gmailDotsInsensitive = gmailDotsInsensitive;
        String region = defaultRegion.toUpperCase(Locale.ROOT);
        if (!region.equals("ZZ") && !PHONES.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unknown phone region '" + defaultRegion
                    + "': use an ISO 3166 two-letter code such as RU, DE or US");
        }
        this.defaultRegion = region;
        this.regionCode = region.equals("ZZ") ? 0 : PHONES.getCountryCodeForRegion(region);
    }

    /** The region phones without a country code are read in ("ZZ": international numbers only). */
    public String defaultRegion() {
        return defaultRegion;
    }

    /** Whether dot variants of Gmail addresses are treated as one mailbox. */
    public boolean gmailDotsInsensitive() {
        return gmailDotsInsensitive;
    }

    /**
     * Normalises a phone to E.164. Accepts national formats of the default region, international formats with
     * {@code +} or {@code 00}, and a bare international number without {@code +} (Telegram hands phones over as
     * {@code 79161234567}). A number is accepted when libphonenumber finds it <em>possible</em> for its country (the
     * right length); full validity (allocated ranges) is not required, because ranges change faster than libraries
     * are upgraded and refusing a real customer's new number is worse than keeping a stale one. Returns empty when
     * the text is not a phone number.
     */
    public Optional<ContactPoint> phone(String raw) {
        Objects.requireNonNull(raw, "raw");
        String text = raw.strip();
        if (text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String compact = compact(text);
        if (compact != null && compact.length() > 1 && compact.charAt(0) == '+') {
            Optional<ContactPoint> fast = fromInternational(compact);
            if (fast != null) {
                return fast;
            }
        }
        // National spellings ("8 (916) 123-45-67", "79161234567") need the full parser, whose dozens of regular
        // expressions cost ~10 us a number. What it decides for them (is the leading 8 a trunk prefix, is the leading
        // 7 a country code typed without '+', is the length possible) depends on the layout, the length and the
        // leading digits, not on the subscriber digits at the end. So the first number of each shape goes through the
        // parser, and later numbers of that shape get the same treatment by string surgery.
        String shape = regionCode != 0 && compact != null && !compact.isEmpty() && compact.charAt(0) != '+'
                ? shape(text) : null;
        if (shape != null) {
            Spelling known = spellings.get(shape);
            if (known != null) {
                return known == NOT_A_PHONE ? Optional.empty() : Optional.of(new ContactPoint(ContactPoint.Kind.PHONE,
                        "+" + known.prefix() + compact.substring(known.skip())));
            }
        }
        String key = compact != null ? compact : text;
        Optional<ContactPoint> cached = parsed.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<PhoneNumber> number = parsePossible(text, defaultRegion);
        if (number.isEmpty() && allDigits(text)) {
            // "79161234567": an international number whose '+' was dropped by the platform
            number = parsePossible("+" + text, defaultRegion);
        }
        Optional<ContactPoint> result = number.map(n -> new ContactPoint(ContactPoint.Kind.PHONE,
                PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164)));
        parsed.put(key, result);
        if (shape != null && spellings.size() < MAX_SHAPES) {
            learn(shape, compact, result);
        }
        return result;
    }

    /**
     * The layout of a national spelling: formatting characters kept, the first {@value #SHAPE_DIGITS} digits kept,
     * later digits replaced by 'd' ("8 (916) 123-45-67" -> "8 (916) 12d-dd-dd").
     */
    private static String shape(String text) {
        char[] out = text.toCharArray();
        int digits = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= '0' && out[i] <= '9' && ++digits > SHAPE_DIGITS) {
                out[i] = 'd';
            }
        }
        return new String(out);
    }

    /**
     * Remembers what the full parser made of a national spelling, when that is "+" + the default region's country
     * code + a tail of the input's digits without a leading zero (leading zeros are significant in some countries);
     * anything else (another country, a rewritten number) is not learned and keeps going through the parser.
     */
    private void learn(String shape, String compact, Optional<ContactPoint> result) {
        if (result.isEmpty()) {
            spellings.putIfAbsent(shape, NOT_A_PHONE);
            return;
        }
        String e164 = result.get().value();
        String prefix = Integer.toString(regionCode);
        if (!e164.startsWith(prefix, 1)) {
            return;
        }
        String national = e164.substring(1 + prefix.length());
        if (!national.isEmpty() && national.charAt(0) != '0' && compact.endsWith(national)) {
            spellings.putIfAbsent(shape, new Spelling(prefix, compact.length() - national.length()));
        }
    }

    /**
     * The text without formatting characters (spaces, dashes, dots, brackets, slashes), or null when it contains
     * anything else (letters, extensions, a '+' in the middle): those go through the full parser.
     */
    private static String compact(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            } else if (c == '+' && sb.length() == 0) {
                sb.append(c);
            } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '/' && c != '\u00a0') {
                return null;
            }
        }
        return sb.toString();
    }

    /**
     * Fast path for "+digits": split off the country calling code (codes are prefix-free, one to three digits) and
     * check the length, without the full parser's dozens of regular expressions. Null means "not sure, use the full
     * parser" (Italian leading zeros, unknown codes).
     */
    private static Optional<ContactPoint> fromInternational(String compact) {
        int digits = compact.length() - 1;
        if (digits < 4 || digits > 17) {
            return Optional.empty();
        }
        for (int len = 1; len <= 3 && len < digits; len++) {
            int cc = Integer.parseInt(compact.substring(1, 1 + len));
            if (PHONES.getRegionCodeForCountryCode(cc).equals("ZZ") && !PHONES.getSupportedGlobalNetworkCallingCodes().contains(cc)) {
                continue;
            }
            String national = compact.substring(1 + len);
            if (national.charAt(0) == '0' || national.length() > 17) {
                return null; // leading zeros are significant in some countries: let the parser decide
            }
            PhoneNumber n = new PhoneNumber().setCountryCode(cc).setNationalNumber(Long.parseLong(national));
            return isPossible(n)
                    ? Optional.of(new ContactPoint(ContactPoint.Kind.PHONE, "+" + cc + national))
                    : Optional.empty();
        }
        return null;
    }

    /** Possible as a full number: the right length for its country, and not a local-only (area-code-less) fragment. */
    private static boolean isPossible(PhoneNumber n) {
        return PHONES.isPossibleNumberWithReason(n) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Optional<PhoneNumber> parsePossible(String text, String region) {
        try {
            PhoneNumber n = PHONES.parse(text, region);
            return isPossible(n) ? Optional.of(n) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Normalises an email address: trims, strips a {@code mailto:} prefix and surrounding angle brackets, lower-cases
     * the local part and converts the domain to its lower-case ASCII (IDN) form. Returns empty when it is not an
     * address.
     */
    public Optional<ContactPoint> email(String raw) {
        Objects.requireNonNull(raw, "raw");
        String text = raw.strip();
        if (text.regionMatches(true, 0, "mailto:", 0, 7)) {
            text = text.substring(7);
        }
        if (text.startsWith("<") && text.endsWith(">")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        if (text.length() > 320 || !looksLikeAddress(text)) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (local.isEmpty() || local.length() > 64 || domain.endsWith(".") || domain.startsWith(".")) {
            return Optional.empty();
        }
        String asciiDomain;
        if (isAscii(domain)) {
            asciiDomain = domain.toLowerCase(Locale.ROOT);
        } else {
            try {
                asciiDomain = IDN.toASCII(domain.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED)
                        .toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String lowerLocal = local.toLowerCase(Locale.ROOT);
        if (gmailDotsInsensitive && (asciiDomain.equals("gmail.com") || asciiDomain.equals("googlemail.com"))) {
            lowerLocal = lowerLocal.replace(".", "");
            asciiDomain = "gmail.com";
            if (lowerLocal.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new ContactPoint(ContactPoint.Kind.EMAIL, lowerLocal + "@" + asciiDomain));
    }

    /** local@domain.tld with no whitespace, brackets, quotes or separators; hand-written because it is on the hot path. */
    private static boolean looksLikeAddress(String s) {
        int at = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            } else if (c <= ' ' || "<>()[],;:\"\\".indexOf(c) >= 0 || Character.isWhitespace(c)) {
                return false;
            }
        }
        int dot = s.lastIndexOf('.');
        return at > 0 && dot > at + 1 && dot < s.length() - 1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * Normalises any contact point according to its kind; external ids are only trimmed (they are the host's own
     * opaque ids). Empty when a phone or email does not parse.
     */
    public Optional<ContactPoint> normalize(ContactPoint point) {
        Objects.requireNonNull(point, "point");
        switch (point.kind()) {
            case PHONE:
                return phone(point.value());
            case EMAIL:
                return email(point.value());
            default:
                String v = point.value().strip();
                return v.isEmpty() ? Optional.empty() : Optional.of(v.equals(point.value()) ? point
                        : new ContactPoint(point.kind(), v));
        }
    }

    /**
     * Finds phones and emails typed in free text ("call me at 8 916 123-45-67 or anna@example.com") and returns them
     * as <em>unverified</em> evidence: anyone can type anyone's number, so these only ever produce suggestions.
     * Duplicates within the text are reported once.
     */
    public List<Evidence> extractUnverified(String text, String source, Instant at) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        String scanned = text.length() > MAX_SCAN_CHARS ? text.substring(0, MAX_SCAN_CHARS) : text;
        Set<ContactPoint> found = new LinkedHashSet<>();
        Matcher m = EMAIL_IN_TEXT.matcher(scanned);
        List<int[]> emailSpans = new ArrayList<>();
        while (m.find()) {
            email(m.group()).ifPresent(found::add);
            emailSpans.add(new int[] {m.start(), m.end()});
        }
        for (PhoneNumberMatch match : PHONES.findNumbers(scanned, defaultRegion,
                PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
            if (insideAny(match.start(), emailSpans)) {
                continue; // digits of an address such as 89161234567@mail.ru are the address, not a phone
            }
            found.add(new ContactPoint(ContactPoint.Kind.PHONE,
                    PHONES.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.E164)));
        }
        List<Evidence> out = new ArrayList<>(found.size());
        for (ContactPoint p : found) {
            out.add(Evidence.unverified(p, source, at));
        }
        return out;
    }

    private static boolean insideAny(int pos, List<int[]> spans) {
        for (int[] s : spans) {
            if (pos >= s[0] && pos < s[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ContactNormalizer[defaultRegion=" + defaultRegion + "]";
    }
}
