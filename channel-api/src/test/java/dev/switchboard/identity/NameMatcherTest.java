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
