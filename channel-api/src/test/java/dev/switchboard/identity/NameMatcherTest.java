package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

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
}
