<?php
/**
 * Plugin Name: SG JS error
 * Description: A fixture: 1.1.0 ships a script that throws.
 * Version: 1.0.0
 */

add_action( 'wp_enqueue_scripts', function () {
	wp_enqueue_script( 'sg-js-error', plugins_url( 'js/app.js', __FILE__ ), array(), '1.0.0', true );
} );
