package dev.switchboard.examples.docs;

import dev.switchboard.channel.Channel;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/rendering.md, verbatim between the markers (see {@link DocSamplesTest}). */
class RenderingSamplesTest {

    @Test
    void renderingForAChannelWithoutButtons() {
        Channel channel = new AcmeSmsChannel(new AcmeSmsChannel.Config("https://sms.acme.example"));
        Content content = Content.of(Choices.of("Which size?", Choice.postback("Small", "size:s"),
                Choice.postback("Large", "size:l")));
        List<Bubble> sent = new ArrayList<>();
        // ---- doc snippet begins
        RenderedMessage r = Renderer.standard().render(content, channel.capabilities(), channel.id());
        for (Bubble b : r.bubbles()) { /* one OutboundMessage each */ }
        r.choiceMap().resolve("2");   // later: the customer's reply "2" -> Optional.of(postback payload)
        // ---- doc snippet ends
        sent.addAll(r.bubbles());
        assertThat(sent).isNotEmpty();
        assertThat(r.choiceMap().resolve("2")).contains("size:l");
    }
}
