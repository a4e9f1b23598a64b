<?php
/**
 * Plugin Name: Hello Stageguard
 * Description: Test fixture: a broken release. The front end dies with a PHP fatal error.
 * Version: 1.2.0
 */
add_action( 'template_redirect', function () {
	hello_stageguard_function_that_was_renamed();
} );
