<?php
/**
 * Plugin Name: Hello Stageguard
 * Description: Test fixture: works on staging, breaks in production. Code that only runs in the
 * production environment (license checks, live payment keys) is a classic way to pass staging QA.
 * Version: 1.3.0
 */
add_action( 'wp_footer', function () {
	echo '<p class="hello-stageguard" style="text-align:center">Hello from Stageguard 1.3.0</p>';
} );
add_action( 'template_redirect', function () {
	if ( wp_get_environment_type() === 'production' ) {
		hello_stageguard_production_only_license_check();
	}
} );
