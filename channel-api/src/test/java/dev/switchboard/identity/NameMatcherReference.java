package dev.switchboard.identity;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The straightforward tokenizer {@link NameMatcher} shipped before it was rewritten to work on char arrays (one
 * {@code String} per token instead of several intermediate ones per step), kept as the oracle the rewrite must agree
 * with character for character: {@code NameMatcherEquivalenceTest} runs both over names from the wild and
 * over random strings built from the letters every folding rule looks at.
 */
final class NameMatcherReference {

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

    private NameMatcherReference() {
    }

    /** The spelling skeleton of every token of the name, sorted, without duplicates; empty for a blank name. */
    static List<String> tokens(String name) {
        String latin = transliterate(name);
        TreeSet<String> out = new TreeSet<>();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i <= latin.length(); i++) {
            char c = i < latin.length() ? latin.charAt(i) : ' ';
            if ((c >= 'a' && c <= 'z') || c == NameMatcher.CYRILLIC_I_BEFORE_O) {
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
            if (c == '\'' || c == '`' || c == '\u2019' || c == '\u02bc') {
                continue; // apostrophes inside a name are no word break
            }
            if (c < 128) {
                sb.append(c == NameMatcher.CYRILLIC_I_BEFORE_O ? ' ' : Character.toLowerCase(c));
            } else if (c >= 0x400 && c < 0x500) {
                String t = CYRILLIC[c - 0x400];
                boolean io = "иИйЙ".indexOf(c) >= 0 && i + 1 < name.length() && "оО".indexOf(name.charAt(i + 1)) >= 0;
                sb.append(t == null ? " " : io ? String.valueOf(NameMatcher.CYRILLIC_I_BEFORE_O) : t);
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
                    } else if ("eiyz".indexOf(next) >= 0 && next != 0) {
                        s.append('c');
                    } else {
                        s.append('k'); // a hard c: Victor / Viktor
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
            char c = out.charAt(i) == NameMatcher.CYRILLIC_I_BEFORE_O ? 'i' : out.charAt(i);
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
    static Set<String> keys(List<String> tokens) {
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

}
