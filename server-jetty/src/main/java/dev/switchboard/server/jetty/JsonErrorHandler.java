package dev.switchboard.server.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself (a malformed or ambiguous URI, oversized headers, a handler that failed)
 * as the same JSON shape the routes use, {@code {"error":{"code":"http_400","message":"Bad Request"}}}, instead of
 * Jetty's HTML page with its version. Messages are the standard reason phrases only: nothing from the request and
 * no stack traces reach the client.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = json(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(json(status));
    }

    static byte[] json(int code) {
        String reason = HttpStatus.getMessage(code);
        return ("{\"error\":{\"code\":\"http_" + code + "\",\"message\":\"" + reason.replace("\"", "'") + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
