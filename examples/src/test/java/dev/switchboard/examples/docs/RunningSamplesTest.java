package dev.switchboard.examples.docs;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/running.md, verbatim between the markers (see {@link DocSamplesTest}). */
class RunningSamplesTest {

    @Test
    void aChannelThatCannotBeRestartedIsRegisteredWithAFactory() {
        InboxStore store = new InMemoryInboxStore();
        AcmeSmsChannel.Config config = new AcmeSmsChannel.Config("https://sms.acme.example");
        // ---- doc snippet begins
        Inbox inbox = Inbox.builder()
                .store(store)
                .channel(() -> new AcmeSmsChannel(config))   // called once now, and again after a refused restart
                .build();
        // ---- doc snippet ends
        try (inbox) {
            inbox.start();
            assertThat(inbox.channels()).singleElement().isInstanceOf(AcmeSmsChannel.class);
        }
    }
}
