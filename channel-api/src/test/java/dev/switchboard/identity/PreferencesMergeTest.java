package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.Profile;
import dev.switchboard.model.QuietHours;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A merge keeps the new preference parts (the survivor's first, else the other's) and the unmerge gives them back. */
class PreferencesMergeTest {
    private final InMemoryStore store = new InMemoryStore();
    private final IdentityEngine engine = IdentityEngine.builder().build();
    private static final QuietHours NIGHTS = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0),
            ZoneId.of("Europe/Moscow"));

    private Customer customer(String channel, String user) {
        ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of(channel), user,
                Profile.named(user));
        return store.inTransaction(tx -> engine.resolve(tx, account, List.of()).customer());
    }

    private Customer prefer(Customer c, Preferences p) {
        return store.inTransaction(tx -> engine.setPreferences(tx, TenantId.DEFAULT, c.id(), p));
    }

    @Test
    void mergeCombinesFallbacksQuietHoursAndLanguageAndUnmergeRestoresEachSide() {
        Customer a = prefer(customer("tg", "alpha"), Preferences.NONE.withPreferredChannels(ChannelType.EMAIL,
                ChannelType.VK).withLanguage("ru"));
        Customer b = prefer(customer("vk", "beta"), Preferences.NONE.withPreferredChannels(ChannelType.VIBER,
                ChannelType.TELEGRAM).withQuietHours(NIGHTS).withLanguage("en"));
        MergeRecord merge = store.inTransaction(tx -> engine.merge(tx, TenantId.DEFAULT, a.id(), b.id(), "agent",
                "same person"));
        Customer merged = store.inTransaction(tx -> engine.customer(tx, TenantId.DEFAULT, merge.survivor()));
        Preferences survivorBefore = merge.survivorBefore().preferences();
        Preferences absorbedBefore = merge.absorbedBefore().preferences();
        assertThat(merged.preferences().preferredChannels()).isEqualTo(survivorBefore.preferredChannels());
        assertThat(merged.preferences().language()).isEqualTo(survivorBefore.language());
        assertThat(merged.preferences().quietHours()).contains(NIGHTS); // only one side had them

        store.inTransaction(tx -> engine.unmerge(tx, TenantId.DEFAULT, merge.id(), "agent"));
        Customer survivor = store.inTransaction(tx -> engine.customer(tx, TenantId.DEFAULT, merge.survivor()));
        Customer absorbed = store.inTransaction(tx -> engine.customer(tx, TenantId.DEFAULT, merge.absorbed()));
        assertThat(survivor.preferences()).isEqualTo(survivorBefore);
        assertThat(absorbed.preferences()).isEqualTo(absorbedBefore);
    }
}
