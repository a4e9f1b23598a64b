package io.stageguard.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.ServingPhp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * After packages were swapped in, on live or on staging, makes the serving PHP run them and proves
 * it does (staging's QA must judge the new code as much as live's verification). With
 * {@code opcache.validate_timestamps=0} (the production setting) PHP-FPM serves the compiled old
 * code until told otherwise, and even with the default 2-second revalidation a check right after a
 * swap judges the old code; the command line's {@code opcache_reset()} does not reach FPM's memory.
 * So, inside the serving PHP ({@link ServingPhp}): every cached script below a swapped folder is
 * invalidated; WordPress is then loaded there (the new code compiles and boots), asked which
 * version of each package it now has, and its object cache is flushed with
 * {@code wp_cache_flush()} (an APCu cache, too, lives only in the serving PHP).
 */
@Component
public class ServedCodeRefresher {
    private static final String REFRESH = """
            $report = array( 'sapi' => PHP_SAPI, 'opcache' => 'off', 'invalidated' => 0, 'stale' => array() );
            if ( function_exists( 'opcache_get_status' ) && ini_get( 'opcache.enable' ) ) {
            	$status = @opcache_get_status( true );
            	if ( false === $status ) {
            		// opcache.restrict_api keeps this file from the cache's API: nothing can be proven
            		$report['opcache'] = 'restricted';
            		$report['stale'][] = 'the OPcache API is restricted (opcache.restrict_api); the served code cannot be refreshed';
            	} elseif ( ! empty( $status['opcache_enabled'] ) ) {
            		$report['opcache'] = 'on';
            		foreach ( array_keys( $status['scripts'] ?? array() ) as $script ) {
            			foreach ( $stageguard_args['folders'] as $folder ) {
            				if ( $script === $folder || str_starts_with( $script, $folder . '/' ) ) {
            					opcache_invalidate( $script, true );
            					$report['invalidated']++;
            					if ( opcache_is_script_cached( $script ) ) {
            						$report['stale'][] = $script;
            					}
            				}
            			}
            		}
            	}
            }
            define( 'WP_USE_THEMES', false );
            require __DIR__ . '/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/plugin.php';
            $report['versions'] = array();
            if ( $stageguard_args['core'] ) {
            	$report['versions']['core wordpress'] = $GLOBALS['wp_version'];
            }
            foreach ( $stageguard_args['plugins'] as $slug ) {
            	$found = get_plugins( '/' . $slug );
            	$report['versions'][ 'plugin ' . $slug ] = $found ? reset( $found )['Version'] : null;
            }
            foreach ( $stageguard_args['themes'] as $slug ) {
            	$theme = wp_get_theme( $slug );
            	$report['versions'][ 'theme ' . $slug ] = $theme->exists() ? $theme->get( 'Version' ) : null;
            }
            foreach ( $stageguard_args['options'] as $name ) {
            	$value = get_option( $name );
            	$report['versions'][ 'option ' . $name ] = is_scalar( $value ) ? (string) $value : json_encode( $value );
            }
            foreach ( $stageguard_args['constants'] as $name ) {
            	$report['versions'][ 'constant ' . $name ] = defined( $name ) ? var_export( constant( $name ), true ) : null;
            }
            $report['objectCacheFlushed'] = wp_cache_flush();
            $report['objectCache'] = wp_using_ext_object_cache() ? 'persistent' : 'per request';
            echo json_encode( $report );
            """;

    private final ServingPhp servingPhp;

    public ServedCodeRefresher(ServingPhp servingPhp) {
        this.servingPhp = servingPhp;
    }

    /**
     * What the serving PHP reported.
     *
     * @param opcache    on, off, or restricted
     * @param stale      scripts still cached after invalidation (or why nothing could be invalidated)
     * @param versions   per change ("plugin slug"), the version WordPress now reads; null when missing
     */
    public record Refresh(
            String sapi,
            String opcache,
            int invalidated,
            List<String> stale,
            Map<String, String> versions,
            String objectCache,
            boolean objectCacheFlushed) {

        /** Why the serving PHP is not demonstrably running {@code changes}; empty when it is. */
        public List<String> problems(List<Change> changes) {
            List<String> problems = new ArrayList<>(
                    stale.stream().map(s -> "still served from OPcache: " + s).toList());
            for (Change change : changes) {
                String running = versions.get(change.type() + " " + change.slug());
                if (running == null) problems.add(change.label() + ": the serving PHP does not find it");
                else if (change.version() != null && !change.version().isBlank() && !running.equals(change.version())) {
                    problems.add(change.label() + ": the serving PHP runs version " + running);
                }
            }
            if (!objectCacheFlushed) problems.add("wp_cache_flush() failed in the serving PHP");
            return problems;
        }

        public String summary() {
            return sapi + ": OPcache " + opcache
                    + (invalidated > 0
                            ? " (" + invalidated + " cached scripts of the swapped folders invalidated)"
                            : "")
                    + ", object cache " + objectCache + " flushed, running " + versions;
        }
    }

    public Refresh refresh(SiteEnvironment site, List<Change> changes) throws IOException {
        return refresh(site, changes, Map.of());
    }

    /** @param headers what the request needs to get through, such as the staging guard's credential */
    public Refresh refresh(SiteEnvironment site, List<Change> changes, Map<String, String> headers) throws IOException {
        List<String> folders = new ArrayList<>();
        for (Change change : changes) {
            // OPcache keys scripts by their resolved path; a core update replaces code everywhere but wp-content's, so
            // all of it goes
            Path root = site.documentRoot().toRealPath();
            switch (change.type()) {
                case CORE -> folders.add(root.toString());
                case PLUGIN, THEME ->
                    folders.add(root.resolve(change.targetFolder()).toString());
                case CONSTANT -> folders.add(root.resolve("wp-config.php").toString());
                case OPTION -> {}
            }
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("folders", folders);
        args.put(
                "plugins",
                changes.stream()
                        .filter(c -> c.type() == ChangeType.PLUGIN)
                        .map(Change::slug)
                        .toList());
        args.put(
                "themes",
                changes.stream()
                        .filter(c -> c.type() == ChangeType.THEME)
                        .map(Change::slug)
                        .toList());
        args.put("core", changes.stream().anyMatch(c -> c.type() == ChangeType.CORE));
        args.put(
                "options",
                changes.stream()
                        .filter(c -> c.type() == ChangeType.OPTION)
                        .map(Change::name)
                        .toList());
        args.put(
                "constants",
                changes.stream()
                        .filter(c -> c.type() == ChangeType.CONSTANT)
                        .map(Change::name)
                        .toList());
        JsonNode answer = servingPhp.run(site, headers, REFRESH, args);
        List<String> stale = new ArrayList<>();
        answer.path("stale").forEach(s -> stale.add(s.asText()));
        Map<String, String> versions = new LinkedHashMap<>();
        answer.path("versions")
                .fields()
                .forEachRemaining(e -> versions.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return new Refresh(
                answer.path("sapi").asText(),
                answer.path("opcache").asText(),
                answer.path("invalidated").asInt(),
                stale,
                versions,
                answer.path("objectCache").asText(),
                answer.path("objectCacheFlushed").asBoolean());
    }
}
