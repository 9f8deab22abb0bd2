package dev.switchboard.testkit;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.render.Bubble;
import dev.switchboard.testkit.loopback.LoopbackChannel;
import dev.switchboard.testkit.loopback.LoopbackConfig;
import dev.switchboard.testkit.loopback.LoopbackPlatform;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kit subclasses around deliberately broken channels, run by {@link KitCatchesBrokenChannelsTest} through the JUnit
 * launcher (they are nested, so surefire does not run them directly). Each breaks one rule.
 */
final class BrokenChannelKits {
    static final String TOKEN = "987654:broken-secret";

    private BrokenChannelKits() {
    }

    /** A kit over the loopback channel where {@link #wrap} can break it. */
    abstract static class Base extends ChannelCompatibilityKit {
        @Override
        protected PlatformFake createFake() {
            return new LoopbackPlatform(TOKEN);
        }

        @Override
        protected Channel createChannel(PlatformFake fake) {
            return wrap(LoopbackChannel.builder().id(ChannelId.of("broken")).token(TOKEN).capabilities(capabilities())
                    .platform((LoopbackPlatform) fake).build());
        }

        Capabilities capabilities() {
            return LoopbackConfig.defaultCapabilities();
        }

        abstract Channel wrap(Channel working);

        @Override
        protected Set<String> secrets() {
            return Set.of(TOKEN);
        }

        @Override
        protected java.time.Duration timeout() {
            return java.time.Duration.ofSeconds(2);
        }
    }

