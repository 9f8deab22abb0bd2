package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The start isolation of webhook channels hides nothing the inbox asks of the channel: send cost and state. */
class StartIsolatedChannelTest {

    @Test
    void aStatefulChannelStaysStatefulAndItsSendCostShows() {
        ViberChannel viber = ViberChannel.builder().id(ChannelId.of("viber")).authToken(ViberFake.TOKEN)
                .senderName("Acme").apiBaseUrl("http://127.0.0.1:9/pa").build();
        StartIsolatedChannel wrapped = StartIsolatedChannel.of(viber);
        assertThat(wrapped).isInstanceOf(StatefulChannel.class);
        ChannelAccount customer = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("viber"), "never-wrote=",
                Profile.EMPTY);
        assertThat(wrapped.sendCost(customer)).isEqualTo(SendCost.PAID).isEqualTo(viber.sendCost(customer));

        // the inbox's binding reaches the channel: what it knows of a customer is read from the bound state
        List<String> read = new CopyOnWriteArrayList<>();
        ChannelState memory = ChannelState.inMemory(Clock.systemUTC());
        ChannelState recording = (ChannelState) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ChannelState.class}, (proxy, method, args) -> {
                    read.add(method.getName());
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ((StatefulChannel) wrapped).bindState(recording);
        wrapped.sendCost(customer);
        assertThat(read).contains("get");
    }

    @Test
    void aChannelWithoutStateIsNotMadeStateful() {
        StartIsolatedChannel wrapped = StartIsolatedChannel.of(new WebhookChannel("site"));
        assertThat(wrapped).isNotInstanceOf(StatefulChannel.class);
        assertThat(wrapped.sendCost(ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("site"), "u", Profile.EMPTY)))
                .isEqualTo(SendCost.FREE);
    }
}
