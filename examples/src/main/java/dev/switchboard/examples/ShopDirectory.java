package dev.switchboard.examples;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo shop's own user database, as a real shop's backend would have it: each registered user with the email
 * address the shop confirmed by a link and the phone it confirmed by SMS. The shop vouches for these, which is why
 * {@link ShopIdentityBridge} may hand them to Switchboard as verified evidence for a signed-in chat visitor.
 */
public final class ShopDirectory {

    /** A registered shop user. {@code id} is what the shop signs for the chat widget. */
    public record ShopUser(String id, String name, String email, String phone, String city) {
        public ShopUser {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(phone, "phone");
            Objects.requireNonNull(city, "city");
        }
    }

    /** The demo customer: signed in on the shop page, and the person the simulator plays. */
    public static final ShopUser ANNA = new ShopUser("shop-user-1042", "Анна Петрова", "anna.petrova@example.ru",
            "+7 916 123-45-67", "Москва");

    private final List<ShopUser> users;

    public ShopDirectory(List<ShopUser> users) {
        this.users = List.copyOf(users);
    }

    public static ShopDirectory demo() {
        return new ShopDirectory(List.of(ANNA));
    }

    public Optional<ShopUser> byId(String id) {
        return users.stream().filter(u -> u.id().equals(id)).findFirst();
    }
}
