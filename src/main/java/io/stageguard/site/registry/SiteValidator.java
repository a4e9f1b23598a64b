package io.stageguard.site.registry;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.SecretRef;
import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.SiteCaches;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.SiteQa;
import io.stageguard.site.SiteWebhook;
import io.stageguard.site.UserFlow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a site definition before it is stored; every problem is named by its field. */
public final class SiteValidator {
    private static final Pattern SITE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern DB_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    /** A host name or an IP address: nothing a JDBC URL would read as parameters or another host. */
    private static final Pattern DB_HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}]");

    private SiteValidator() {}

    /**
     * The shape of a definition. Whether staging collides with live or another site is decided from
     * the file system and the database servers by {@code StagingProof}, here and again before every
     * destructive step.
     *
     * @param phpRuntimes the PHP runtime names Stageguard's configuration allows
     */
    public static Map<String, String> problems(Site site, Set<String> phpRuntimes) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (site.id() == null || !SITE_ID.matcher(site.id()).matches()) {
            errors.put("siteId", "must be 1-64 lower-case letters, digits or '-'");
        }
        checkEnvironment("live", site.live(), true, phpRuntimes, errors);
        checkEnvironment("staging", site.staging(), false, phpRuntimes, errors);
        checkQa(site.qa(), errors);
        checkSignoff(site.access().signoff(), errors);
        SiteCaches.check(site.caches(), errors);
        SiteWebhook.check(site.webhook(), errors);
        for (int i = 0; i < site.tags().size(); i++) {
            String tag = site.tags().get(i);
            if (tag == null || !tag.matches("[a-z0-9][a-z0-9-]{0,39}"))
                errors.put("tags[" + i + "]", "must be 1-40 lower-case letters, digits or '-'");
        }
        if (errors.isEmpty()) {
            if (site.live().baseUrl().equals(site.staging().baseUrl())) {
                errors.put("staging.baseUrl", "must differ from the live base URL");
            }
        }
        return errors;
    }

    /** Each step of a sign-off's clock comes after the one before: a reminder before the escalation, both before the expiry. */
    private static void checkSignoff(SiteAccess.SignoffTimes times, Map<String, String> errors) {
        if (times.reminder().isNegative() || times.reminder().isZero())
            errors.put("access.signoff.reminder", "must be a positive duration");
        if (times.due().isNegative() || times.due().isZero())
            errors.put("access.signoff.due", "must be a positive duration");
        if (times.escalation().compareTo(times.reminder()) <= 0)
            errors.put("access.signoff.escalation", "must be longer than the reminder");
        if (times.expiry().compareTo(times.escalation()) <= 0)
            errors.put("access.signoff.expiry", "must be longer than the escalation");
    }

    private static void checkQa(SiteQa qa, Map<String, String> errors) {
        for (int i = 0; i < qa.masks().size(); i++) {
            String mask = qa.masks().get(i);
            if (mask == null || mask.isBlank() || mask.contains("{") || mask.contains("}")) {
                errors.put("qa.masks[" + i + "]", "must be a CSS selector");
            }
        }
        if (qa.admin() != null) {
            if (qa.admin().user() == null || qa.admin().user().isBlank()) errors.put("qa.admin.user", "is required");
            if (qa.admin().password() == null || qa.admin().password().isEmpty())
                errors.put("qa.admin.password", "is required");
            for (int i = 0; i < qa.admin().paths().size(); i++) {
                String path = qa.admin().paths().get(i);
                if (path == null || !path.startsWith("/wp-admin/") || path.contains("..")) {
                    errors.put("qa.admin.paths[" + i + "]", "must be a path under /wp-admin/");
                }
            }
        }
        for (int f = 0; f < qa.flows().size(); f++) {
            UserFlow flow = qa.flows().get(f);
            if (flow == null) {
                errors.put("qa.flows[" + f + "]", "must not be null");
                continue;
            }
            if (flow.name() == null || flow.name().isBlank()) errors.put("qa.flows[" + f + "].name", "is required");
            if (flow.steps().isEmpty()) errors.put("qa.flows[" + f + "].steps", "needs at least one step");
            for (int s = 0; s < flow.steps().size(); s++) {
                String problem = flow.steps().get(s) == null
                        ? "must not be null"
                        : flow.steps().get(s).problem();
                if (problem != null) errors.put("qa.flows[" + f + "].steps[" + s + "]", problem);
            }
        }
    }

    private static void checkEnvironment(
            String side, SiteEnvironment env, boolean mustExist, Set<String> phpRuntimes, Map<String, String> errors) {
        if (env == null) {
            errors.put(side, "is required");
            return;
        }
        if (env.baseUrl() == null || !env.baseUrl().matches("https?://[^/\\s]+(/\\S*)?")) {
            errors.put(side + ".baseUrl", "must be an http(s) URL");
        }
        if (!phpRuntimes.contains(env.phpRuntime())) {
            errors.put(
                    side + ".phpRuntime",
                    "must be one of the PHP runtimes configured in stageguard.php.runtimes " + phpRuntimes);
        }
        Path root = env.documentRoot();
        if (root == null) {
            errors.put(side + ".documentRoot", "is required");
        } else if (mustExist && !Files.isRegularFile(root.resolve("wp-load.php"))) {
            errors.put(side + ".documentRoot", "holds no WordPress (no wp-load.php in " + root + ")");
        } else if (!mustExist && (root.getParent() == null || !Files.isDirectory(root.getParent()))) {
            errors.put(side + ".documentRoot", "its parent folder must exist");
        }
        DatabaseConnection db = env.database();
        if (db == null) {
            errors.put(side + ".database", "is required");
            return;
        }
        if (db.host() == null || !DB_HOST.matcher(db.host()).matches())
            errors.put(side + ".database.host", "must be a host name or IP address");
        if (db.port() <= 0 || db.port() > 65535) errors.put(side + ".database.port", "must be 1-65535");
        if (db.name() == null || !DB_NAME.matcher(db.name()).matches()) {
            errors.put(side + ".database.name", "must be letters, digits or '_'");
        }
        if (db.user() == null || db.user().isBlank()) errors.put(side + ".database.user", "is required");
        if (db.passwordRef() != null
                && !SecretRef.FORM.matcher(db.passwordRef()).matches()) {
            errors.put(side + ".database.passwordRef", SecretRef.FORM_TEXT);
        } else if (db.passwordRef() != null && db.password() != null) {
            errors.put(side + ".database.password", "give either password or passwordRef, not both");
        }
        if (!PREFIX.matcher(db.tablePrefix()).matches()) {
            errors.put(side + ".database.tablePrefix", "must be letters, digits or '_'");
        }
    }
}
