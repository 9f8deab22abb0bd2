package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.Resolution;
import dev.switchboard.identity.SignedDeepLinks;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A customer who opens the host's signed deep link ({@code vk.me/<group>?ref=<token>}) arrives with the token in the
 * message's {@code ref}: the mapper passes it on, and the identity engine turns a valid one into the host's user id as
 * verified evidence, while a forged token or a plain campaign ref is dropped without failing the message.
 */
class VkDeepLinkTest {
    private static final long GROUP = 229000001L;
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ObjectMapper json = new ObjectMapper();
    private final SignedDeepLinks links = SignedDeepLinks.builder().secret(TestChannels.TENANT, filled(7))
            .secret(TenantId.of("other"), filled(9)).clock(clock).build();
    private final VkInboundMapper mapper = new VkInboundMapper(TestChannels.ID, TestChannels.TENANT, GROUP, json,
            clock);

    @Test
    void aSignedRefMakesTheAccountTheHostUser() throws Exception {
        String token = links.mint(TestChannels.TENANT, "user-42", Duration.ofMinutes(10));
        Resolution r = resolve(withRef(token));
        assertThat(r.customer().hasVerified(ContactPoint.externalId("user-42"))).isTrue();
    }

    @Test
    void aForgedOtherTenantOrPlainRefIsIgnored() throws Exception {
        String otherTenant = links.mint(TenantId.of("other"), "user-42", Duration.ofMinutes(10));
        for (String ref : new String[] {otherTenant, "summer-promo"}) {
            Resolution r = resolve(withRef(ref));
            assertThat(r.customer().contacts()).as(ref).isEmpty();
        }
    }

    private InboundEvent.MessageReceived withRef(String ref) throws Exception {
        String object = "{\"message\":{\"id\":901,\"date\":1765000000,\"peer_id\":1001,\"from_id\":1001,"
                + "\"text\":\"Здравствуйте\",\"out\":0,\"conversation_message_id\":12,\"version\":3,"
                + "\"ref\":" + json.writeValueAsString(ref) + ",\"ref_source\":\"site\"}}";
        VkInboundMapper.Outcome outcome = mapper.map(json.readTree("{\"type\":\"message_new\",\"group_id\":" + GROUP
                + ",\"event_id\":\"ev-1\",\"v\":\"5.199\",\"object\":" + object + "}"));
        assertThat(outcome).isInstanceOf(VkInboundMapper.Mapped.class);
        return (InboundEvent.MessageReceived) ((VkInboundMapper.Mapped) outcome).event();
    }

    private Resolution resolve(InboundEvent.MessageReceived m) {
        IdentityEngine engine = IdentityEngine.builder().clock(clock).deepLinks(links).build();
        return new InMemoryStore().inTransaction(tx -> engine.resolve(tx, m.account(), m.evidence()));
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
