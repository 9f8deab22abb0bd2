package dev.switchboard.channel.telegram.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/** The parameters of one Bot API call, from its query string and its JSON, form or multipart body. */
record RequestBody(ObjectNode params, Optional<TelegramFake.UploadedFile> file) {

    static RequestBody parse(ObjectMapper json, RecordedRequest request) throws IOException {
        ObjectNode params = json.createObjectNode();
        HttpUrl url = request.getRequestUrl();
        if (url != null) {
            for (String name : url.queryParameterNames()) {
                params.put(name, Objects.requireNonNullElse(url.queryParameter(name), ""));
            }
        }
        String contentType = Objects.requireNonNullElse(request.getHeader("Content-Type"), "")
                .toLowerCase(Locale.ROOT);
        byte[] body = request.getBody().readByteArray();
        Optional<TelegramFake.UploadedFile> file = Optional.empty();
        if (contentType.startsWith("multipart/form-data")) {
            String boundary = MediaType.get(Objects.requireNonNull(request.getHeader("Content-Type")))
                    .parameter("boundary");
            try (MultipartReader reader = new MultipartReader(new Buffer().write(body),
                    Objects.requireNonNull(boundary, "boundary"))) {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    String disposition = part.headers().get("Content-Disposition");
                    String name = attribute(disposition, "name").orElse("");
                    Optional<String> fileName = attribute(disposition, "filename");
                    byte[] bytes = part.body().readByteArray();
                    if (fileName.isPresent()) {
                        file = Optional.of(new TelegramFake.UploadedFile(name, fileName.get(),
                                Objects.requireNonNullElse(part.headers().get("Content-Type"), ""), bytes));
                        params.put(name, "attach://" + fileName.get());
                    } else {
                        params.put(name, new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
        } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        } else if (body.length > 0) {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                params.setAll((ObjectNode) node);
            }
        }
        return new RequestBody(params, file);
    }

    private static Optional<String> attribute(String disposition, String name) {
        if (disposition == null) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("(?:^|;)\\s*" + name + "=\"([^\"]*)\"").matcher(disposition);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
