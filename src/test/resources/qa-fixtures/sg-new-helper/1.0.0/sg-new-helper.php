<?php
/**
 * Plugin Name: SG new helper
 * Description: A fixture that a release adds: it must arrive active, with its activation hook run.
 * Version: 1.0.0
 */

register_activation_hook( __FILE__, function () {
	update_option( 'sg_new_helper_activated', 'yes' );
} );
add_action( 'wp_head', function () {
	echo "<!-- sg-new-helper 1.0.0 -->\n";
} );
