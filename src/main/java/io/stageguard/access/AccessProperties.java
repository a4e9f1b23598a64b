package io.stageguard.access;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * People and systems that use Stageguard, created in Camunda's identity store at start-up.
 * Groups: {@code camunda-admin} (operators: Cockpit, Admin, all tasks), {@code developers} and
 * {@code clients} (Tasklist), {@code integrations} (systems that start releases over REST).
 */
@ConfigurationProperties("stageguard.access")
public record AccessProperties(List<UserDefinition> users) {
    public AccessProperties {
        if (users == null) users = List.of();
    }

    public record UserDefinition(
            String id, String password, String firstName, String lastName, String email, List<String> groups) {
        public UserDefinition {
            if (groups == null) groups = List.of();
        }
    }
}
