package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMailboxStateStoreTest {

    @Test
    void savesAndLoadsPerKey(@TempDir Path dir) {
        MailboxStateStore store = MailboxStateStore.files(dir);
        store.save("support@shop.example/INBOX", new MailboxState(7, 42));
        store.save("feedback@shop.example/INBOX", new MailboxState(9, 3));

        MailboxStateStore reopened = MailboxStateStore.files(dir);
        assertThat(reopened.load("support@shop.example/INBOX")).contains(new MailboxState(7, 42));
        assertThat(reopened.load("feedback@shop.example/INBOX")).contains(new MailboxState(9, 3));
        assertThat(reopened.load("other@shop.example/INBOX")).isEmpty();
    }

    @Test
    void aSaveFromAnInterruptedThreadStillLandsAndKeepsTheInterrupt(@TempDir Path dir) {
        // a receiver being stopped is interrupted right after a commit; the cursor of that commit must be saved
        MailboxStateStore store = MailboxStateStore.files(dir);
        Thread.currentThread().interrupt();
        try {
            store.save("support@shop.example/INBOX", new MailboxState(7, 43));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(store.load("support@shop.example/INBOX")).contains(new MailboxState(7, 43));
    }
}
