package dev.switchboard.channel;

/**
 * How a channel receives: by webhook (the host mounts its {@link WebhookHandler}), by polling (the inbox runs it on
 * one node at a time under a cluster lease), or by push over connections it owns (the webchat).
 */
public enum ReceiveMode { WEBHOOK, POLLING, PUSH }
