package org.spadeanime.loss;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the option values of this package's enums (the original's lower-case names). */
final class OptionNames {

    private OptionNames() {}

    /**
     * The constant of {@code type} named {@code value} (case-insensitive, trimmed); otherwise an
     * IllegalArgumentException naming the option and the accepted values.
     */
    static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) {
            if (value != null && e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(option + " '" + value + "': expected one of " + accepted);
    }
}
