<?php
/**
 * Plugin Name: Hello Stageguard
 * Description: Demo and test fixture: prints a greeting in the footer.
 * Version: 1.0.0
 */
add_action( 'wp_footer', function () {
	echo '<p class="hello-stageguard" style="text-align:center">Hello from Stageguard 1.0.0</p>';
} );
