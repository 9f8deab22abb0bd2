package dev.switchboard.channel.email;

import dev.switchboard.channel.email.testing.MailFake;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/** Flags of the shop mailbox's INBOX messages as a second IMAP client sees them. */
final class ImapFlags {
    private ImapFlags() {
    }

    /** Per message: is the processed keyword set. */
    static List<Boolean> processed(MailFake fake) throws Exception {
        return flags(fake, f -> f.contains(ImapSettings.DEFAULT_PROCESSED_KEYWORD));
    }

    /** Per message: is \Seen set. */
    static List<Boolean> seen(MailFake fake) throws Exception {
        return flags(fake, f -> f.contains(Flags.Flag.SEEN));
    }

    private static List<Boolean> flags(MailFake fake, Predicate<Flags> test) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", fake.imapPort(), "support", MailFake.PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<Boolean> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                out.add(test.test(m.getFlags()));
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
