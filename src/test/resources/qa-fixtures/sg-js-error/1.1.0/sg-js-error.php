<?php
/**
 * Plugin Name: SG JS error
 * Description: A fixture: 1.1.0 ships a script that throws.
 * Version: 1.1.0
 */

$sg_js_error_enqueue = function () {
	wp_enqueue_script( 'sg-js-error', plugins_url( 'js/app.js', __FILE__ ), array(), '1.1.0', true );
};
// on the site and in the admin: plugin scripts often load in both
add_action( 'wp_enqueue_scripts', $sg_js_error_enqueue );
add_action( 'admin_enqueue_scripts', $sg_js_error_enqueue );
