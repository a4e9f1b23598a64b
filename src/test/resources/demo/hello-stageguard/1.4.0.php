<?php
/**
 * Plugin Name: Hello Stageguard
 * Description: Demo and test fixture: prints a greeting in the footer and keeps a guestbook; 1.4.0 migrates the guestbook's table (a mood per greeting).
 * Version: 1.4.0
 */

// the upgrade routine, as plugins run theirs: once per schema version, on the first load of the new code
add_action( 'plugins_loaded', function () {
	global $wpdb;
	$table = $wpdb->prefix . 'hello_stageguard_greetings';
	if ( get_option( 'hello_stageguard_db' ) === '2' || $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) !== $table ) {
		return;
	}
	$wpdb->query( "ALTER TABLE $table ADD COLUMN mood varchar(20) NOT NULL DEFAULT 'happy'" );
	update_option( 'hello_stageguard_db', '2' );
} );

// a visitor signs the guestbook: /?hello_greeting=...
add_action( 'init', function () {
	if ( ! isset( $_GET['hello_greeting'] ) ) {
		return;
	}
	global $wpdb;
	$wpdb->insert( $wpdb->prefix . 'hello_stageguard_greetings', array( 'message' => sanitize_text_field( wp_unslash( $_GET['hello_greeting'] ) ), 'mood' => 'glad' ) );
	nocache_headers();
	echo 'thanks';
	exit;
} );

add_action( 'wp_footer', function () {
	echo '<p class="hello-stageguard" style="text-align:center">Hello from Stageguard 1.4.0, with a guestbook</p>';
} );
