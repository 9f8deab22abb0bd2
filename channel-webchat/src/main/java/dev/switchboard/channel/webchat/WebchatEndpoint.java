package dev.switchboard.channel.webchat;

import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * The transport-neutral website chat server of one site, assembled from its parts: {@link WebchatRoutes} (the plain
 * HTTP endpoints and what servers mount), {@link VisitorSessions} (sessions and their sequenced events),
 * {@link VisitorStreams} (the stream protocol), {@link VisitorFrames} (what visitors send), {@link AgentMessages}
 * (what agents send), {@link Transcripts}, {@link Presence}, uploads through {@link WebchatFiles} and CORS through
 * {@link WebchatCors}. Servers normally mount {@link WebchatChannel#endpoints()}; a host calling the chat directly
 * passes plain requests to {@link #handle(WebhookRequest)}. Thread-safe.
 */
public final class WebchatEndpoint {
    private final WebchatChannel channel;
    private final VisitorSessions sessions;
    private final Presence presence;
    private final WebchatFiles files;
    private final VisitorFrames frames;
    private final VisitorStreams streams;
    private final AgentMessages agents;
    private final WebchatRoutes routes;

    WebchatEndpoint(WebchatChannel channel, WebchatConfig config, WebchatLog log, WebchatFileStore fileStore,
                    Clock clock) {
        this.channel = channel;
        WebchatCors cors = new WebchatCors(config.allowedOrigins());
        this.presence = new Presence(channel, config.agentsOnline());
        this.sessions = new VisitorSessions(channel, config, log, cors, presence, clock);
        this.files = new WebchatFiles(fileStore, config.uploadLimits(), clock, config.fileOrigin(),
                config.basePath());
        this.frames = new VisitorFrames(channel, config, sessions, files, new Transcripts(channel, sessions), clock);
        this.streams = new VisitorStreams(channel, sessions, presence, config.limits(), frames);
        this.agents = new AgentMessages(channel, sessions, files);
        this.routes = new WebchatRoutes(config.basePath(), config.limits(), cors, sessions, frames, files, presence);
    }

    void start(InboundSink sink) {
        frames.sinkTo(sink);
    }

    void stop() {
        frames.sinkTo(null);
        streams.closeAll();
    }

    HttpEndpoints endpoints() {
        return routes.endpoints(streams);
    }

    /** Handles one plain HTTP request under the chat's base path; never completes exceptionally. */
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        return routes.handle(request);
    }

    /**
     * Attaches a visitor's stream: {@code ready}, the replay after {@code after} (or a {@code gap} frame), then live
     * events; a bad token or too many connections from {@code remoteAddress} gets an error frame and a close.
     */
    VisitorStream open(String token, OptionalLong after, String remoteAddress, StreamSession connection) {
        return streams.open(token, after, remoteAddress, connection);
    }

    Optional<FetchedMedia> file(String fileId) {
        return files.fetch(fileId);
    }

    boolean deleteFile(String fileId) {
        return files.delete(fileId);
    }

    /** Keeps upload metadata and quotas in the channel's shared state. */
    void bindFiles(dev.switchboard.channel.state.ChannelState state) {
        files.bind(state);
    }

    int purgeExpiredFiles() {
        return files.purgeExpired();
    }

    CompletionStage<SendReceipt> send(OutboundMessage message, SendPolicy policy) {
        return agents.send(message, policy);
    }

    void agentTyping(String sessionId, boolean typing, Optional<String> agentName) {
        agents.agentTyping(sessionId, typing, agentName);
    }

    void markReadByAgent(String sessionId) {
        agents.markReadByAgent(sessionId);
    }

    void setAgentsOnline(boolean online) {
        presence.setAgentsOnline(online);
        refreshPresence();
    }

    /** Broadcasts presence when it changed (agents came or went, business hours opened or closed). */
    void refreshPresence() {
        presence.changed().ifPresent(frame -> {
            for (LiveSession s : sessions.all()) {
                sessions.transientFrame(s, frame);
            }
        });
    }

    /** Sends every open stream on this node the events other nodes appended to its session meanwhile. */
    void catchUpRemoteEvents() {
        for (LiveSession s : sessions.all()) {
            sessions.catchUp(s);
        }
    }

    boolean online() {
        return presence.online();
    }

    int connectedStreams() {
        return streams.connectedStreams();
    }

    void disconnect(String sessionId) {
        streams.disconnect(sessionId);
    }

    @Override
    public String toString() {
        return "WebchatEndpoint[" + channel.id() + ", " + sessions.size() + " sessions]";
    }
}
