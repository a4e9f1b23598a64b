package io.stageguard.push;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The moment a confirmed push may start, as a developer typed or picked it in Tasklist (with or
 * without a UTC offset; without one it is the server's local time), checked and written back as
 * ISO-8601 in UTC for the window timer. A refused value leaves the task open with the reason.
 */
public final class DeploymentWindow {
    static final Duration FURTHEST = Duration.ofDays(30);

    private DeploymentWindow() {}

    /** @return "" for at once, else the start in UTC, e.g. 2026-11-27T02:00:00Z */
    public static String normalize(Object typed, Instant now) {
        String text = typed == null ? "" : typed.toString().trim();
        if (text.isEmpty()) return "";
        Instant start;
        try {
            start = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                start = LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("deploymentWindow: '" + text
                        + "' is not a date and time such as 2026-11-27T02:00+01:00. Nothing was saved.");
            }
        }
        if (!start.isAfter(now))
            throw new IllegalArgumentException(
                    "deploymentWindow: " + start + " has passed; leave it empty to push at once. Nothing was saved.");
        if (start.isAfter(now.plus(FURTHEST))) {
            throw new IllegalArgumentException(
                    "deploymentWindow: " + start + " is more than " + FURTHEST.toDays()
                            + " days away; live will have changed by then, so start a new release closer to it. Nothing was saved.");
        }
        return start.toString();
    }
}
