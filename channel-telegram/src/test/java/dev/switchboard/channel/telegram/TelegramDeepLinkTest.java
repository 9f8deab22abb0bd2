package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.Resolution;
import dev.switchboard.identity.SignedDeepLinks;
import dev.switchboard.model.ChannelId;
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
 * A customer who opens the host's signed deep link ({@code t.me/<bot>?start=<token>}) arrives with
 * {@code /start <token>}: the mapper passes the token on, and the identity engine turns a valid one into the host's
 * user id as verified evidence, while forged, expired or other-tenant tokens are dropped without failing the message.
 */
class TelegramDeepLinkTest {

    private static final TenantId TENANT = TenantId.of("shop");
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final byte[] secret = filled(7);
    private final SignedDeepLinks links = SignedDeepLinks.builder().secret(TENANT, secret)
            .secret(TenantId.of("other"), filled(9)).clock(clock).build();
    private final TelegramInboundMapper mapper = new TelegramInboundMapper(ChannelId.of("tg"), TENANT,
            new CallbackData(dev.switchboard.channel.state.ChannelState.inMemory()), clock);

    @Test
    void startWithAValidTokenMakesTheAccountTheHostUser() throws Exception {
        String token = links.mint(TENANT, "user-42", Duration.ofMinutes(10));
        InboundEvent.MessageReceived m = start(token);
        assertThat(m.evidence()).singleElement().satisfies(e -> {
            assertThat(e.point()).isEqualTo(ContactPoint.signedLink(token));
            assertThat(e.source()).isEqualTo(TelegramInboundMapper.SOURCE_START_LINK);
        });
        Resolution r = resolve(m);
        assertThat(r.customer().hasVerified(ContactPoint.externalId("user-42"))).isTrue();
    }

    @Test
    void forgedExpiredAndOtherTenantTokensAreIgnored() throws Exception {
        String valid = links.mint(TENANT, "user-42", Duration.ofMinutes(10));
        char last = valid.charAt(valid.length() - 1);
        String forged = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');
        String otherTenant = links.mint(TenantId.of("other"), "user-42", Duration.ofMinutes(10));
        String expired = SignedDeepLinks.builder().secret(TENANT, secret)
                .clock(Clock.fixed(NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC)).build()
                .mint(TENANT, "user-42", Duration.ofHours(1));
        for (String token : new String[] {forged, otherTenant, expired}) {
            Resolution r = resolve(start(token));
            assertThat(r.customer().contacts()).as(token).isEmpty();
        }
    }

    @Test
    void aStartWithoutParameterOrInAGroupCarriesNoToken() throws Exception {
        assertThat(message("/start", 5551234567L, "private").evidence()).isEmpty();
        assertThat(message("/start abc", -100123L, "supergroup").evidence()).isEmpty();
        assertThat(message("please /start abc", 5551234567L, "private").evidence()).isEmpty();
    }

    private InboundEvent.MessageReceived start(String token) throws Exception {
        return message("/start " + token, 5551234567L, "private");
    }

    private InboundEvent.MessageReceived message(String text, long chatId, String chatType) throws Exception {
        String json = "{\"update_id\": 1, \"message\": {\"message_id\": 7, \"date\": 1765022400,"
                + "\"from\": {\"id\": 5551234567, \"is_bot\": false, \"first_name\": \"Anna\"},"
                + "\"chat\": {\"id\": " + chatId + ", \"type\": \"" + chatType + "\", \"title\": \"g\"},"
                + "\"text\": " + new ObjectMapper().writeValueAsString(text) + "}}";
        TelegramInboundMapper.Outcome outcome = mapper.map(new ObjectMapper().readTree(json));
        assertThat(outcome).isInstanceOf(TelegramInboundMapper.Mapped.class);
        return (InboundEvent.MessageReceived) ((TelegramInboundMapper.Mapped) outcome).event();
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
