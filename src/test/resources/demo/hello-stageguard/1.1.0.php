<?php
/**
 * Plugin Name: Hello Stageguard
 * Description: Demo and test fixture: prints a greeting in the footer, now in bold (a visible change).
 * Version: 1.1.0
 */
add_action( 'wp_footer', function () {
	echo '<p class="hello-stageguard" style="text-align:center;font-weight:bold">Hello from Stageguard 1.1.0, now bolder</p>';
} );
