package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.DepartureSpacing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

class SpacedDeparturesTest {
    private static final long MS = 1_000_000L;

    @Test
    void onlyMessageSendsCountAgainstTheBotsRate() {
        assertThat(List.of("sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage",
                "forwardMessage")).allMatch(BotApi::sendsAMessage);
        assertThat(List.of("getUpdates", "sendChatAction", "answerCallbackQuery", "editMessageText", "getFile",
                "setWebhook", "getMe")).noneMatch(BotApi::sendsAMessage);
    }

    @Test
    void taggedRequestsWaitForTheirBotsSlotAndOthersPassUnheld() throws Exception {
        AtomicLong now = new AtomicLong(1_000 * MS);
        List<Long> slept = new ArrayList<>();
        DepartureSpacing botA = new DepartureSpacing(30, now::get, nanos -> {
            slept.add(nanos);
            now.addAndGet(nanos);
        });
        SpacedDepartures interceptor = new SpacedDepartures();
        Request send = new Request.Builder().url("http://127.0.0.1/botX/sendMessage")
                .tag(DepartureSpacing.class, botA).build();
        Request poll = new Request.Builder().url("http://127.0.0.1/botX/getUpdates").build();

        for (int i = 0; i < 31; i++) {
            interceptor.intercept(new OneShotChain(send));
        }
        assertThat(slept).as("31 sends at once: the bot's spacing held them").isNotEmpty();
        long before = now.get();
        int sleeps = slept.size();
        for (int i = 0; i < 100; i++) {
            interceptor.intercept(new OneShotChain(poll));
        }
        assertThat(slept).as("untagged calls never wait").hasSize(sleeps);
        assertThat(now.get()).isEqualTo(before);
    }

    /** A chain that answers 200 at once. */
    private record OneShotChain(Request request) implements Interceptor.Chain {
        @Override
        public Response proceed(Request r) {
            return new Response.Builder().request(r).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create("{\"ok\":true}", MediaType.get("application/json"))).build();
        }

        @Override
        public okhttp3.Connection connection() {
            return null;
        }

        @Override
        public okhttp3.Call call() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int connectTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withConnectTimeout(int timeout, java.util.concurrent.TimeUnit unit) {
            return this;
        }

        @Override
        public int readTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withReadTimeout(int timeout, java.util.concurrent.TimeUnit unit) {
            return this;
        }

        @Override
        public int writeTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withWriteTimeout(int timeout, java.util.concurrent.TimeUnit unit) {
            return this;
        }
    }
}
