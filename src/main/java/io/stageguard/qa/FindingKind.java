package io.stageguard.qa;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What kind of problem a QA finding is; the quality gate counts findings by kind. */
public enum FindingKind {
    /** staging answers an error status where live does not, or an admin screen does not render */
    HTTP("http"),
    PHP_FATAL("php-fatal"),
    PHP_WARNING("php-warning"),
    PHP_NOTICE("php-notice"),
    CONSOLE("console"),
    REQUEST("request"),
    VISUAL("visual"),
    PERFORMANCE("performance"),
    FLOW("flow");

    private final String label;

    FindingKind(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static FindingKind of(String label) {
        return Arrays.stream(values())
                .filter(k -> k.label.equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown finding kind " + label));
    }

    /** Found in PHP's error log or a PHP error page: attributable by the file path in the message. */
    public boolean fromPhp() {
        return this == PHP_FATAL || this == PHP_WARNING || this == PHP_NOTICE;
    }
}
