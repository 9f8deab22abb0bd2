package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameMatcherTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource({
            "Анастасия Петрова, Anastasia Petrova",
            "Анастасия Петрова, Petrova Anastasiya",
            "Александр Смирнов, Alexander Smirnov",
            "Aleksandr Smirnov, Alexander Smirnov",
            "Юлия Щукина, Yulia Shchukina",
            "Дмитрий Цветков, Dmitriy Tsvetkov",
            "Фёдор Крылов, Fyodor Krylov",
            "Наталья Хохлова, Natalya Khokhlova",
            "Андрей Бойко, Andrey Boyko",
            "Евгений Ильин, Yevgeny Ilyin",
            "Anastasia Petrova, Anastasia Petorva",
            "Ксения Соколова, Kseniya Sokolova",
            "Петрова Анастасия Игоревна, Anastasia Petrova",
    })
    void sameNameAcrossScriptsAndSpellingsSharesAKeyAndScoresHigh(String a, String b) {
        var ta = NameMatcher.tokens(a);
        var tb = NameMatcher.tokens(b);
        assertThat(NameMatcher.keys(ta)).as(ta + " vs " + tb).containsAnyElementsOf(NameMatcher.keys(tb));
        assertThat(NameMatcher.similarity(ta, tb)).as(ta + " vs " + tb).isGreaterThanOrEqualTo(0.75);
    }

    @ParameterizedTest(name = "{0} !~ {1}")
    @CsvSource({
            "Anastasia Petrova, Anastasia Petrenko",
            "Anastasia Petrova, Maria Ivanova",
            "Ivan Petrov, Sergey Petrov",
    })
    void differentNamesScoreLow(String a, String b) {
        assertThat(NameMatcher.similarity(NameMatcher.tokens(a), NameMatcher.tokens(b))).isLessThan(0.75);
    }

    @ParameterizedTest
    @CsvSource({"Anna", "'  '", "A"})
    void singleTokenNamesHaveNoKeys(String name) {
        assertThat(NameMatcher.keys(NameMatcher.tokens(name))).isEmpty();
    }

    @Test
    void shortStringJaroWinklerAndTheAlignmentFloorChangeNoScore() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        String letters = "abcdeiklmnoprstv";
        for (int n = 0; n < 50_000; n++) {
            String a = word(r, letters, 1 + r.nextInt(14));
            String b = r.nextInt(4) == 0 ? a.substring(0, Math.max(1, a.length() - r.nextInt(3))) + word(r, letters, r.nextInt(3))
                    : word(r, letters, 1 + r.nextInt(14));
            assertThat(NameMatcher.jaroWinkler(a, b)).as(a + " / " + b).isEqualTo(referenceJaroWinkler(a, b));
            var ta = java.util.List.of(a, word(r, letters, 2 + r.nextInt(8)));
            var tb = java.util.List.of(b, r.nextBoolean() ? ta.get(1) : word(r, letters, 2 + r.nextInt(8)));
            double full = NameMatcher.similarity(ta, tb);
            double floored = NameMatcher.similarity(ta, tb, Math.cbrt(0.75) - 1e-9);
            assertThat(floored).as(ta + " / " + tb).isEqualTo(full >= 0.75 ? full : floored);
            assertThat(floored >= 0.75).as(ta + " / " + tb).isEqualTo(full >= 0.75);
        }
    }

    @Test
    void formsAreScoredInPlaceExactlyAsSeparateTokens() {
        // the engine scores index entries from their form ("ana petrova") without splitting it; the score must be the
        // one a token-by-token alignment over the split tokens gives
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        String letters = "abdeiklmnoprstv";
        for (int n = 0; n < 20_000; n++) {
            java.util.List<String> a = new java.util.ArrayList<>();
            java.util.List<String> b = new java.util.ArrayList<>();
            int tokensA = 1 + r.nextInt(4);
            int tokensB = 1 + r.nextInt(4);
            for (int i = 0; i < tokensA; i++) {
                a.add(word(r, letters, 2 + r.nextInt(9)));
            }
            for (int i = 0; i < tokensB; i++) {
                b.add(i < tokensA && r.nextBoolean() ? a.get(i) : word(r, letters, 2 + r.nextInt(9)));
            }
            String fa = NameMatcher.form(a);
            String fb = NameMatcher.form(b);
            assertThat(fa).isEqualTo(String.join(" ", a));
            assertThat(NameMatcher.similarity(fa, fb)).as(fa + " / " + fb).isEqualTo(referenceSimilarity(a, b));
        }
    }

    /** The alignment rule of {@link NameMatcher#similarity(String, String)}, over split tokens. */
    private static double referenceSimilarity(java.util.List<String> a, java.util.List<String> b) {
        if (a.size() < 2 || b.size() < 2) {
            return 0;
        }
        java.util.List<String> shorter = a.size() <= b.size() ? a : b;
        java.util.List<String> longer = shorter == a ? b : a;
        boolean[] used = new boolean[longer.size()];
        double weakest = 1;
        for (String t : shorter) {
            double best = 0;
            int bestAt = -1;
            for (int j = 0; j < longer.size(); j++) {
                double s = used[j] ? 0 : referenceJaroWinkler(t, longer.get(j));
                if (!used[j] && s > best) {
                    best = s;
                    bestAt = j;
                }
            }
            if (bestAt < 0) {
                return 0;
            }
            used[bestAt] = true;
            weakest = Math.min(weakest, best);
        }
        return weakest * weakest * weakest;
    }

    private static String word(java.util.SplittableRandom r, String letters, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(letters.charAt(r.nextInt(letters.length())));
        }
        return sb.toString();
    }

    /** Jaro-Winkler as first written, with flag arrays, to check the bitmask version against. */
    private static double referenceJaroWinkler(String s1, String s2) {
        if (s1.equals(s2)) {
            return 1;
        }
        int l1 = s1.length();
        int l2 = s2.length();
        if (l1 == 0 || l2 == 0) {
            return 0;
        }
        int window = Math.max(0, Math.max(l1, l2) / 2 - 1);
        boolean[] m1 = new boolean[l1];
        boolean[] m2 = new boolean[l2];
        int matches = 0;
        for (int i = 0; i < l1; i++) {
            for (int j = Math.max(0, i - window); j <= Math.min(l2 - 1, i + window); j++) {
                if (!m2[j] && s1.charAt(i) == s2.charAt(j)) {
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
                if (s1.charAt(i) != s2.charAt(k)) {
                    transpositions++;
                }
                k++;
            }
        }
        double m = matches;
        double jaro = (m / l1 + m / l2 + (m - transpositions / 2.0) / m) / 3.0;
        int prefix = 0;
        for (int i = 0; i < Math.min(4, Math.min(l1, l2)) && s1.charAt(i) == s2.charAt(i); i++) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
