package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.identity.ContactNormalizer;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a new chat session belongs to: the host-signed identity of the session request ({@link WebchatIdentity}, or
 * the legacy {@code user_hash} when a host opted in) with its verified attributes, and the pre-chat fields the visitor
 * typed, which are unverified evidence only. Thread-safe.
 */
final class VisitorIdentification {
    private static final Logger log = LoggerFactory.getLogger(VisitorIdentification.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    private final Optional<WebchatIdentity> identity;
    private final Optional<HmacSigner> legacyIdentity;
    private final ContactNormalizer normalizer;

    VisitorIdentification(WebchatConfig config) {
        this.identity = config.identitySecret()
                .map(secret -> new WebchatIdentity(secret, config.identityTokenLifetime()));
        this.legacyIdentity = config.acceptLegacyUserHash() ? config.identitySecret().map(HmacSigner::new)
                : Optional.empty();
        this.normalizer = new ContactNormalizer(config.phoneRegion());
    }

    ContactNormalizer normalizer() {
        return normalizer;
    }

    /** What the session request's {@code user} proved: a verified user id with signed attributes, or nothing. */
    record Result(Optional<String> userId, Optional<String> name, List<Evidence> evidence,
                  Optional<WebchatIdentity.Refused> refusal) {
        static final Result ANONYMOUS = new Result(Optional.empty(), Optional.empty(), List.of(),
                Optional.empty());

        static Result refused(String code, String message) {
            return new Result(Optional.empty(), Optional.empty(), List.of(),
                    Optional.of(new WebchatIdentity.Refused(code, message)));
        }
    }

    Result identify(JsonNode user, Instant now, Optional<String> origin) {
        if (user.isMissingNode() || user.isNull() || (user.isObject() && user.isEmpty())) {
            return Result.ANONYMOUS;
        }
        String userId = user.path("id").asText("");
        String token = user.path("token").asText("");
        Result result;
        if (!token.isEmpty() && identity.isPresent()) {
            WebchatIdentity.Outcome o = identity.get().verify(token, now);
            if (o instanceof WebchatIdentity.Accepted a && (userId.isEmpty() || userId.equals(a.claims().userId()))) {
                IdentityClaims c = a.claims();
                List<Evidence> ev = new ArrayList<>();
                ev.add(Evidence.verified(ContactPoint.externalId(c.userId()), "webchat.hmac", now));
                c.phone().flatMap(normalizer::phone)
                        .ifPresent(p -> ev.add(Evidence.verified(p, "webchat.signed", now)));
                c.email().flatMap(normalizer::email)
                        .ifPresent(e -> ev.add(Evidence.verified(e, "webchat.signed", now)));
                return new Result(Optional.of(c.userId()), c.name().map(n -> clip(n, 100)), ev,
                        Optional.empty());
            }
            result = o instanceof WebchatIdentity.Refused r ? Result.refused(r.code(), r.message())
                    : Result.refused("identity_rejected", "the identity token names another user id");
        } else if (!userId.isEmpty() && user.has("hash")) {
            if (legacyIdentity.isPresent() && userId.length() <= 256
                    && legacyIdentity.get().verifyHex(userId, user.path("hash").asText(""))) {
                return new Result(Optional.of(userId), Optional.empty(),
                        List.of(Evidence.verified(ContactPoint.externalId(userId), "webchat.hmac", now)),
                        Optional.empty());
            }
            result = legacyIdentity.isPresent() || identity.isEmpty()
                    ? Result.refused("identity_rejected", "the user_hash does not match user_id")
                    : Result.refused("identity_legacy_disabled", "an unexpiring user_hash is not accepted; "
                    + "sign a timestamped identity token");
        } else if (identity.isEmpty()) {
            result = Result.refused("identity_rejected", "this chat accepts no signed identities");
        } else {
            result = Result.refused("identity_rejected", "the identity is missing its token");
        }
        log.warn("webchat: rejected a host identity ({}) from origin {}", result.refusal().get().code(),
                origin.orElse("?"));
        return result;
    }

    /** Pre-chat form fields the visitor typed: unverified evidence only. */
    void prechat(JsonNode body, Instant now, List<Evidence> evidence) {
        WebchatJson.optionalText(body, "email", 254).filter(e -> EMAIL.matcher(e).matches())
                .flatMap(normalizer::email)
                .filter(e -> evidence.stream().noneMatch(x -> x.point().equals(e)))
                .ifPresent(e -> evidence.add(Evidence.unverified(e, "webchat.prechat", now)));
        WebchatJson.optionalText(body, "phone", 32).flatMap(normalizer::phone)
                .filter(p -> evidence.stream().noneMatch(x -> x.point().equals(p)))
                .ifPresent(p -> evidence.add(Evidence.unverified(p, "webchat.prechat", now)));
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
