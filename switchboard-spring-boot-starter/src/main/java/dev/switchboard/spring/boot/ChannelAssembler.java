package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns {@code switchboard.tenants} into channels through the {@link ChannelFactory} of each type, checking what no
 * single factory can: every tenant and channel has an id, no tenant is declared twice, no channel id twice within a
 * tenant, every type is known. Collects every problem before failing, so one start shows them all. Channels that
 * receive by webhook or push are wrapped in {@link StartIsolatedChannel} so one that cannot start does not stop the
 * others. Internal.
 */
final class ChannelAssembler {
    private final Map<String, ChannelFactory> factories = new TreeMap<>();

    ChannelAssembler(List<ChannelFactory> factories) {
        for (ChannelFactory f : factories) {
            this.factories.putIfAbsent(f.type().toLowerCase(Locale.ROOT), f);
        }
    }

    List<Channel> channels(SwitchboardProperties properties) {
        List<String> problems = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        Map<String, Integer> tenants = new HashMap<>();
        List<SwitchboardProperties.Tenant> declared = properties.getTenants();
        for (int t = 0; t < declared.size(); t++) {
            SwitchboardProperties.Tenant tenant = declared.get(t);
            String tp = "switchboard.tenants[" + t + "]";
            TenantId tenantId = tenantId(tenant.getId(), tp + ".id", problems);
            if (tenantId == null) {
                continue;
            }
            Integer first = tenants.putIfAbsent(tenantId.value(), t);
            if (first != null) {
                problems.add(tp + ".id: tenant '" + tenantId.value() + "' is declared twice (also at"
                        + " switchboard.tenants[" + first + "]); put all its channels under one entry");
                continue;
            }
            Map<String, Integer> ids = new HashMap<>();
            for (int c = 0; c < tenant.getChannels().size(); c++) {
                SwitchboardProperties.ChannelProperties channel = tenant.getChannels().get(c);
                String cp = tp + ".channels[" + c + "]";
                if (!channel.isEnabled()) {
                    continue;
                }
                ChannelId id = channelId(channel.getId(), cp + ".id", problems);
                if (id == null) {
                    continue;
                }
                Integer same = ids.putIfAbsent(id.value(), c);
                if (same != null) {
                    problems.add(cp + ".id: channel '" + id.value() + "' is declared twice in tenant '"
                            + tenantId.value() + "' (also at " + tp + ".channels[" + same + "])");
                    continue;
                }
                if (channel.getType() == null || channel.getType().isBlank()) {
                    problems.add(cp + ".type: is required; known types: " + factories.keySet());
                    continue;
                }
                ChannelFactory factory = factories.get(channel.getType().strip().toLowerCase(Locale.ROOT));
                if (factory == null) {
                    problems.add(cp + ".type: unknown channel type '" + channel.getType() + "'; known types: "
                            + factories.keySet() + " (add the channel's module, or declare a ChannelFactory bean)");
                    continue;
                }
                try {
                    channels.add(isolate(factory.create(tenantId, id, channel, cp)));
                } catch (SwitchboardConfigurationException e) {
                    problems.addAll(e.problems());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    problems.add(cp + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        return channels;
    }

    private static Channel isolate(Channel channel) {
        return channel.capabilities().receiveMode() == ReceiveMode.POLLING ? channel
                : StartIsolatedChannel.of(channel);
    }

    private static TenantId tenantId(String value, String property, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(property + ": is required (use 'default' for a single business)");
            return null;
        }
        try {
            return TenantId.of(value.strip());
        } catch (IllegalArgumentException e) {
            problems.add(property + ": " + e.getMessage());
            return null;
        }
    }

    private static ChannelId channelId(String value, String property, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(property + ": is required, e.g. support-bot");
            return null;
        }
        try {
            return ChannelId.of(value.strip());
        } catch (IllegalArgumentException e) {
            problems.add(property + ": " + e.getMessage());
            return null;
        }
    }
}