    /** Gives a redelivery a fresh event id (as a channel keying on poll offsets would), so it is stored twice. */
    static class RenamesRedeliveries extends Base {
        @Override
        Channel wrap(Channel working) {
            AtomicInteger counter = new AtomicInteger();
            Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<Void> start(InboundSink sink) {
                    return delegate.start(new InboundSink() {
                        @Override
                        public CompletionStage<Void> deliver(InboundEvent e) {
                            InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) e;
                            if (seen.add(m.eventId())) {
                                return sink.deliver(m);
                            }
                            return sink.deliver(InboundEvent.MessageReceived.of(m.eventId() + "-"
                                    + counter.incrementAndGet(), m.account(), m.occurredAt(), m.platformMessageId(),
                                    m.content()));
                        }

                        @Override
                        public CompletionStage<Void> reject(RejectedInput input) {
                            return sink.reject(input);
                        }
                    });
                }
            };
        }
    }

    /** Acknowledges events whose commit failed (swallows the sink's failure), so the platform never redelivers. */
    static class AcksBeforeCommit extends Base {
        @Override
        protected boolean platformRetriesUnacknowledgedEvents() {
            return true;
        }

        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<Void> start(InboundSink sink) {
                    return delegate.start(new InboundSink() {
                        @Override
                        public CompletionStage<Void> deliver(InboundEvent e) {
                            return sink.deliver(e).exceptionally(t -> null);
                        }

                        @Override
                        public CompletionStage<Void> reject(RejectedInput input) {
                            return sink.reject(input);
                        }
                    });
                }
            };
        }
    }

    /** Reports each platform message twice under different ids (as a channel that also stores edits might). */
    static class DoublesMessages extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<Void> start(InboundSink sink) {
                    return delegate.start(new InboundSink() {
                        @Override
                        public CompletionStage<Void> deliver(InboundEvent e) {
                            InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) e;
                            return sink.deliver(m).thenCompose(v -> sink.deliver(InboundEvent.MessageReceived.of(
                                    m.eventId() + "/copy", m.account(), m.occurredAt(), m.platformMessageId(),
                                    m.content())));
                        }

                        @Override
                        public CompletionStage<Void> reject(RejectedInput input) {
                            return sink.reject(input);
                        }
                    });
                }
            };
        }
    }

    /** Turns every failure into a permanent one without retry-after. */
    static class EverythingPermanent extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<SendReceipt> send(OutboundMessage message) {
                    return delegate.send(message).exceptionally(t -> {
                        throw new ChannelException(SendFailure.of(FailureKind.INVALID_REQUEST, "400", "failed"));
                    });
                }
            };
        }
    }

    /** Reports the rate limit as retryable but forgets the platform's retry-after. */
    static class DropsRetryAfter extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<SendReceipt> send(OutboundMessage message) {
                    return delegate.send(message).exceptionally(t -> {
                        throw new ChannelException(SendFailure.of(FailureKind.RATE_LIMITED, "429", "slow down"));
                    });
                }
            };
        }
    }

    /** Shows the token in toString() and in failure messages. */
    static class LeaksToken extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<SendReceipt> send(OutboundMessage message) {
                    return delegate.send(message).exceptionally(t -> {
                        SendFailure f = ((ChannelException) (t instanceof CompletionException ? t.getCause() : t))
                                .failure();
                        throw new ChannelException(new SendFailure(f.kind(), f.retryAfter(), f.platformCode(),
                                "POST https://api.example/bot" + TOKEN + "/sendMessage: " + f.description()));
                    });
                }

                @Override
                public String toString() {
                    return "LeakyChannel[token=" + TOKEN + "]";
                }
            };
        }
    }

    /** Appends a signature to every text, so parts exceed the limit and the text changes. */
    static class AppendsSignature extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<SendReceipt> send(OutboundMessage m) {
                    Bubble.TextBubble t = (Bubble.TextBubble) m.bubble();
                    String signature = "\n\\-\\- sent by a bot that ignores the limit";
                    Bubble signed = new Bubble.TextBubble(t.formatted() + signature, t.plain(), t.markup(),
                            t.buttons());
                    return delegate.send(new OutboundMessage(m.channel(), m.recipient(), m.messageId(), m.part(),
                            signed, m.idempotencyKey(), m.replyToPlatformMessageId(), m.thread(), m.senderName(),
                            m.automatic()));
                }
            };
        }
    }

    /** Declares buttons but sends text only, dropping the choices. */
    static class DropsButtons extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<SendReceipt> send(OutboundMessage m) {
                    Bubble.TextBubble t = (Bubble.TextBubble) m.bubble();
                    return delegate.send(OutboundMessage.simple(m.channel(), m.recipient(),
                            new Bubble.TextBubble(t.formatted(), t.plain(), t.markup(), List.of())));
                }
            };
        }
    }

    /** A second stop() fails. */
    static class StopsOnce extends Base {
        @Override
        Channel wrap(Channel working) {
            AtomicInteger stops = new AtomicInteger();
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<Void> stop() {
                    if (stops.incrementAndGet() > 1) {
                        return CompletableFuture.failedFuture(new IllegalStateException("already stopped"));
                    }
                    return delegate.stop();
                }
            };
        }
    }

    /** Cannot start again after stop (builds its resources in the constructor and closes them for good). */
    static class StartsOnce extends Base {
        @Override
        Channel wrap(Channel working) {
            AtomicInteger starts = new AtomicInteger();
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<Void> start(InboundSink sink) {
                    if (starts.incrementAndGet() > 1) {
                        return CompletableFuture.failedFuture(new IllegalStateException("channel was stopped"));
                    }
                    return delegate.start(sink);
                }
            };
        }
    }

    /** A second start while running replaces the sink instead of being refused (events go to the wrong inbox). */
    static class RestartsWhileRunning extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<Void> start(InboundSink sink) {
                    return delegate.stop().thenCompose(v -> delegate.start(sink));
                }
            };
        }
    }

    /** Answers every send with the same platform message id (as a gateway that echoes a constant would). */
    static class RepeatsReceiptIds extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<SendReceipt> send(OutboundMessage message) {
                    return delegate.send(message).thenApply(r -> new SendReceipt("m1", r.acceptedAt()));
                }
            };
        }
    }

    /** Fetches any file it is given, another channel's too. */
    static class FetchesForeignFiles extends Base {
        @Override
        Channel wrap(Channel working) {
            return new DelegatingChannel(working) {
                @Override
                public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
                    return CompletableFuture.completedFuture(new FetchedMedia(new byte[] {1, 2, 3}, "image/png",
                            java.util.Optional.empty()));
                }
            };
        }
    }

    /** A builder that takes an out-of-range option and builds anyway, so the mistake shows only at runtime. */
    static class AcceptsInvalidOptions extends Base {
        @Override
        Channel wrap(Channel working) {
            return working;
        }

        @Override
        protected Map<String, Callable<? extends Channel>> invalidConfigurations(
                PlatformFake fake) {
            return Map.of("pollWait", () -> LoopbackChannel.builder().id(ChannelId.of("broken"))
                    .token(TOKEN).platform((LoopbackPlatform) fake).build());
        }
    }

    /** A builder that refuses a bad option with IllegalStateException and a message that does not name it. */
    static class RefusesVaguely extends AcceptsInvalidOptions {
        @Override
        protected Map<String, Callable<? extends Channel>> invalidConfigurations(
                PlatformFake fake) {
            return Map.of("token", () -> {
                throw new IllegalStateException("configuration invalid");
            });
        }
    }

    /** Plain text, UTF-16, 64 units, no buttons: a correct control that must pass. */
    static class PlainControl extends Base {
        @Override
        Capabilities capabilities() {
            return Capabilities.builder().maxTextLength(64, TextLengthUnit.UTF16_UNITS).markup(Markup.PLAIN).build();
        }

        @Override
        Channel wrap(Channel working) {
            return working;
        }
    }

    /** HTML, code points, three short buttons: another correct control that must pass. */
    static class HtmlControl extends Base {
        @Override
        Capabilities capabilities() {
            return Capabilities.builder().maxTextLength(100, TextLengthUnit.CODE_POINTS).markup(Markup.HTML)
                    .buttons(3, 10).build();
        }

        @Override
        Channel wrap(Channel working) {
            return working;
        }
    }
}
