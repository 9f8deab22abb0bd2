package dev.switchboard.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A numbered reply maps back to the postback of the choice with that number, and nothing else does. */
class ChoiceMapTest {
    private final ChoiceMap map = Renderer.standard().render(Content.of(Choices.of("Deliver when?",
            Choice.postback("Today", "when:today"), Choice.postback("Tomorrow", "when:tomorrow"),
            Choice.postback("Later", "when:later"))), Caps.plain(200)).choiceMap();

    @ParameterizedTest
    @ValueSource(strings = {"2", " 2. ", "2)", "2.", "\t2\n", "2 )"})
    void aNumberSelectsTheChoice(String reply) {
        assertThat(map.resolve(reply)).contains("when:tomorrow");
    }

    @ParameterizedTest
    @ValueSource(strings = {"22", "two", "2 please", "12", "0", "4", "", " ", "-2", "2,3", "#2", "Tomorrow"})
    void anythingElseSelectsNothing(String reply) {
        assertThat(map.resolve(reply)).isEmpty();
    }

    @Test
    void numbersStartAtOneInChoiceOrder() {
        assertThat(map.resolve("1")).contains("when:today");
        assertThat(map.resolve("3")).contains("when:later");
    }

    @Test
    void nativeButtonsNeedNoMap() {
        ChoiceMap nativeMap = Renderer.standard().render(Content.of(Choices.of("Deliver when?",
                Choice.postback("Today", "when:today"))), Caps.telegram()).choiceMap();
        assertThat(nativeMap.isEmpty()).isTrue();
    }
}
