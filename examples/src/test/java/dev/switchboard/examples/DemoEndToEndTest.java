package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.examples.sim.DemoSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the whole demo (H2 in a temp folder, ephemeral port, the local platform fakes), lets the simulator play its
 * scenario through the real channel code paths, and checks the outcome only through the REST API and the fakes:
 * one customer with three linked accounts (Telegram, email, website chat) and one timeline holding messages from all
 * three channels in order, a merge suggestion for the look-alike, and an agent's reply that reaches the fake Bot API
 * as a documented {@code sendMessage} call; Анна's VK message, received by Callback API on the demo's own webhook, is
 * only a merge suggestion, and an agent's reply to it reaches the VK fake's customer once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoEndToEndTest {

    /** The demo-fast SLA target and the offline grace, short so the simulator's day ends in seconds. */
    static final DemoConfig.Timings SHORT = new DemoConfig.Timings(Duration.ofSeconds(4), Duration.ofSeconds(1));

    @TempDir
    static Path dataDir;

    static DemoContactCenter demo;
    static JsonHttp api;

    @BeforeAll
    static void startDemoAndPlayScenario() throws Exception {
        demo = DemoContactCenter.start(DemoConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir)
                .scenario(DemoConfig.ScenarioMode.ALWAYS).timings(SHORT).build());
        demo.simulator().orElseThrow().awaitFinished(Duration.ofMinutes(3));
        api = new JsonHttp(demo.apiUrl()).login("maria", demo.adminSecret());
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(0)
    void theRunningDemoRefusesAnonymousCallsForeignHostNamesAndCrossSiteBodies() throws Exception {
        assertThat(new JsonHttp(demo.apiUrl()).get("/conversations").status()).isEqualTo(401);
        assertThat(api.get("/conversations").status()).isEqualTo(200);
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", demo.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /api/v1/conversations HTTP/1.1\r\nHost: rebound.example:" + demo.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 421").doesNotContainIgnoringCase("\r\nServer:");
        }
        java.net.http.HttpResponse<String> plain = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(demo.apiUrl() + "/auth/login"))
                        .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"agent\":\"maria\",\"secret\":\"x\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(415);
    }

    @Test
    @Order(1)
    void oneCustomerHoldsTheTelegramEmailAndChatAccounts() throws Exception {
        List<JsonNode> customers = allCustomers();
        List<JsonNode> withThree = customers.stream().filter(c -> c.path("accounts").size() == 3).toList();
        assertThat(withThree).hasSize(1);
        JsonNode anna = withThree.get(0);

        Set<String> channelTypes = new LinkedHashSet<>();
        anna.path("accounts").forEach(a -> channelTypes.add(a.path("channel").path("type").asText()));
        assertThat(channelTypes).containsExactlyInAnyOrder("telegram", "email", "webchat");
        assertThat(anna.path("displayName").asText()).isEqualTo("Анна Петрова");

        // Merged only on verified evidence, each merge logged with it.
        assertThat(verifiedContacts(anna)).contains("phone:+79161234567", "email:anna.petrova@example.ru",
                "external_id:shop-user-1042");
        assertThat(anna.path("merges")).isNotEmpty();
        anna.path("merges").forEach(m -> {
            assertThat(m.path("evidence")).isNotEmpty();
            m.path("evidence").forEach(e -> assertThat(e.path("verified").asBoolean()).isTrue());
        });

        // Nobody else was swallowed: the look-alike is still a customer of her own.
        assertThat(customers).anySatisfy(c -> assertThat(c.path("accounts").get(0).path("platformUserId").asText())
                .isEqualTo(Long.toString(DemoSimulator.LOOKALIKE_TELEGRAM_ID)));
    }

    @Test
    @Order(2)
    void oneTimelineHoldsAllThreeChannelsInOrder() throws Exception {
        JsonNode anna = annaByAnyId();
        List<String> inboundChannels = new ArrayList<>();
        Instant previousStored = Instant.EPOCH;
        for (JsonNode m : anna.path("timeline")) {
            Instant stored = Instant.parse(m.path("storedAt").asText());
            assertThat(stored).isAfterOrEqualTo(previousStored);
            previousStored = stored;
            if (m.path("direction").asText().equals("inbound")) {
                String type = m.path("channel").path("type").asText();
                if (inboundChannels.isEmpty() || !inboundChannels.get(inboundChannels.size() - 1).equals(type)) {
                    inboundChannels.add(type);
                }
            }
        }
        // She asked in Telegram (and shared her phone there), then wrote by email, then in the shop's chat.
        assertThat(inboundChannels).containsExactly("telegram", "email", "webchat");
        assertThat(texts(anna.path("timeline"))).anyMatch(t -> t.contains("Где мой заказ 1042"))
                .anyMatch(t -> t.contains("Пишу ещё раз по заказу 1042"))
                .anyMatch(t -> t.contains("Курьер сможет позвонить"));
        // Every conversation of every merged id is part of the one history.
        for (JsonNode conversation : anna.path("conversations")) {
            assertThat(conversation.path("customer").path("id").asText()).isEqualTo(anna.path("id").asText());
        }
    }

    @Test
    @Order(3)
    void theLookAlikeIsOnlyASuggestionForTheAgent() throws Exception {
        JsonNode anna = annaByAnyId();
        JsonNode suggestions = api.ok("/suggestions").path("items");
        assertThat(suggestions).anySatisfy(s -> {
            assertThat(s.path("status").asText()).isEqualTo("open");
            assertThat(List.of(s.path("first").path("id").asText(), s.path("second").path("id").asText()))
                    .contains(anna.path("id").asText());
            assertThat(s.path("reasons").toString()).contains("+79161234567");
        });
    }

    @Test
    @Order(4)
    void anAgentsReplyReachesTheBotApiInTheDocumentedFormat() throws Exception {
        JsonNode anna = annaByAnyId();
        String found = null;
        for (JsonNode m : anna.path("timeline")) {
            if (m.path("channel").path("type").asText().equals("telegram")) {
                found = m.path("conversationId").asText();
            }
        }
        assertThat(found).isNotNull();
        String telegramConversation = found;
        String text = "Анна, заказ 1042 привезут сегодня до 21:00, курьер позвонит за час. Извините за задержку!";

        JsonHttp.Response reply = api.post("/conversations/" + telegramConversation + "/reply",
                JsonHttp.json(Map.of("text", text, "channel", "telegram", "agent", "maria")));
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body().path("direction").asText()).isEqualTo("outbound");
        assertThat(reply.body().path("channel").path("id").asText()).isEqualTo("telegram");
        String messageId = reply.body().path("id").asText();

        TelegramFake bot = demo.fakeTelegram().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> sentTo(bot, text).size() == 1);
        TelegramFake.ApiCall call = sentTo(bot, text).get(0);
        assertThat(call.params().path("chat_id").asLong()).isEqualTo(DemoSimulator.ANNA_TELEGRAM_ID);
        assertThat(call.params().path("text").asText()).isEqualTo(text);
        assertThat(call.params().path("parse_mode").asText()).isIn("HTML", "MarkdownV2");

        // The stored message learns it was sent, with the id the Bot API gave it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode conversation = api.ok("/conversations/" + telegramConversation);
            JsonNode stored = null;
            for (JsonNode m : conversation.path("messages")) {
                if (m.path("id").asText().equals(messageId)) {
                    stored = m;
                }
            }
            assertThat(stored).isNotNull();
            assertThat(stored.path("status").asText()).isEqualTo("sent");
            // The Telegram channel qualifies message ids with the chat ("chat:message"), as message ids are per chat.
            long sentId = bot.delivered().stream().filter(d -> d.text().equals(text)).findFirst().orElseThrow()
                    .messageId();
            assertThat(stored.path("platformMessageId").asText())
                    .isIn(Long.toString(sentId), DemoSimulator.ANNA_TELEGRAM_ID + ":" + sentId);
        });
    }

    @Test
    @Order(5)
    void theEventFeedReadsFromACursorWithoutGapsOrRepeats() throws Exception {
        long cursor = 0;
        List<Long> seqs = new ArrayList<>();
        for (int page = 0; page < 100; page++) {
            JsonNode events = api.ok("/events?after=" + cursor + "&limit=7");
            if (events.path("items").isEmpty()) {
                assertThat(events.path("next").asLong()).isEqualTo(cursor);
                assertThat(events.path("last").asLong()).as("the end of the feed").isGreaterThanOrEqualTo(cursor);
                break;
            }
            for (JsonNode e : events.path("items")) {
                seqs.add(e.path("seq").asLong());
            }
            cursor = events.path("next").asLong();
        }
        assertThat(seqs).isNotEmpty().doesNotHaveDuplicates().isSorted();
        JsonNode all = api.ok("/events?after=0&limit=1000");
        assertThat(all.path("items").size()).isEqualTo(seqs.size());
        assertThat(texts(all.path("items"), "type")).contains("message_received", "customers_merged",
                "merge_suggested", "reply_queued");
    }

    @Test
    @Order(6)
    void annasVkMessageIsReceivedSuggestedForMergingAndAnsweredThroughVk() throws Exception {
        VkFake vk = demo.fakeVk().orElseThrow();
        JsonNode anna = annaByAnyId();
        // Her VK account is a customer of its own (typed phone: unverified), suggested for merging with her.
        JsonNode vkCustomer = allCustomers().stream()
                .filter(c -> c.path("accounts").size() == 1
                        && c.path("accounts").get(0).path("channel").path("type").asText().equals("vk")
                        && c.path("accounts").get(0).path("platformUserId").asText().equals(DemoSimulator.ANNA_VK_ID))
                .findFirst().orElseThrow();
        assertThat(vkCustomer.path("accounts").get(0).path("platformUserId").asText())
                .isEqualTo(DemoSimulator.ANNA_VK_ID);
        assertThat(texts(vkCustomer.path("timeline"))).anyMatch(t -> t.contains("пишу из ВКонтакте"));
        JsonNode suggestions = api.ok("/suggestions").path("items");
        assertThat(suggestions).anySatisfy(s -> assertThat(List.of(s.path("first").path("id").asText(),
                s.path("second").path("id").asText())).containsExactlyInAnyOrder(anna.path("id").asText(),
                vkCustomer.path("id").asText()));

        String conversation = vkCustomer.path("timeline").get(0).path("conversationId").asText();
        String text = "Анна, курьер приедет завтра с 9 до 12. Спасибо, что написали в VK!";
        JsonHttp.Response reply = api.post("/conversations/" + conversation + "/reply",
                JsonHttp.json(Map.of("text", text, "channel", "vk", "agent", "maria")));
        assertThat(reply.status()).isEqualTo(202);
        String messageId = reply.body().path("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> vk.messagesTo(DemoSimulator.ANNA_VK_ID).stream()
                .anyMatch(d -> d.text().equals(text)));
        assertThat(vk.messagesTo(DemoSimulator.ANNA_VK_ID)).filteredOn(d -> d.text().equals(text)).hasSize(1);
        // The console's demo view of the customers' side lists the VK call too.
        assertThat(api.ok("/demo/platforms").path("vk")).anySatisfy(c -> {
            assertThat(c.path("params").path("peer_id").asText()).isEqualTo(DemoSimulator.ANNA_VK_ID);
            assertThat(c.path("params").path("message").asText()).isEqualTo(text);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode stored = null;
            for (JsonNode m : api.ok("/conversations/" + conversation).path("messages")) {
                if (m.path("id").asText().equals(messageId)) {
                    stored = m;
                }
            }
            assertThat(stored).isNotNull();
            assertThat(stored.path("status").asText()).isEqualTo("sent");
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static List<TelegramFake.ApiCall> sentTo(TelegramFake bot, String text) {
        return bot.calls("sendMessage").stream().filter(c -> c.param("text").equals(text)).toList();
    }

    @Test
    @Order(7)
    void theViberCustomerWasWelcomedByTheBotAndIsAnsweredThroughViber() throws Exception {
        dev.switchboard.channel.viber.testing.ViberFake viber = demo.fakeViber().orElseThrow();
        assertThat(viber.welcomes()).singleElement().satisfies(w ->
                assertThat(w.buttons()).containsExactly("Где мой заказ?", "Поделиться номером"));
        await().atMost(Duration.ofSeconds(30)).until(() -> allCustomers().stream().anyMatch(c ->
                c.path("accounts").get(0).path("platformUserId").asText().equals(DemoViber.DEMO_CUSTOMER)
                        && texts(c.path("timeline")).stream().anyMatch(t -> t.contains("Пишу из Viber"))));
        JsonNode ivan = allCustomers().stream().filter(c -> c.path("accounts").get(0).path("platformUserId")
                .asText().equals(DemoViber.DEMO_CUSTOMER)).findFirst().orElseThrow();
        String conversation = ivan.path("timeline").get(0).path("conversationId").asText();
        String text = "Иван, самовар приедет в четверг.";
        assertThat(api.post("/conversations/" + conversation + "/reply",
                JsonHttp.json(Map.of("text", text, "channel", "viber", "agent", "maria"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> viber.delivered().stream()
                .anyMatch(d -> d.text().equals(text) && d.receiver().equals(DemoViber.DEMO_CUSTOMER)));
    }

    @Test
    @Order(8)
    void theSimulatorsDayRoutesHandsBackAnOfflineAgentsWorkAndBreachesTheFastSla() throws Exception {
        JsonNode agents = api.ok("/agents").path("items");
        Map<String, String> presence = new java.util.TreeMap<>();
        agents.forEach(a -> presence.put(a.path("id").asText(), a.path("presence").asText()));
        assertThat(presence).containsEntry("olga", "online").containsEntry("dmitri", "offline")
                .containsKeys("maria", "alex");

        List<JsonNode> events = new ArrayList<>();
        api.ok("/events?after=0&limit=1000").path("items").forEach(events::add);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("agent_updated");
            assertThat(e.path("attributes").path("agent").asText()).isEqualTo("dmitri");
            assertThat(e.path("attributes").path("presence").asText()).isEqualTo("OFFLINE");
        });
        // routing assigned conversations, and Dmitri's unanswered ones went back to the queue after the grace
        assertThat(events).anySatisfy(e -> assertThat(e.path("attributes").path("reason").asText())
                .isEqualTo("least-busy"));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("conversation_updated");
            assertThat(e.path("attributes").path("reason").asText()).isEqualTo("agent offline");
        });

        // Елена's email waits in the email team's queue (its only online member went offline) with its SLA
        JsonNode queue = api.ok("/queue");
        assertThat(queue.path("items")).anySatisfy(q -> {
            assertThat(q.path("customer").path("displayName").asText()).isEqualTo("Елена Соколова");
            assertThat(q.path("queue").asText()).isEqualTo("email");
            assertThat(q.path("channelType").asText()).isEqualTo("email");
            assertThat(q.path("deadline").path("policy").asText()).isEqualTo("email");
            assertThat(q.path("deadline").path("kind").asText()).isEqualTo("first_response");
        });

        // Сергей's VK message breached the demo-fast policy: an SLA_BREACHED event and the breached list
        JsonNode breached = api.ok("/sla/breached");
        String sergei = demo.inbox().customerByAccount(new dev.switchboard.model.AccountKey(DemoContactCenter.TENANT,
                DemoContactCenter.VK, DemoSimulator.DAY_VK_CUSTOMER)).orElseThrow().id().value();
        assertThat(breached.path("items")).anySatisfy(b -> {
            assertThat(b.path("customer").path("id").asText()).isEqualTo(sergei);
            assertThat(b.path("channel").path("type").asText()).isEqualTo("vk");
            assertThat(b.path("deadline").path("policy").asText()).isEqualTo("demo-fast");
            assertThat(b.path("deadline").path("state").asText()).isEqualTo("breached");
            assertThat(b.path("deadline").path("secondsLeft").asLong()).isNotPositive();
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("sla_breached");
            assertThat(e.path("attributes").path("slaPolicy").asText()).isEqualTo("demo-fast");
        });
        // customers were told when to expect an answer (VK is left out of acknowledgements)
        assertThat(texts(events, "type")).contains("acknowledgement_queued");
        assertThat(api.ok("/demo/scenario").path("steps")).hasSize(DemoSimulator.STEPS.size())
                .allSatisfy(step -> assertThat(step.path("done").asBoolean()).isTrue());

        // the simulator's customers answered their satisfaction surveys: Борис 5 (a Telegram button), Ирина 4 (a
        // text reply with a comment); the KPIs have CSAT, by agent too (the last two days: the day may have turned)
        JsonNode kpis = api.ok("/reports/kpis?last=2&groupBy=agent");
        assertThat(kpis.path("total").path("ratings").asLong()).isEqualTo(2);
        assertThat(kpis.path("total").path("csatAverage").asDouble()).isEqualTo(4.5);
        assertThat(kpis.path("total").path("surveysSent").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(kpis.path("rows")).anySatisfy(r -> {
            assertThat(r.path("group").path("agent").asText()).isNotEmpty();
            assertThat(r.path("ratings").asLong()).isPositive();
        });
    }

    @Test
    @Order(9)
    void theSimulatorsCampaignReachedOnlyTheTwoWhoConsentedAndSkippedTheRest() throws Exception {
        JsonNode campaigns = api.ok("/campaigns").path("items");
        assertThat(campaigns).hasSize(1);
        JsonNode c = campaigns.get(0);
        assertThat(c.path("id").asText()).isEqualTo("spring-news-1");
        assertThat(c.path("purpose").asText()).isEqualTo("marketing");
        assertThat(c.path("state").asText()).isEqualTo("completed");
        JsonNode p = c.path("progress");
        assertThat(p.path("total").asLong()).isEqualTo(6);
        // Анна (web form) and Борис (button) consented; the look-alike, Анна's VK self, Елена and Сергей did not
        assertThat(p.path("byStatus").path("sent").asLong() + p.path("byStatus").path("delivered").asLong())
                .isEqualTo(2);
        assertThat(p.path("byStatus").path("skipped").asLong()).isEqualTo(4);
        assertThat(p.path("skipped").path("no_consent").asLong()).isEqualTo(4);
        assertThat(p.path("remaining").asLong()).isZero();

        JsonNode skipped = api.ok("/campaigns/spring-news-1/recipients?status=skipped").path("items");
        assertThat(skipped).hasSize(4).allSatisfy(r -> assertThat(r.path("skipReason").asText())
                .isEqualTo("no_consent"));
        JsonNode sent = api.ok("/campaigns/spring-news-1/recipients?status=sent").path("items");
        assertThat(sent).hasSize(2).allSatisfy(r -> assertThat(r.path("channel").asText()).isEqualTo("telegram"));
        assertThat(texts(sent, "displayName")).containsExactlyInAnyOrder("Анна Петрова", "Борис Смирнов");

        // each got it once on Telegram, with the unsubscribe footer in Russian; nobody else got it
        TelegramFake bot = demo.fakeTelegram().orElseThrow();
        List<TelegramFake.ApiCall> news = bot.calls("sendMessage").stream()
                .filter(call -> call.param("text").contains("Весенняя распродажа")).toList();
        assertThat(news).hasSize(2);
        assertThat(news.stream().map(call -> call.param("chat_id")).toList()).containsExactlyInAnyOrder(
                Long.toString(DemoSimulator.ANNA_TELEGRAM_ID), Long.toString(300_100L));
        assertThat(news).allSatisfy(call -> assertThat(call.param("text")).contains("СТОП"));

        // the consents are in the ledger with their evidence
        String annaId = sent.findValuesAsText("resolvedCustomer").stream().filter(id -> {
            try {
                return api.ok("/customers/" + id).path("accounts").size() == 3;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        JsonNode ledger = api.ok("/customers/" + annaId + "/consents");
        assertThat(ledger.path("entries")).anySatisfy(e -> {
            assertThat(e.path("purpose").asText()).isEqualTo("marketing");
            assertThat(e.path("evidence").path("kind").asText()).isEqualTo("web_form");
            assertThat(e.path("evidence").path("textVersion").asText()).isEqualTo("2026-01");
        });
        assertThat(ledger.path("inForce").path("marketing").path("telegram").asBoolean()).isTrue();
    }

    @Test
    @Order(10)
    void theCustomerWhoAskedToBeForgottenIsErasedAndTheErasureIsRecorded() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        api.ok("/events?after=0&limit=1000").path("items").forEach(events::add);
        List<JsonNode> erased = events.stream().filter(e -> e.path("type").asText().equals("customer_erased"))
                .toList();
        assertThat(erased).hasSize(1);
        String viktor = erased.get(0).path("customerId").asText();
        assertThat(erased.get(0).path("attributes").path("actor").asText()).isEqualTo("olga");

        JsonNode record = api.ok("/customers/" + viktor + "/erasure");
        assertThat(record.path("actor").asText()).isEqualTo("olga");
        assertThat(record.path("completedAt").asText()).isNotBlank();
        assertThat(record.path("messages").asLong()).isPositive();

        // the profile is an empty tombstone: no name, accounts, contacts or messages
        JsonNode tombstone = api.ok("/customers/" + viktor);
        assertThat(tombstone.path("displayName").isMissingNode()).isTrue();
        assertThat(tombstone.path("accounts")).isEmpty();
        assertThat(tombstone.path("contacts")).isEmpty();
        assertThat(tombstone.path("timeline")).isEmpty();
        assertThat(tombstone.path("conversations")).isEmpty();
        assertThat(tombstone.path("attributes").path("erased").asText()).isEqualTo("true");
        // his Telegram account no longer names anyone, and none of his words are left in the inbox
        assertThat(demo.inbox().customerByAccount(new dev.switchboard.model.AccountKey(DemoContactCenter.TENANT,
                DemoContactCenter.TELEGRAM, "500100"))).isEmpty();
        for (JsonNode conv : api.ok("/conversations?status=&limit=1000").path("items")) {
            assertThat(conv.toString()).doesNotContain("удалите, пожалуйста").doesNotContain("Виктор");
        }
        assertThat(api.ok("/demo/scenario").path("steps")).anySatisfy(step -> {
            assertThat(step.path("title").asText()).isEqualTo("Виктор asks to be forgotten");
            assertThat(step.path("done").asBoolean()).isTrue();
        });
    }

    private static List<String> texts(List<JsonNode> nodes, String field) {
        List<String> out = new ArrayList<>();
        nodes.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static List<JsonNode> allCustomers() throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        api.ok("/conversations?limit=1000").path("items").forEach(c -> ids.add(c.path("customer").path("id").asText()));
        List<JsonNode> customers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String id : ids) {
            JsonNode c = api.ok("/customers/" + id);
            if (seen.add(c.path("id").asText())) {
                customers.add(c);
            }
        }
        return customers;
    }

    private static JsonNode annaByAnyId() throws Exception {
        return allCustomers().stream().filter(c -> c.path("accounts").size() == 3).findFirst().orElseThrow();
    }

    private static Set<String> verifiedContacts(JsonNode customer) {
        Set<String> out = new LinkedHashSet<>();
        customer.path("contacts").forEach(c -> {
            if (c.path("verified").asBoolean()) {
                out.add(c.path("kind").asText() + ":" + c.path("value").asText());
            }
        });
        return out;
    }

    private static List<String> texts(JsonNode array) {
        return texts(array, "text");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
