package dev.switchboard.channel.email;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.KitFeature;
import dev.switchboard.testkit.PlatformFake;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The compatibility kit against GreenMail with IMAP IDLE (GreenMail advertises IDLE). SMTP has no retry-after, so
 * {@link KitFeature#RETRY_AFTER} is unsupported; the rate-limit test still requires a retryable failure.
 */
class EmailCompatibilityTest extends ChannelCompatibilityKit {
    static final String TOKEN_SECRET = "kit-thread-token-secret-0123456789";
    private MailFake fake;

    boolean idle() {
        return true;
    }

    @Override
    protected PlatformFake createFake() throws Exception {
        fake = TestMail.fake();
        return fake;
    }

    @Override
    protected Channel createChannel(PlatformFake platform) {
        return builder((MailFake) platform).build();
    }

    private EmailChannel.Builder builder(MailFake f) {
        return EmailChannel.builder()
                .id(ChannelId.of("email-support"))
                .address(MailFake.MAILBOX)
                .displayName("Shop Support")
                .imap(TestMail.imap(f, "support", MailFake.PASSWORD, idle()))
                .smtp(TestMail.smtp(f, "support", MailFake.PASSWORD))
                .threadTokenSecret(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake platform) {
        MailFake f = (MailFake) platform;
        return Map.of(
                "address", () -> builder(f).address("not-an-address").build(),
                "threadTokenSecret", () -> builder(f).threadTokenSecret(new byte[4]).build(),
                "maxTextLength", () -> builder(f).maxTextLength(10).build());
    }

    @Override
    protected Set<KitFeature> unsupported() {
        return Set.of(KitFeature.RETRY_AFTER);
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(MailFake.PASSWORD, TOKEN_SECRET);
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        return List.of(channel, ((EmailChannel) channel).config(), TestMail.imap(fake, "support", MailFake.PASSWORD, true),
                TestMail.smtp(fake, "support", MailFake.PASSWORD));
    }

    /** An IMAP message whose commit failed stays above the stored UID and is read again on the next pass. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected String customerId() {
        return MailFake.CUSTOMER;
    }
}
