package dev.switchboard.channel.email;

import dev.switchboard.channel.Channel;
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
    private GreenMailFake fake;

    boolean idle() {
        return true;
    }

    @Override
    protected PlatformFake createFake() throws Exception {
        fake = new GreenMailFake();
        return fake;
    }

    @Override
    protected Channel createChannel(PlatformFake platform) {
        return builder((GreenMailFake) platform).build();
    }

    private EmailChannel.Builder builder(GreenMailFake f) {
        return EmailChannel.builder()
                .id(ChannelId.of("email-support"))
                .address(GreenMailFake.MAILBOX)
                .displayName("Shop Support")
                .imap(f.imap("support", GreenMailFake.PASSWORD, idle()))
                .smtp(f.smtp("support", GreenMailFake.PASSWORD))
                .threadTokenSecret(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake platform) {
        GreenMailFake f = (GreenMailFake) platform;
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
        return Set.of(GreenMailFake.PASSWORD, TOKEN_SECRET);
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        return List.of(channel, ((EmailChannel) channel).config(), fake.imap("support", GreenMailFake.PASSWORD, true),
                fake.smtp("support", GreenMailFake.PASSWORD));
    }

    /** An IMAP message whose commit failed stays above the stored UID and is read again on the next pass. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected String customerId() {
        return GreenMailFake.CUSTOMER;
    }
}
