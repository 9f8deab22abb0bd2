package dev.switchboard.content;

import java.util.Objects;
import java.util.Optional;

/** A person's contact details sent as a card (the customer shares a phone, or an agent shares a colleague's). */
public record ContactCard(String name, Optional<String> phone, Optional<String> email) implements Part {
    public ContactCard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(email, "email");
    }

    @Override
    public String plainText() {
        StringBuilder sb = new StringBuilder(name);
        phone.ifPresent(p -> sb.append(' ').append(p));
        email.ifPresent(e -> sb.append(' ').append(e));
        return sb.toString();
    }
}
