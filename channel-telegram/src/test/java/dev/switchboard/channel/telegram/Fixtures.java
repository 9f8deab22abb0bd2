package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Recorded Bot API updates (test resources under /updates) pushed through the published fake. */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Queues (or pushes to the bound webhook) the fixture under a fresh update_id; returns the update_id. */
    static long push(TelegramFake fake, String fixture) {
        return fake.pushUpdate(load(fixture));
    }

    /** Queues an update built from {@code body} (without update_id); returns the update_id. */
    static long push(TelegramFake fake, Map<String, Object> body) {
        return fake.pushUpdate(JSON.valueToTree(body));
    }

    /** The fixture as the raw JSON text of an update with {@code id} as update_id, for webhook bodies. */
    static String withId(String fixture, long id) {
        ObjectNode node = load(fixture);
        node.put("update_id", id);
        return node.toString();
    }

    private static ObjectNode load(String fixture) {
        try (var in = Fixtures.class.getResourceAsStream("/updates/" + fixture + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
