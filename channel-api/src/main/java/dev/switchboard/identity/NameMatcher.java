package dev.switchboard.identity;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
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

    private NameMatcher() {
    }

    /** The spelling skeleton of every token of the name, sorted, without duplicates; empty for a blank name. */
    public static List<String> tokens(String name) {
        String latin = transliterate(name);
        TreeSet<String> out = new TreeSet<>();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i <= latin.length(); i++) {
            char c = i < latin.length() ? latin.charAt(i) : ' ';
            if (c >= 'a' && c <= 'z') {
                token.append(c);
            } else if (token.length() > 0) {
                String s = skeleton(token);
                if (s.length() >= 2) {
                    out.add(s);
                }
                token.setLength(0);
                if (out.size() == MAX_TOKENS) {
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    /** Lower-case Latin rendering of a name: Cyrillic transliterated, Latin diacritics removed. */
    static String transliterate(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 128) {
                sb.append(Character.toLowerCase(c));
            } else if (c >= 0x400 && c < 0x500) {
                String t = CYRILLIC[c - 0x400];
                sb.append(t == null ? " " : t);
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
        StringBuilder s = new StringBuilder(token.length() + 4);
        int n = token.length();
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            char next = i + 1 < n ? token.charAt(i + 1) : 0;
            switch (c) {
                case 'x':
                    s.append("ks");
                    break;
                case 'y':
                case 'j':
                    s.append('i');
                    break;
                case 'w':
                    s.append('v');
                    break;
                case 'q':
                    s.append('k');
                    break;
                case 'k':
                    if (next == 'h') { // kh -> h (Khristina / Hristina)
                        s.append('h');
                        i++;
                    } else {
                        s.append('k');
                    }
                    break;
                case 'p':
                    if (next == 'h') { // ph -> f
                        s.append('f');
                        i++;
                    } else {
                        s.append('p');
                    }
                    break;
                case 'c':
                    if (next == 'k') { // ck -> k
                        s.append('k');
                        i++;
                    } else if (next == 'h') {
                        s.append("ch");
                        i++;
                    } else {
                        s.append('c');
                    }
                    break;
                case 't':
                    if (next == 's' || next == 'z') { // ts / tz -> c (Tsvetkova / Cvetkova)
                        s.append('c');
                        i++;
                    } else {
                        s.append('t');
                    }
                    break;
                default:
                    s.append(c);
            }
        }
        // shch / sch -> sh (Shchukin / Schukin / Shukin); ye- at the start -> e (Yevgeny / Evgeny)
        String out = s.toString().replace("shch", "sh").replace("sch", "sh");
        if (out.startsWith("ie") && out.length() > 3) {
            out = out.substring(1);
        }
        // a consonant followed by "io" is a Cyrillic ё written out: Fyodor / Fedor, Artyom / Artem, Pyotr / Petr
        StringBuilder yo = null;
        for (int i = 1; i + 1 < out.length(); i++) {
            if (out.charAt(i) == 'i' && out.charAt(i + 1) == 'o' && "aeiou".indexOf(out.charAt(i - 1)) < 0) {
                if (yo == null) {
                    yo = new StringBuilder(out);
                }
                int at = yo.length() - (out.length() - i);
                yo.replace(at, at + 2, "e");
            }
        }
        if (yo != null) {
            out = yo.toString();
        }
        // collapse doubled letters: Dmitrii / Dmitriy (ii), Anastasiia / Anastasia, Alla / Ala
        StringBuilder collapsed = new StringBuilder(out.length());
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (collapsed.length() == 0 || collapsed.charAt(collapsed.length() - 1) != c) {
                collapsed.append(c);
            }
        }
        return collapsed.toString();
    }

    /**
     * Blocking keys of a name: for every pair of its tokens, the two tokens' {@linkplain #shape shapes} in sorted
     * order. Empty when the name has fewer than two tokens.
     */
    public static Set<String> keys(List<String> tokens) {
        if (tokens.size() < 2) {
            return Set.of();
        }
        if (tokens.size() == 2) {
            return Set.of(pairKey(shape(tokens.get(0)), shape(tokens.get(1))));
        }
        String[] shapes = new String[tokens.size()];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = shape(tokens.get(i));
        }
        TreeSet<String> keys = new TreeSet<>();
        for (int i = 0; i < shapes.length; i++) {
            for (int j = i + 1; j < shapes.length; j++) {
                keys.add(pairKey(shapes[i], shapes[j]));
            }
        }
        return keys;
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
            if (c >= 'a' && c <= 'z' && "aeiouy".indexOf(c) < 0) {
                mask |= 1 << (c - 'a');
            }
        }
        StringBuilder sb = new StringBuilder(12);
        sb.append(token.charAt(0));
        for (int b = 0; b < 26; b++) {
            if ((mask & (1 << b)) != 0) {
                sb.append((char) ('a' + b));
            }
        }
        return sb.toString();
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
        int[] ta = bounds(a);
        int[] tb = bounds(b);
        if (ta.length < 4 || tb.length < 4) {
            return 0;
        }
        boolean aShorter = ta.length <= tb.length;
        String shorter = aShorter ? a : b;
        String longer = aShorter ? b : a;
        int[] ts = aShorter ? ta : tb;
        int[] tl = aShorter ? tb : ta;
        boolean[] used = new boolean[tl.length / 2];
        double weakest = 1;
        for (int i = 0; i < ts.length; i += 2) {
            double best = 0;
            int bestAt = -1;
            for (int j = 0; j < tl.length; j += 2) {
                if (!used[j / 2]) {
                    double s = jaroWinkler(shorter, ts[i], ts[i + 1] - ts[i], longer, tl[j], tl[j + 1] - tl[j]);
                    if (s > best) {
                        best = s;
                        bestAt = j / 2;
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

    /** Start and end offsets of the space-separated tokens of a form, as pairs. */
    private static int[] bounds(String form) {
        if (form.isEmpty()) {
            return new int[0];
        }
        int count = 1;
        for (int i = 0; i < form.length(); i++) {
            if (form.charAt(i) == ' ') {
                count++;
            }
        }
        int[] out = new int[2 * count];
        int start = 0;
        int k = 0;
        for (int i = 0; i <= form.length(); i++) {
            if (i == form.length() || form.charAt(i) == ' ') {
                out[k++] = start;
                out[k++] = i;
                start = i + 1;
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
