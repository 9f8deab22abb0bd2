package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What handling one visitor frame came to: the HTTP status a {@code POST <base>/messages} answers with and the body
 * (over a stream the outcome is not sent; errors reach the visitor as error events instead).
 */
record FrameOutcome(int status, ObjectNode body) {
    static final FrameOutcome OK = new FrameOutcome(200, JSON.createObjectNode().put("ok", true));
}
