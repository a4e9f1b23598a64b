package io.stageguard.update;

import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * Many plugins migrate their tables on the next admin request after an update ({@code plugins_loaded}
 * or {@code admin_init} comparing a stored version with their own). This makes that request
 * happen on staging right after a change is applied, so its schema difference is measured then
 * and belongs to that change: WordPress is loaded as for an admin screen ({@code WP_ADMIN}), an
 * administrator is the current user, and {@code admin_init} fires. Staging only.
 */
@Component
public class MigrationTrigger {
    private static final String ADMIN_REQUEST = """
            define( 'WP_ADMIN', true );
            require ABSPATH_DIR . '/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/admin.php';
            $admins = get_users( array( 'role' => 'administrator', 'number' => 1, 'fields' => 'ID' ) );
            if ( $admins ) {
            	wp_set_current_user( (int) $admins[0] );
            }
            do_action( 'admin_init' );
            """;
    private final WordPressPhp php;

    public MigrationTrigger(WordPressPhp php) {
        this.php = php;
    }

    /** Runs the admin request on {@code staging}; a plugin that redirects or exits there ends it early, which is fine. */
    public void adminRequest(SiteEnvironment staging) throws IOException {
        php.run(staging, ADMIN_REQUEST);
    }
}
