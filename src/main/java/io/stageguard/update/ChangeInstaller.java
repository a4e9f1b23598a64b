package io.stageguard.update;

import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Puts one change in place on a site, staging or live, the same way on both: the package swapped
 * in, and a plugin the site did not have before activated, because adding a plugin to a release
 * means using it (and QA must test it running). Updates keep a plugin's state as it was; themes are
 * never switched, since changing the active theme is a decision of its own.
 */
@Component
public class ChangeInstaller {
    private static final String ACTIVATE = """
            require ABSPATH_DIR . '/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/plugin.php';
            $plugins = get_plugins( '/' . $argv[1] );
            if ( ! $plugins ) {
                echo 'no plugin header in any PHP file of wp-content/plugins/', $argv[1];
                exit( 1 );
            }
            $result = activate_plugin( $argv[1] . '/' . array_key_first( $plugins ) );
            if ( is_wp_error( $result ) ) {
                echo $result->get_error_message();
                exit( 1 );
            }
            """;

    private final WordPressPhp php;
    private final CoreUpdater core;
    private final SettingChanges settings;

    public ChangeInstaller(WordPressPhp php, CoreUpdater core, SettingChanges settings) {
        this.php = php;
        this.core = core;
        this.settings = settings;
    }

    /** One outside Spring (the demo's set-up, tests), running PHP with {@code php}. */
    public static ChangeInstaller with(WordPressPhp php) {
        return new ChangeInstaller(php, new CoreUpdater(php), new SettingChanges(php));
    }

    /** What the site at {@code env} has where {@code change} lands: a version, a setting's value, or "none". */
    public static String replacedOn(SiteEnvironment env, Change change) throws IOException {
        return change.type().isSetting()
                ? SettingChanges.current(env, change)
                : PackageHeader.installed(env.documentRoot(), change);
    }

    /**
     * Installs one change and activates it when it adds a plugin: how staging receives a change.
     *
     * @param newToSite whether live had no such folder before the release: decided by the caller from
     *                  live (or from the pre-deploy backup), never from the target's current state,
     *                  which an interrupted earlier attempt may already have changed
     * @return whether the change added a plugin the site did not have, which is now active
     */
    public boolean install(SiteEnvironment site, Change change, boolean newToSite) throws IOException {
        switchIn(site, List.of(change));
        return activateIfAdded(site, change, newToSite);
    }

    /**
     * A core update first, complete with its database upgrade (plugins are then updated on the new
     * core, as WordPress's own order is); then every package is unpacked beside its folder and they
     * are swapped in one after the other in the given order: the moment where some are new and some
     * old lasts only as long as the renames.
     *
     * @return per change, how it went in ("swapped in atomically", "WordPress 6.1.9 → 6.5.5, ...")
     */
    public Map<Change, String> switchIn(SiteEnvironment site, List<Change> changes) throws IOException {
        return switchIn(site, changes, CoreUpdater.AfterSwap.NOTHING);
    }

    /** As {@link #switchIn(SiteEnvironment, List)}, running {@code afterCoreSwap} right after a core update's swaps. */
    public Map<Change, String> switchIn(SiteEnvironment site, List<Change> changes, CoreUpdater.AfterSwap afterCoreSwap)
            throws IOException {
        Map<Change, String> done = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.type() == ChangeType.CORE)
                done.put(change, core.update(site, change, afterCoreSwap).summary());
        }
        List<PackageInstaller.Unpacked> unpacked = new ArrayList<>();
        for (Change change : changes) {
            if (change.type().installsFolder()) unpacked.add(PackageInstaller.unpack(site.documentRoot(), change));
        }
        for (PackageInstaller.Unpacked u : unpacked) done.put(u.change(), describe(PackageInstaller.swapIn(u)));
        // settings last: an option may belong to a plugin the set brings
        for (Change change : changes) {
            if (change.type().isSetting()) done.put(change, settings.apply(site, change));
        }
        return done;
    }

    private static String describe(FolderSwap.Method method) {
        return switch (method) {
            case EXCHANGED -> "swapped in atomically";
            case ADDED -> "added";
            case MOVED_IN_TWO_STEPS -> "moved in with two renames: this file system cannot exchange folders atomically";
        };
    }

    /** Activates a plugin the release added to the site (its activation hook runs); updates keep their state. */
    public boolean activateIfAdded(SiteEnvironment site, Change change, boolean newToSite) throws IOException {
        if (change.type() != ChangeType.PLUGIN || !newToSite) return false;
        try {
            php.run(site, ACTIVATE, change.slug());
        } catch (IOException e) {
            throw new IOException("activating the new plugin " + change.label() + " failed: " + e.getMessage(), e);
        }
        return true;
    }

    /** Whether live has no folder for this change yet, so the release adds it (never so for core and settings). Reads live, never writes. */
    public static boolean newOnLive(Site site, Change change) {
        return change.type().installsFolder()
                && !Files.exists(site.live().documentRoot().resolve(change.targetFolder()));
    }
}
