package dev.switchboard.content;

import java.util.Objects;
import java.util.Optional;

/** A point on the map, optionally named (a shop, a pick-up point). */
public record Location(double latitude, double longitude, Optional<String> name, Optional<String> address) implements Part {
    public Location {
        if (latitude < -90 || latitude > 90) {
            throw new IllegalArgumentException("latitude out of range: " + latitude);
        }
        if (longitude < -180 || longitude > 180) {
            throw new IllegalArgumentException("longitude out of range: " + longitude);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    public static Location of(double latitude, double longitude) {
        return new Location(latitude, longitude, Optional.empty(), Optional.empty());
    }

    @Override
    public String plainText() {
        return name.orElse("");
    }
}
