package dev.switchboard.identity;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares people's names across scripts and spellings for merge suggestions: "Анастасия Петрова", "Anastasiya
 * Petrova" and "Petrova Anastasia" all reduce to the same spelling skeleton. Names are transliterated from Cyrillic
 * to Latin (a passport-style table), folded through a few spelling equivalences that transliterations disagree on
 * (x/ks, y/i/j, kh/h, ts/c, doubled letters), and split into order-independent tokens.
 *
 * <p>{@link #keys} gives the blocking keys under which a name is indexed (pairs of typo-tolerant token shapes, so
 * a transposed or mistyped vowel still meets its original); {@link #similarity} scores two names 0..1 from the Jaro-Winkler
 * similarity of their best-aligned tokens. Single-token names produce no keys: a first name alone is not a person.
 *
 * <p>Hosts do not need this class: the identity engine uses it. It is public for store implementations, which index
 * a name's {@link #formOf form} next to its keys (see {@code StoreTransaction.indexedNames}), and for the identity
 * benchmarks, which measure it directly. Its methods other than {@link #formOf} may change in any 0.x release.
 *
 * <p>Stateless and thread-safe.
 */
public final class NameMatcher {

    private static final String[] CYRILLIC = new String[0x500 - 0x400];

    static {
        String[][] table = {
                {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"д", "d"}, {"е", "e"}, {"ё", "e"}, {"ж", "zh"},
                {"з", "z"}, {"и", "i"}, {"й", "i"}, {"к", "k"}, {"л", "l"}, {"м", "m"}, {"н", "n"}, {"о", "o"},
                {"п", "p"}, {"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "u"}, {"ф", "f"}, {"х", "kh"}, {"ц", "ts"},
                {"ч", "ch"}, {"ш", "sh"}, {"щ", "shch"}, {"ъ", ""}, {"ы", "y"}, {"ь", ""}, {"э", "e"}, {"ю", "yu"},
                {"я", "ya"}, {"і", "i"}, {"ї", "yi"}, {"є", "ye"}, {"ґ", "g"}, {"ў", "u"}, {"ј", "j"}, {"љ", "lj"},
                {"њ", "nj"}, {"ђ", "dj"}, {"ћ", "c"}, {"џ", "dz"}, {"ѕ", "dz"},
        };
        for (String[] row : table) {
            char lower = row[0].charAt(0);
            CYRILLIC[lower - 0x400] = row[1];
            char upper = Character.toUpperCase(lower);
            if (upper >= 0x400 && upper < 0x500) {
                CYRILLIC[upper - 0x400] = row[1];
            }
        }
    }

    /** At most this many tokens of a name take part in keys and scoring (given names, surname, patronymic). */
    private static final int MAX_TOKENS = 4;
    /** Starts the list of full names an annotated token may stand for ("sasha=aleksandr.aleksandra"). */
    static final char MEANINGS = '=';
    static final char MEANING_SEPARATOR = '.';
    /**
     * A Cyrillic и or й written before a Cyrillic о: an "io" that is two letters, never a written-out ё (Cyrillic ё is
     * its own letter), so the ё rule must leave it alone ("Петиорв" is a typo of Петров, not "Петёрв"). Lower-cased
     * to 'i' once the ё rule has run. A control character, so no input letter and no case mapping produces it.
     */
    static final char CYRILLIC_I_BEFORE_O = '\u0001';

    private NameMatcher() {
    }

    /**
     * The spelling skeleton of every token of the name, sorted, without duplicates; empty for a blank name. Runs for
     * every inbound event with a display name, so it works on char arrays: the only objects it makes are the tokens
     * and the list (the multi-pass version made half a dozen intermediate strings per token).
     */
    public static List<String> tokens(String name) {
        return tokens(name, GivenNames.standard());
    }

    /**
     * {@link #tokens(String)} with a given-name table of the host's choosing. A token the table knows as a form of
     * other full names ("sasha") is written with the full names it may stand for: {@code sasha=aleksandr.aleksandra}.
     * Blocking keys and scores read that annotation; a full name that is no other name's form stays as it is.
     */
    public static List<String> tokens(String name, GivenNames names) {
        Objects.requireNonNull(names, "names");
        char[] latin = latin(name); // zeros past the last character end a token like any other non-letter
        int length = latin.length;
        Skeleton skeleton = new Skeleton();
        String[] found = new String[MAX_TOKENS];
        int count = 0;
        int start = -1;
        for (int i = 0; i <= length && count < MAX_TOKENS; i++) {
            char c = i < length ? latin[i] : ' ';
            if ((c >= 'a' && c <= 'z') || c == CYRILLIC_I_BEFORE_O) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                String s = skeleton.of(latin, start, i);
                start = -1;
                if (s.length() >= 2) {
                    count = insertSorted(found, count, annotate(s, names));
                }
            }
        }
        switch (count) {
            case 0:
                return List.of();
            case 1:
                return List.of(found[0]);
            case 2:
                return List.of(found[0], found[1]);
            case 3:
                return List.of(found[0], found[1], found[2]);
            default:
                return List.of(found[0], found[1], found[2], found[3]);
        }
    }

    /** The spelling skeletons of a name's words, without given-name annotations (for building name tables). */
    static List<String> spellingTokens(String name) {
        return tokens(name, GivenNames.none());
    }

    /** The token as written in forms: its skeleton, plus the full names it may stand for when it is another's form. */
    private static String annotate(String skeleton, GivenNames names) {
        String[] meanings = names.meaningsOf(skeleton);
        if (meanings == null || (meanings.length == 1 && meanings[0].equals(skeleton))) {
            return skeleton;
        }
        StringBuilder sb = new StringBuilder(skeleton.length() + 12 * meanings.length);
        sb.append(skeleton).append(MEANINGS);
        for (int i = 0; i < meanings.length; i++) {
            if (i > 0) {
                sb.append(MEANING_SEPARATOR);
            }
            sb.append(meanings[i]);
        }
        return sb.toString();
    }

    /** Adds {@code s} to the sorted distinct prefix {@code found[0, count)}; the new count. */
    private static int insertSorted(String[] found, int count, String s) {
        int at = 0;
        while (at < count) {
            int cmp = found[at].compareTo(s);
            if (cmp == 0) {
                return count;
            }
            if (cmp > 0) {
                break;
            }
            at++;
        }
        System.arraycopy(found, at, found, at + 1, count - at);
        found[at] = s;
        return count + 1;
    }

    /**
     * {@link #transliterate} into a char array, without a {@code String} in between for the names almost every event
     * carries (ASCII and Cyrillic); room left over at the end stays zero. Other scripts take the general path.
     */
    private static char[] latin(String name) {
        int n = name.length();
        char[] out = new char[n + n / 2 + 4];
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w + 4 > out.length) { // the longest rendering of one letter is four letters ("щ" -> "shch")
                out = Arrays.copyOf(out, 2 * out.length);
            }
            char c = name.charAt(i);
            if (c < 128) {
                if (isApostrophe(c)) {
                    continue; // Ol'ga, D`Artagnan: an apostrophe inside a name is no word break
                }
                out[w++] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c == CYRILLIC_I_BEFORE_O ? ' ' : c;
            } else if (c >= 0x400 && c < 0x500) {
                String t = CYRILLIC[c - 0x400];
                if (t == null) {
                    out[w++] = ' ';
                } else if (cyrillicIBeforeO(name, i)) {
                    out[w++] = CYRILLIC_I_BEFORE_O;
                } else {
                    t.getChars(0, t.length(), out, w);
                    w += t.length();
                }
            } else if (isApostrophe(c)) {
                continue; // typographic apostrophes, as above
            } else {
                return transliterate(name).toCharArray();
            }
        }
        return out;
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '`' || c == '\u2019' || c == '\u02bc';
    }

    /** Whether {@code name[i]} is a Cyrillic и or й followed by a Cyrillic о. */
    private static boolean cyrillicIBeforeO(String name, int i) {
        char c = name.charAt(i);
        if (c != 'и' && c != 'И' && c != 'й' && c != 'Й' || i + 1 >= name.length()) {
            return false;
        }
        char next = name.charAt(i + 1);
        return next == 'о' || next == 'О';
    }

    /**
     * Lower-case Latin rendering of a name: Cyrillic transliterated, Latin diacritics removed, apostrophes dropped; a
     * Cyrillic и/й before о is written as {@link #CYRILLIC_I_BEFORE_O}.
     */
    static String transliterate(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isApostrophe(c)) {
                continue;
            }
            if (c < 128) {
                sb.append(c == CYRILLIC_I_BEFORE_O ? ' ' : Character.toLowerCase(c));
            } else if (c >= 0x400 && c < 0x500) {
                String t = CYRILLIC[c - 0x400];
                sb.append(t == null ? " " : cyrillicIBeforeO(name, i) ? String.valueOf(CYRILLIC_I_BEFORE_O) : t);
            } else {
                ascii = false;
                sb.append(Character.toLowerCase(c));
            }
        }
        if (ascii) {
            return sb.toString();
        }
        // é -> e, ß stays (dropped as a non-letter); cheap enough, and only for names outside ASCII/Cyrillic
        String decomposed = Normalizer.normalize(sb, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Folds spelling variants transliterations disagree on, so they compare equal. */
    static String skeleton(CharSequence token) {
        char[] chars = token.toString().toCharArray();
        return new Skeleton().of(chars, 0, chars.length);
    }

    /**
     * The spelling skeleton of one token, computed in two scratch arrays that one name's tokens share. The steps run
     * in a fixed order, each over the previous step's output, because later rules look at what earlier ones wrote
     * ("tsch" becomes "csh" and then stays; "kh" becomes "h" before doubled letters collapse).
     */
    private static final class Skeleton {
        private char[] a = new char[24];
        private char[] b = new char[24];

        String of(char[] token, int from, int to) {
            int room = 2 * (to - from); // "x" -> "ks" at most doubles a token; no later step lengthens it
            if (room > a.length) {
                a = new char[room];
                b = new char[room];
            }
            int n = fold(token, from, to);
            n = replace(a, n, b, "shch"); // shch / sch -> sh (Shchukin / Schukin / Shukin)
            n = replace(b, n, a, "sch");
            int start = n > 3 && a[0] == 'i' && a[1] == 'e' ? 1 : 0; // ye- at the start -> e (Yevgeny / Evgeny)
            n = yo(a, start, n, b);
            n = collapse(b, n, a);
            return new String(a, 0, n);
        }

        /** Letter-level equivalences, {@code token[from, to)} into {@code a}; the length written. */
        private int fold(char[] token, int from, int to) {
            char[] s = a;
            int w = 0;
            for (int i = from; i < to; i++) {
                char c = token[i];
                char next = i + 1 < to ? token[i + 1] : 0;
                switch (c) {
                    case 'x':
                        s[w++] = 'k';
                        s[w++] = 's';
                        break;
                    case 'y':
                    case 'j':
                        s[w++] = 'i';
                        break;
                    case 'w':
                        s[w++] = 'v';
                        break;
                    case 'q':
                        s[w++] = 'k';
                        break;
                    case 'k': // kh -> h (Khristina / Hristina)
                        s[w++] = next == 'h' ? 'h' : 'k';
                        i += next == 'h' ? 1 : 0;
                        break;
                    case 'p': // ph -> f
                        s[w++] = next == 'h' ? 'f' : 'p';
                        i += next == 'h' ? 1 : 0;
                        break;
                    case 'c':
                        if (next == 'k') { // ck -> k
                            s[w++] = 'k';
                            i++;
                        } else if (next == 'h') {
                            s[w++] = 'c';
                            s[w++] = 'h';
                            i++;
                        } else if (next == 'e' || next == 'i' || next == 'y' || next == 'z') {
                            s[w++] = 'c'; // a soft c (Cyril, Alice) or a Polish-style cz: not a k
                        } else {
                            s[w++] = 'k'; // a hard c, as English spells it: Victor / Viktor, Nicolai / Nikolai
                        }
                        break;
                    case 't': // ts / tz -> c (Tsvetkova / Cvetkova)
                        boolean affricate = next == 's' || next == 'z';
                        s[w++] = affricate ? 'c' : 't';
                        i += affricate ? 1 : 0;
                        break;
                    default:
                        s[w++] = c;
                }
            }
            return w;
        }

        /**
         * {@code String.replace(pattern, "sh")} from {@code in[0, n)} into {@code out}: left to right, matches do not
         * overlap. Both patterns start with "s" and end with "ch".
         */
        private static int replace(char[] in, int n, char[] out, String pattern) {
            int p = pattern.length();
            int w = 0;
            int i = 0;
            while (i < n) {
                if (i + p <= n && matches(in, i, pattern)) {
                    out[w++] = 's';
                    out[w++] = 'h';
                    i += p;
                } else {
                    out[w++] = in[i++];
                }
            }
            return w;
        }

        private static boolean matches(char[] in, int at, String pattern) {
            for (int k = 0; k < pattern.length(); k++) {
                if (in[at + k] != pattern.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A consonant followed by "io" is a Cyrillic ё written out: Fyodor / Fedor, Artyom / Artem, Pyotr / Petr.
         * {@code in[start, n)} into {@code out}; two matches cannot overlap, since a match ends in "o".
         */
        private static int yo(char[] in, int start, int n, char[] out) {
            int w = 0;
            for (int i = start; i < n; i++) {
                if (i > start && i + 1 < n && in[i] == 'i' && in[i + 1] == 'o' && !isVowel(in[i - 1])) {
                    out[w++] = 'e';
                    i++;
                } else {
                    out[w++] = in[i];
                }
            }
            return w;
        }

        private static boolean isVowel(char c) {
            return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
        }

        /**
         * Collapses doubled letters: Dmitrii / Dmitriy (ii), Anastasiia / Anastasia, Alla / Ala. The Cyrillic и before
         * о becomes a plain 'i' here, after the ё rule.
         */
        private static int collapse(char[] in, int n, char[] out) {
            int w = 0;
            for (int i = 0; i < n; i++) {
                char c = in[i] == CYRILLIC_I_BEFORE_O ? 'i' : in[i];
                if (w == 0 || out[w - 1] != c) {
                    out[w++] = c;
                }
            }
            return w;
        }
    }

    /**
     * Blocking keys of a name: for every pair of its tokens, the two tokens' {@linkplain #shape shapes} in sorted
     * order. Empty when the name has fewer than two tokens.
     */
    public static Set<String> keys(List<String> tokens) {
        if (tokens.size() < 2) {
            return Set.of();
        }
        if (tokens.size() == 2 && tokens.get(0).indexOf(MEANINGS) < 0 && tokens.get(1).indexOf(MEANINGS) < 0) {
            return Set.of(pairKey(shape(tokens.get(0)), shape(tokens.get(1)))); // the common case
        }
        List<List<String>> shapes = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            shapes.add(shapes(token));
        }
        TreeSet<String> keys = new TreeSet<>();
        for (int i = 0; i < shapes.size(); i++) {
            for (int j = i + 1; j < shapes.size(); j++) {
                for (String a : shapes.get(i)) {
                    for (String b : shapes.get(j)) {
                        keys.add(pairKey(a, b));
                    }
                }
            }
        }
        return keys;
    }

    /**
     * The shapes a token is blocked under: its own, or for a form of other names the shapes of the full names it may
     * stand for ("sasha" is blocked with Aleksandr and Aleksandra, so a customer named by either is found).
     */
    static List<String> shapes(String token) {
        int eq = token.indexOf(MEANINGS);
        if (eq < 0) {
            return List.of(shape(token));
        }
        List<String> out = new ArrayList<>(2);
        int start = eq + 1;
        for (int i = start; i <= token.length(); i++) {
            if (i == token.length() || token.charAt(i) == MEANING_SEPARATOR) {
                String shape = shape(token.substring(start, i));
                if (!out.contains(shape)) {
                    out.add(shape);
                }
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * The blocking keys a two-word name is also looked up under, to find a customer whose name lacks one consonant of
     * this one (a consonant dropped by a typo: an event from "Petrova" finds an earlier "Petova"): each key of
     * {@link #keys} with one consonant removed from one of the pair's shapes, for shapes of at least three consonants.
     * The index holds exact keys only (a key per deletion would multiply its size), so the typo is found from the
     * event of the longer spelling, not from the shorter one.
     */
    static Set<String> typoKeys(List<String> tokens, GivenNames names) {
        if (tokens.size() != 2) {
            return Set.of(); // names with a patronymic already have three keys, one of them without the typo
        }
        String t0 = tokens.get(0);
        String t1 = tokens.get(1);
        if (t0.indexOf(MEANINGS) >= 0 || t1.indexOf(MEANINGS) >= 0) {
            return Set.of();
        }
        // a given name the table knows is spelled right (it was found): only the other token may hold the typo
        boolean known0 = names.meaningsOf(t0) != null;
        boolean known1 = names.meaningsOf(t1) != null;
        String a = shape(t0);
        String b = shape(t1);
        Set<String> out = null;
        if (!known1 && b.length() >= 4) {
            out = new LinkedHashSet<>();
            for (int i = 1; i < b.length(); i++) {
                out.add(pairKey(a, b.substring(0, i) + b.substring(i + 1)));
            }
        }
        if (!known0 && a.length() >= 4) {
            out = out == null ? new LinkedHashSet<>() : out;
            for (int i = 1; i < a.length(); i++) {
                out.add(pairKey(a.substring(0, i) + a.substring(i + 1), b));
            }
        }
        return out == null ? Set.of() : out;
    }

    private static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? "n:" + a + "|" + b : "n:" + b + "|" + a;
    }

    /**
     * A typo-tolerant fingerprint of one token: its first letter and the set of consonants after it, in alphabetical
     * order. Transposed letters (Petorva), wrong or missing vowels (Petrava, Petrva) and spelling variants the
     * skeleton did not fold (Aleksandr / Aleksander) keep the shape, while a different surname (Petrenko) changes it,
     * so a block holds namesakes and near-namesakes rather than everyone whose name starts alike.
     */
    static String shape(String token) {
        int mask = 0;
        for (int i = 1; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= 'a' && c <= 'z' && c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u' && c != 'y') {
                mask |= 1 << (c - 'a');
            }
        }
        char[] out = new char[1 + Integer.bitCount(mask)];
        out[0] = token.charAt(0);
        int w = 1;
        for (int bits = mask; bits != 0; bits &= bits - 1) {
            out[w++] = (char) ('a' + Integer.numberOfTrailingZeros(bits));
        }
        return new String(out);
    }

    /**
     * The form a name is indexed and compared in: its {@linkplain #tokens tokens} joined by single spaces
     * ("anastasia petrova"). An index that keeps this next to a name's {@linkplain #keys keys} lets candidates be
     * scored with {@link #similarity(String, String)} without reading the customers behind them.
     */
    public static String form(List<String> tokens) {
        return tokens.size() == 1 ? tokens.get(0) : String.join(" ", tokens);
    }

    /** The {@linkplain #form form} of a display name: its {@linkplain #tokens tokens}, joined. */
    public static String formOf(String name) {
        return form(tokens(name));
    }

    /**
     * Similarity 0..1 of two token lists: each token of the shorter name is aligned with its most similar unused
     * token of the other; the score is the cube of the weakest alignment (one very different surname sinks the
     * pair), so Anastasia Petrova / Anastasiya Petrova score 1, a transposition typo about 0.9, and Petrova /
     * Petrenko (0.65) falls below the usual threshold. Names with fewer than two tokens score 0.
     */
    public static double similarity(List<String> a, List<String> b) {
        return similarity(form(a), form(b), 0);
    }

    /** {@link #similarity(List, List)} of two names in their {@linkplain #form form}. */
    public static double similarity(String a, String b) {
        return similarity(a, b, 0);
    }

    /** {@link #similarity(String, String, double)} of two token lists. */
    static double similarity(List<String> a, List<String> b, double floor) {
        return similarity(form(a), form(b), floor);
    }

    /**
     * {@link #similarity(String, String)}, or 0 as soon as some token's best alignment falls below {@code floor}:
     * the score is the cube of the weakest alignment, so a caller that only wants scores of at least {@code floor^3}
     * need not align the rest. Works on the forms in place (token bounds, no substrings): this runs for every
     * candidate of every event.
     */
    static double similarity(String a, String b, double floor) {
        return similarity(a, bounds(a), b, floor);
    }

    /**
     * {@link #similarity(String, String, double)} with the token bounds of {@code a} ({@link #bounds}) computed by
     * the caller: the identity engine scores one event's name against every candidate of its blocks, and splitting
     * that name once instead of once per candidate saves a scan and an array per candidate.
     */
    static double similarity(String a, int[] ta, String b, double floor) {
        int[] tb = bounds(b);
        if (ta.length < 6 || tb.length < 6) {
            return 0;
        }
        boolean aShorter = ta.length <= tb.length;
        String shorter = aShorter ? a : b;
        String longer = aShorter ? b : a;
        int[] ts = aShorter ? ta : tb;
        int[] tl = aShorter ? tb : ta;
        boolean[] used = new boolean[tl.length / 3];
        double weakest = 1;
        for (int i = 0; i < ts.length; i += 3) {
            double best = 0;
            int bestAt = -1;
            for (int j = 0; j < tl.length; j += 3) {
                if (!used[j / 3]) {
                    double s;
                    if ((ts[i + 1] != ts[i + 2] || tl[j + 1] != tl[j + 2])
                            && sameGivenName(shorter, ts[i], ts[i + 1], ts[i + 2], longer, tl[j], tl[j + 1], tl[j + 2])) {
                        s = 1; // a diminutive and its full name, or two forms of one name (Sasha / Shura)
                    } else {
                        s = jaroWinkler(shorter, ts[i], ts[i + 1] - ts[i], longer, tl[j], tl[j + 1] - tl[j]);
                    }
                    if (s > best) {
                        best = s;
                        bestAt = j / 3;
                        if (s == 1) {
                            break; // an identical token: nothing later can beat it (ties keep the first anyway)
                        }
                    }
                }
            }
            if (bestAt < 0 || best < floor) {
                return 0;
            }
            used[bestAt] = true;
            weakest = Math.min(weakest, best);
        }
        return weakest * weakest * weakest;
    }

    /**
     * Whether two tokens (start, end of the skeleton, end of the annotation) may stand for one full name: some name
     * is in both meaning lists, where a token without annotation means only itself.
     */
    private static boolean sameGivenName(String a, int as, int ac, int ae, String b, int bs, int bc, int be) {
        int i = ac == ae ? as : ac + 1;
        int iEnd = ac == ae ? ac : ae;
        while (i < iEnd) {
            int next = i;
            while (next < iEnd && a.charAt(next) != MEANING_SEPARATOR) {
                next++;
            }
            if (hasMeaning(b, bs, bc, be, a, i, next - i)) {
                return true;
            }
            i = next + 1;
        }
        return false;
    }

    /** Whether the token of {@code b} means {@code a[from, from + len)}. */
    private static boolean hasMeaning(String b, int bs, int bc, int be, String a, int from, int len) {
        if (bc == be) {
            return bc - bs == len && b.regionMatches(bs, a, from, len);
        }
        int i = bc + 1;
        while (i < be) {
            int next = i;
            while (next < be && b.charAt(next) != MEANING_SEPARATOR) {
                next++;
            }
            if (next - i == len && b.regionMatches(i, a, from, len)) {
                return true;
            }
            i = next + 1;
        }
        return false;
    }

    /**
     * Start, end of the skeleton (where a given-name annotation starts, else the end) and end of each space-separated
     * token of a form, as triples.
     */
    static int[] bounds(String form) {
        if (form.isEmpty()) {
            return new int[0];
        }
        int count = 1;
        for (int i = 0; i < form.length(); i++) {
            if (form.charAt(i) == ' ') {
                count++;
            }
        }
        int[] out = new int[3 * count];
        int start = 0;
        int core = -1;
        int k = 0;
        for (int i = 0; i <= form.length(); i++) {
            char c = i == form.length() ? ' ' : form.charAt(i);
            if (c == ' ') {
                out[k++] = start;
                out[k++] = core < 0 ? i : core;
                out[k++] = i;
                start = i + 1;
                core = -1;
            } else if (c == MEANINGS && core < 0) {
                core = i;
            }
        }
        return out;
    }

    /** Jaro-Winkler similarity with the standard 0.1 prefix scale over at most four leading characters. */
    static double jaroWinkler(String s1, String s2) {
        return jaroWinkler(s1, 0, s1.length(), s2, 0, s2.length());
    }

    /** {@link #jaroWinkler(String, String)} of {@code s1[o1, o1 + l1)} and {@code s2[o2, o2 + l2)}. */
    private static double jaroWinkler(String s1, int o1, int l1, String s2, int o2, int l2) {
        if (l1 == l2 && s1.regionMatches(o1, s2, o2, l1)) {
            return 1;
        }
        if (l1 == 0 || l2 == 0) {
            return 0;
        }
        int window = Math.max(0, Math.max(l1, l2) / 2 - 1);
        if (l1 <= 64 && l2 <= 64) {
            return jaroWinklerShort(s1, o1, l1, s2, o2, l2, window);
        }
        boolean[] m1 = new boolean[l1];
        boolean[] m2 = new boolean[l2];
        int matches = 0;
        for (int i = 0; i < l1; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(l2 - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!m2[j] && s1.charAt(o1 + i) == s2.charAt(o2 + j)) {
                    m1[i] = true;
                    m2[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < l1; i++) {
            if (m1[i]) {
                while (!m2[k]) {
                    k++;
                }
                if (s1.charAt(o1 + i) != s2.charAt(o2 + k)) {
                    transpositions++;
                }
                k++;
            }
        }
        return winkler(s1, o1, l1, s2, o2, l2, matches, transpositions);
    }

    /**
     * The same computation as {@link #jaroWinkler(String, String)} with the matched-character flags kept in two longs
     * instead of two arrays: name tokens are short, and this runs for every candidate token pair.
     */
    private static double jaroWinklerShort(String s1, int o1, int l1, String s2, int o2, int l2, int window) {
        long m1 = 0;
        long m2 = 0;
        int matches = 0;
        for (int i = 0; i < l1; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(l2 - 1, i + window);
            char c = s1.charAt(o1 + i);
            for (int j = from; j <= to; j++) {
                if ((m2 & (1L << j)) == 0 && c == s2.charAt(o2 + j)) {
                    m1 |= 1L << i;
                    m2 |= 1L << j;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < l1; i++) {
            if ((m1 & (1L << i)) != 0) {
                while ((m2 & (1L << k)) == 0) {
                    k++;
                }
                if (s1.charAt(o1 + i) != s2.charAt(o2 + k)) {
                    transpositions++;
                }
                k++;
            }
        }
        return winkler(s1, o1, l1, s2, o2, l2, matches, transpositions);
    }

    /** Jaro from the matching counts, raised by the Winkler bonus for up to four equal leading characters. */
    private static double winkler(String s1, int o1, int l1, String s2, int o2, int l2, int matches,
                                  int transpositions) {
        double m = matches;
        double jaro = (m / l1 + m / l2 + (m - transpositions / 2.0) / m) / 3.0;
        int prefix = 0;
        for (int i = 0; i < Math.min(4, Math.min(l1, l2)) && s1.charAt(o1 + i) == s2.charAt(o2 + i); i++) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
